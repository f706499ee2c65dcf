import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoredCandidate } from '../schemas/decision';
import { defaultWeights, normalizeWeights } from '../schemas/weights';
import { createOffer, createOffers } from '../testkit/offer-builders';
import { rawWeights, scenario } from './__fixtures__/arbitraries';
import { filterOffers } from './filter-offers';
import { compareCandidates, compareOffers, scoreOffers } from './score-offers';

/** The reference order: a plain comparator sort of the same candidates. */
function referenceOrder(candidates: readonly ScoredCandidate[]): string[] {
  return [...candidates].sort(compareCandidates).map((candidate) => candidate.offer.offer_id);
}

describe('scoreOffers', () => {
  it('returns nothing for no offers', () => {
    expect(scoreOffers([], defaultWeights)).toEqual([]);
  });

  it('normalises each criterion min-max across the offers, lower price and latency being better', () => {
    const offers = [
      createOffer({ offer_id: 'a', price_usd_per_hour: 1, estimated_latency_ms: 300, reputation: 50, availability: 0.5 }),
      createOffer({ offer_id: 'b', price_usd_per_hour: 3, estimated_latency_ms: 100, reputation: 100, availability: 1 }),
      createOffer({ offer_id: 'c', price_usd_per_hour: 2, estimated_latency_ms: 200, reputation: 75, availability: 0.75 }),
    ];
    const byId = new Map(scoreOffers(offers, defaultWeights).map((candidate) => [candidate.offer.offer_id, candidate]));
    expect(byId.get('a')?.normalized).toEqual({ price: 1, latency: 0, reputation: 0, availability: 0 });
    expect(byId.get('b')?.normalized).toEqual({ price: 0, latency: 1, reputation: 1, availability: 1 });
    expect(byId.get('c')?.normalized).toEqual({ price: 0.5, latency: 0.5, reputation: 0.5, availability: 0.5 });
    expect(byId.get('b')?.contributions).toEqual({ price: 0, latency: 0.3, reputation: 0.2, availability: 0.1 });
  });

  it('orders a large market exactly as a comparator sort does, ties included', () => {
    // 600 offers on few distinct values: many exact ties, broken by price, latency, ... then id.
    const offers = createOffers(600, (index) => ({
      provider: ['akash', 'vastai', 'ionet'][index % 3]!,
      price_usd_per_hour: 1 + (index % 4),
      estimated_latency_ms: 50 * (index % 3),
      reputation: 80 + (index % 2) * 10,
    }));
    const ranked = scoreOffers(offers, defaultWeights);
    expect(ranked.map((candidate) => candidate.offer.offer_id)).toEqual(referenceOrder(ranked));
    expect(ranked.map((candidate) => candidate.rank)).toEqual(ranked.map((_, index) => index + 1));
  });

  it('orders correctly with unnormalised weights whose scores are too large to pack', () => {
    const offers = createOffers(200, (index) => ({ price_usd_per_hour: 1 + (index % 7), estimated_latency_ms: 10 * (index % 5) }));
    const ranked = scoreOffers(offers, { price: 1e9, latency: 5e8, reputation: 0, availability: 0 });
    expect(ranked.map((candidate) => candidate.offer.offer_id)).toEqual(referenceOrder(ranked));
  });

  it('orders markets of any size as a comparator sort does', () => {
    fc.assert(
      fc.property(scenario({ minLength: 0, maxLength: 400 }), rawWeights, ({ request, offers }, raw) => {
        const eligible = filterOffers(request, offers).eligible;
        const ranked = scoreOffers(eligible, normalizeWeights(raw)!);
        expect(ranked.map((candidate) => candidate.offer.offer_id)).toEqual(referenceOrder(ranked));
      }),
      { numRuns: 60 },
    );
  });
});

describe('compareOffers', () => {
  it('prefers cheaper, then faster, more reputable, more available, then provider and id', () => {
    const base = createOffer();
    expect(compareOffers(base, { ...base, price_usd_per_hour: 3 })).toBeLessThan(0);
    expect(compareOffers(base, { ...base, estimated_latency_ms: 200 })).toBeLessThan(0);
    expect(compareOffers(base, { ...base, reputation: 10 })).toBeLessThan(0);
    expect(compareOffers(base, { ...base, availability: 0.1 })).toBeLessThan(0);
    expect(compareOffers(base, { ...base, provider: 'zzz' })).toBeLessThan(0);
    expect(compareOffers(base, { ...base, offer_id: 'zzz' })).toBeLessThan(0);
    expect(compareOffers(base, { ...base })).toBe(0);
  });
});
