import { describe, expect, it } from 'vitest';
import { rejectionReasons, type RejectionReason } from '../schemas/decision';
import type { OfferInput } from '../schemas/offer';
import type { RoutingRequestInput } from '../schemas/routing-request';
import { createOffer, createOffers, createRoutingRequest } from '../testkit/offer-builders';
import { countRejections, filterOffers, type FilterOptions } from './filter-offers';

// The default offer (an A100 80 GB, 1 GPU, us-west, 2 USD/h, 100 ms, reputation 90, availability 0.9,
// capacity 4, not interruptible) satisfies the default request (one A100, anywhere).
const cases: Array<{ reason: RejectionReason; offer?: Partial<OfferInput>; request?: Partial<RoutingRequestInput>; options?: FilterOptions; detail: RegExp }> = [
  { reason: 'blocked_after_failure', options: { blocked: new Set(['mock/offer-1']) }, detail: /already failed/ },
  { reason: 'circuit_open', options: { isCircuitOpen: (provider) => provider === 'mock' }, detail: /circuit for mock is open/ },
  { reason: 'gpu_type_mismatch', offer: { gpu_type: 'H100 SXM' }, detail: /offers h100, request needs a100/ },
  { reason: 'gpu_count_mismatch', request: { gpu_count: 2 }, detail: /offers 1 GPU\(s\), request needs 2/ },
  { reason: 'gpu_unavailable', offer: { capacity: 0 }, detail: /no capacity/ },
  { reason: 'gpu_memory_below_min', offer: { gpu_memory_gb: 40 }, request: { gpu_memory_gb: 80 }, detail: /40 GB per GPU, request needs 80 GB/ },
  { reason: 'region_mismatch', request: { region: 'eu-central' }, detail: /in us-west, request needs eu-central/ },
  { reason: 'interruptible_not_allowed', offer: { interruptible: true }, request: { allow_interruptible: false }, detail: /interruptible/ },
  { reason: 'price_above_max', request: { max_price: 1.5 }, detail: /2 USD\/h above max_price 1.5/ },
  { reason: 'latency_above_max', request: { max_latency_ms: 50 }, detail: /100 ms above max_latency_ms 50/ },
  { reason: 'reputation_below_min', request: { min_reputation: 95 }, detail: /reputation 90 below min_reputation 95/ },
  { reason: 'over_budget', request: { gpu_hours: 10 }, options: { budgetUsd: 15 }, detail: /20.00 USD for 10 h exceeds budget 15 USD/ },
];

