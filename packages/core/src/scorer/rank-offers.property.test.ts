import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestDurationHours, type RoutingRequest } from '../schemas/routing-request';
import type { Offer } from '../schemas/offer';
import type { RejectionReason } from '../schemas/decision';
import { normalizeWeights, type Weights } from '../schemas/weights';
import { rawWeights, scenario } from './__fixtures__/arbitraries';
import type { FilterOptions } from './filter-offers';
import { rankOffers } from './rank-offers';
import { compareCandidates } from './score-offers';

// FC_NUM_RUNS raises the count for a deeper local search; CI runs the default.
const runs = { numRuns: Number(process.env.FC_NUM_RUNS ?? 300) };

/** The hard constraints, restated independently of the filter's code. */
function violations(request: RoutingRequest, offer: Offer, options: FilterOptions): Set<RejectionReason> {
  const found = new Set<RejectionReason>();
  const hours = requestDurationHours(request);
  if (options.blocked?.has(offer.provider) || options.blocked?.has(`${offer.provider}/${offer.offer_id}`)) found.add('blocked_after_failure');
  if (options.isCircuitOpen?.(offer.provider, offer.gpu_type)) found.add('circuit_open');
  if (offer.gpu_type !== request.gpu_type) found.add('gpu_type_mismatch');
  if (offer.gpu_count < request.gpu_count) found.add('gpu_count_mismatch');
  if (offer.capacity === 0 || offer.availability === 0) found.add('gpu_unavailable');
  if (request.gpu_memory_gb !== undefined && !(offer.gpu_memory_gb !== undefined && offer.gpu_memory_gb >= request.gpu_memory_gb)) {
    found.add('gpu_memory_below_min');
  }
  if (request.region !== 'global' && offer.region !== request.region) found.add('region_mismatch');
  if (offer.interruptible && !request.allow_interruptible) found.add('interruptible_not_allowed');
  if (request.max_price !== undefined && offer.price_usd_per_hour > request.max_price) found.add('price_above_max');
  if (request.max_latency_ms !== undefined && offer.estimated_latency_ms > request.max_latency_ms) found.add('latency_above_max');
  if (request.min_reputation !== undefined && offer.reputation < request.min_reputation) found.add('reputation_below_min');
  if (options.budgetUsd !== undefined && hours !== undefined && offer.price_usd_per_hour * hours > options.budgetUsd) found.add('over_budget');
  return found;
}

const filterOptions: fc.Arbitrary<FilterOptions> = fc.record({
  openCircuits: fc.subarray(['akash', 'ionet', 'vastai', 'runpod']),
  blocked: fc.subarray(['vastai', 'akash/offer-0', 'runpod/offer-3', 'ionet/offer-1']),
  budgetUsd: fc.option(fc.double({ min: 1, max: 500, noNaN: true }), { nil: undefined }),
}).map(({ openCircuits, blocked, budgetUsd }) => ({
  isCircuitOpen: (provider: string) => openCircuits.includes(provider),
  blocked: new Set(blocked),
  ...(budgetUsd === undefined ? {} : { budgetUsd }),
}));

function weightsOf(raw: Weights): Weights {
  const weights = normalizeWeights(raw);
  if (!weights) throw new Error('rawWeights never yields all-zero weights');
  return weights;
}