describe('filterOffers', () => {
  it('accepts an offer that meets every constraint', () => {
    const offer = createOffer();
    expect(filterOffers(createRoutingRequest(), [offer])).toEqual({ eligible: [offer], rejections: [], rejected_count: 0 });
  });

  it('covers every rejection reason the schema defines', () => {
    expect(cases.map((testCase) => testCase.reason).sort()).toEqual([...rejectionReasons].sort());
  });

  it.each(cases)('rejects with $reason', ({ reason, offer, request, options, detail }) => {
    const result = filterOffers(createRoutingRequest(request), [createOffer(offer)], options);
    expect(result.eligible).toEqual([]);
    expect(result.rejections).toEqual([{ provider: 'mock', offer_id: 'offer-1', reason, detail: expect.stringMatching(detail) }]);
  });

  it('treats an offer with availability 0 as unavailable', () => {
    const [rejection] = filterOffers(createRoutingRequest(), [createOffer({ availability: 0 })]).rejections;
    expect(rejection?.reason).toBe('gpu_unavailable');
  });

  it('treats unknown GPU memory as below a requested minimum', () => {
    const offer = createOffer();
    delete (offer as { gpu_memory_gb?: number }).gpu_memory_gb;
    const [rejection] = filterOffers(createRoutingRequest({ gpu_memory_gb: 24 }), [offer]).rejections;
    expect(rejection).toMatchObject({ reason: 'gpu_memory_below_min', detail: expect.stringContaining('unknown GB') });
  });

  it('blocks every offer of a provider blocked as a whole', () => {
    const offers = [createOffer({ offer_id: 'a' }), createOffer({ offer_id: 'b' }), createOffer({ provider: 'other', offer_id: 'c' })];
    const result = filterOffers(createRoutingRequest(), offers, { blocked: new Set(['mock']) });
    expect(result.eligible.map((offer) => offer.offer_id)).toEqual(['c']);
    expect(result.rejections.map((rejection) => rejection.reason)).toEqual(['blocked_after_failure', 'blocked_after_failure']);
  });

  it('passes the GPU type to the circuit check, for per provider + GPU circuits', () => {
    const seen: Array<[string, string]> = [];
    filterOffers(createRoutingRequest(), [createOffer()], { isCircuitOpen: (provider, gpuType) => (seen.push([provider, gpuType]), false) });
    expect(seen).toEqual([['mock', 'a100']]);
  });

  it('accepts limits met exactly and any region for a global request', () => {
    const request = createRoutingRequest({ max_price: 2, max_latency_ms: 100, min_reputation: 90, gpu_memory_gb: 80, gpu_hours: 10 });
    const offers = [createOffer({ region: 'eu-central' }), createOffer({ offer_id: 'offer-2', region: 'asia-east' })];
    expect(filterOffers(request, offers, { budgetUsd: 20 }).eligible).toHaveLength(2);
  });

  it('spreads gpu_hours over the GPUs when checking the budget', () => {
    // 8 GPU-hours on 2 GPUs is 4 hours at 2 USD/h for the pair = 8 USD.
    const request = createRoutingRequest({ gpu_count: 2, gpu_hours: 8 });
    const offer = createOffer({ gpu_count: 2 });
    expect(filterOffers(request, [offer], { budgetUsd: 8 }).eligible).toHaveLength(1);
    expect(filterOffers(request, [offer], { budgetUsd: 7.99 }).rejections[0]?.reason).toBe('over_budget');
  });

  it('ignores the budget when the request has no duration', () => {
    expect(filterOffers(createRoutingRequest(), [createOffer()], { budgetUsd: 0 }).eligible).toHaveLength(1);
  });

  it('reports only the first violated constraint, in a fixed order', () => {
    const request = createRoutingRequest({ region: 'eu-central', max_price: 1 });
    const [rejection] = filterOffers(request, [createOffer({ gpu_type: 'h100' })], { isCircuitOpen: () => true }).rejections;
    expect(rejection?.reason).toBe('circuit_open');
  });
});

describe('countRejections', () => {
  it('counts by reason and by provider', () => {
    const request = createRoutingRequest({ region: 'eu-central', max_price: 1.5 });
    const offers = [
      createOffer({ provider: 'akash', offer_id: 'a1' }),
      createOffer({ provider: 'akash', offer_id: 'a2', region: 'eu-central' }),
      createOffer({ provider: 'vastai', offer_id: 'v1', region: 'eu-central', price_usd_per_hour: 1 }),
      createOffer({ provider: 'vastai', offer_id: 'v2' }),
    ];
    const { rejections, eligible } = filterOffers(request, offers);
    expect(eligible.map((offer) => offer.offer_id)).toEqual(['v1']);
    expect(countRejections(rejections)).toEqual({
      by_reason: { region_mismatch: 2, price_above_max: 1 },
      by_provider: { akash: 2, vastai: 1 },
    });
  });
});

describe('filterOffers with maxRejections', () => {
  it('builds at most that many rejection records but counts every rejected offer', () => {
    const request = createRoutingRequest({ gpu_type: 'a100' });
    const offers = [
      ...createOffers(5, { gpu_type: 'h100' }),
      ...createOffers(2, { gpu_type: 'a100' }),
    ];
    const capped = filterOffers(request, offers, { maxRejections: 2 });
    expect(capped.eligible).toHaveLength(2);
    expect(capped.rejections).toHaveLength(2);
    expect(capped.rejected_count).toBe(5);
    expect(filterOffers(request, offers).rejections).toHaveLength(5);
  });
});