describe('rankOffers properties', () => {
  it('every candidate satisfies every hard constraint; every rejection names a real violation', () => {
    fc.assert(
      fc.property(scenario(), rawWeights, filterOptions, ({ request: routingRequest, offers: quoted }, raw, options) => {
        const result = rankOffers(routingRequest, quoted, weightsOf(raw), options);
        expect(result.candidates.length + result.rejections.length).toBe(quoted.length);
        for (const candidate of result.candidates) expect([...violations(routingRequest, candidate.offer, options)]).toEqual([]);
        for (const rejection of result.rejections) {
          const offer = quoted.find((item) => item.offer_id === rejection.offer_id)!;
          expect(violations(routingRequest, offer, options).has(rejection.reason)).toBe(true);
        }
        const counted = Object.values(result.rejection_counts.by_reason).reduce((sum, count) => sum + count, 0);
        expect(counted).toBe(result.rejections.length);
      }),
      runs,
    );
  });

  it('ranks 1..n best first, with normalised values in [0, 1] and contributions that sum to the score', () => {
    fc.assert(
      fc.property(scenario(), rawWeights, ({ request: routingRequest, offers: quoted }, raw) => {
        const { candidates } = rankOffers(routingRequest, quoted, weightsOf(raw));
        candidates.forEach((candidate, index) => {
          expect(candidate.rank).toBe(index + 1);
          if (index > 0) expect(compareCandidates(candidates[index - 1]!, candidate)).toBeLessThanOrEqual(0);
          for (const value of Object.values(candidate.normalized)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
          }
          const sum = Object.values(candidate.contributions).reduce((total, value) => total + value, 0);
          expect(sum).toBeCloseTo(candidate.score, 12);
        });
      }),
      runs,
    );
  });

  it("raising an offer's price never raises its rank", () => {
    fc.assert(
      fc.property(
        scenario({ minLength: 1 }),
        rawWeights,
        fc.nat(),
        fc.double({ min: 0, max: 20, noNaN: true }),
        ({ request: routingRequest, offers: quoted }, raw, pick, increase) => {
          const weights = weightsOf(raw);
          const target = quoted[pick % quoted.length]!;
          const before = rankOffers(routingRequest, quoted, weights).candidates;
          const raised = quoted.map((offer) => (offer === target ? { ...offer, price_usd_per_hour: offer.price_usd_per_hour + increase } : offer));
          const after = rankOffers(routingRequest, raised, weights).candidates;
          const rankBefore = before.find((candidate) => candidate.offer.offer_id === target.offer_id)?.rank;
          const rankAfter = after.find((candidate) => candidate.offer.offer_id === target.offer_id)?.rank;
          if (rankAfter === undefined) return; // the higher price made it ineligible
          expect(rankBefore).toBeDefined();
          expect(rankAfter).toBeGreaterThanOrEqual(rankBefore!);
        },
      ),
      runs,
    );
  });

  it('never lets a dominated offer win', () => {
    fc.assert(
      fc.property(
        scenario({ minLength: 1 }),
        rawWeights,
        fc.nat(),
        fc.record({
          price: fc.double({ min: 0, max: 5, noNaN: true }),
          latency: fc.double({ min: 0, max: 500, noNaN: true }),
          reputation: fc.double({ min: 0, max: 50, noNaN: true }),
          availability: fc.double({ min: 0, max: 1, noNaN: true }),
        }).filter((gap) => gap.price > 0 || gap.latency > 0 || gap.reputation > 0 || gap.availability > 0),
        ({ request: routingRequest, offers: quoted }, raw, pick, gap) => {
          const better = quoted[pick % quoted.length]!;
          // Same placement, no better on any criterion and worse on at least one.
          const dominated: Offer = {
            ...better,
            offer_id: 'dominated',
            price_usd_per_hour: better.price_usd_per_hour + gap.price,
            estimated_latency_ms: better.estimated_latency_ms + gap.latency,
            reputation: Math.max(0, better.reputation - gap.reputation),
            availability: Math.max(0, better.availability - gap.availability),
          };
          const strictlyWorse =
            dominated.price_usd_per_hour > better.price_usd_per_hour ||
            dominated.estimated_latency_ms > better.estimated_latency_ms ||
            dominated.reputation < better.reputation ||
            dominated.availability < better.availability;
          fc.pre(strictlyWorse);
          const { candidates } = rankOffers(routingRequest, [...quoted, dominated], weightsOf(raw));
          const betterRank = candidates.find((candidate) => candidate.offer.offer_id === better.offer_id)?.rank;
          if (betterRank === undefined) return; // the dominating offer is filtered out; nothing to compare
          expect(candidates[0]!.offer.offer_id).not.toBe('dominated');
          const dominatedRank = candidates.find((candidate) => candidate.offer.offer_id === 'dominated')?.rank;
          if (dominatedRank !== undefined) expect(dominatedRank).toBeGreaterThan(betterRank);
        },
      ),
      runs,
    );
  });

  it('gives the same ranking when all weights are scaled by a positive factor', () => {
    fc.assert(
      fc.property(
        scenario(),
        rawWeights,
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        ({ request: routingRequest, offers: quoted }, raw, factor) => {
          const scaled = {
            price: raw.price * factor,
            latency: raw.latency * factor,
            reputation: raw.reputation * factor,
            availability: raw.availability * factor,
          };
          const original = rankOffers(routingRequest, quoted, weightsOf(raw)).candidates;
          const rescaled = rankOffers(routingRequest, quoted, weightsOf(scaled)).candidates;
          expect(rescaled.map((candidate) => candidate.offer.offer_id)).toEqual(original.map((candidate) => candidate.offer.offer_id));
          rescaled.forEach((candidate, index) => expect(candidate.score).toBeCloseTo(original[index]!.score, 9));
        },
      ),
      runs,
    );
  });

  it('is deterministic: shuffling the offers does not change the ranking', () => {
    fc.assert(
      fc.property(
        scenario(),
        rawWeights,
        fc.infiniteStream(fc.nat()),
        ({ request: routingRequest, offers: quoted }, raw, stream) => {
          const weights = weightsOf(raw);
          const shuffled = [...quoted];
          const draws = stream.take(shuffled.length)[Symbol.iterator]();
          for (let index = shuffled.length - 1; index > 0; index--) {
            const swap = draws.next().value! % (index + 1);
            [shuffled[index], shuffled[swap]] = [shuffled[swap]!, shuffled[index]!];
          }
          const a = rankOffers(routingRequest, quoted, weights).candidates.map((candidate) => candidate.offer.offer_id);
          const b = rankOffers(routingRequest, shuffled, weights).candidates.map((candidate) => candidate.offer.offer_id);
          expect(b).toEqual(a);
        },
      ),
      runs,
    );
  });
});
