import { describe, expect, it } from 'vitest';
import { NoEligibleOfferError, describeRejections } from '../errors/no-eligible-offer-error';
import { defaultWeights, normalizeWeights } from '../schemas/weights';
import { createOffer, createOffers, createRoutingRequest } from '../testkit/offer-builders';
import { assertEligible, rankOffers } from './rank-offers';

describe('rankOffers', () => {
  it('filters, then scores the eligible offers best first', () => {
    const request = createRoutingRequest({ max_price: 3 });
    const offers = [
      createOffer({ offer_id: 'pricey', price_usd_per_hour: 4 }),
      createOffer({ offer_id: 'slow', price_usd_per_hour: 1, estimated_latency_ms: 400 }),
      createOffer({ offer_id: 'balanced', price_usd_per_hour: 1.2, estimated_latency_ms: 50 }),
      createOffer({ offer_id: 'fast', price_usd_per_hour: 2.9, estimated_latency_ms: 40 }),
    ];
    const result = rankOffers(request, offers, defaultWeights);
    expect(result.candidates.map((candidate) => [candidate.offer.offer_id, candidate.rank])).toEqual([
      ['balanced', 1],
      ['slow', 2],
      ['fast', 3],
    ]);
    expect(result.rejections).toEqual([expect.objectContaining({ offer_id: 'pricey', reason: 'price_above_max' })]);
    expect(result.rejection_counts).toEqual({ by_reason: { price_above_max: 1 }, by_provider: { mock: 1 } });
  });

  it('follows the weights: all on price picks the cheapest, all on latency the fastest', () => {
    const offers = [
      createOffer({ offer_id: 'cheap', price_usd_per_hour: 1, estimated_latency_ms: 300 }),
      createOffer({ offer_id: 'fast', price_usd_per_hour: 3, estimated_latency_ms: 20 }),
    ];
    const request = createRoutingRequest();
    expect(rankOffers(request, offers, normalizeWeights({ price: 1 })!).candidates[0]?.offer.offer_id).toBe('cheap');
    expect(rankOffers(request, offers, normalizeWeights({ latency: 1 })!).candidates[0]?.offer.offer_id).toBe('fast');
  });

  it('scores 1 on a criterion where every candidate is equal', () => {
    const [candidate] = rankOffers(createRoutingRequest(), [createOffer()], defaultWeights).candidates;
    expect(candidate?.normalized).toEqual({ price: 1, latency: 1, reputation: 1, availability: 1 });
    expect(candidate?.score).toBeCloseTo(1, 12);
  });

  it('breaks exact score ties by price, then by provider and offer id', () => {
    const offers = [
      createOffer({ provider: 'zeta', offer_id: 'z' }),
      createOffer({ provider: 'alpha', offer_id: 'b' }),
      createOffer({ provider: 'alpha', offer_id: 'a' }),
    ];
    const ids = rankOffers(createRoutingRequest(), offers, defaultWeights).candidates.map((candidate) => candidate.offer.offer_id);
    expect(ids).toEqual(['a', 'b', 'z']);
  });
});

describe('assertEligible and NoEligibleOfferError', () => {
  it('passes when there is a candidate', () => {
    const offers = createOffers(3);
    expect(() => assertEligible(rankOffers(createRoutingRequest(), offers, defaultWeights), offers.length)).not.toThrow();
  });

  it('throws with counts by reason and provider and a readable message', () => {
    const request = createRoutingRequest({ region: 'eu-central', max_price: 1.5 });
    const offers = [
      ...createOffers(3, (index) => ({ provider: 'akash', offer_id: `a${index}`, region: 'eu-central', price_usd_per_hour: 2 + index })),
      createOffer({ provider: 'vastai', offer_id: 'v1', region: 'us-east' }),
    ];
    let caught: unknown;
    try {
      assertEligible(rankOffers(request, offers, defaultWeights), offers.length);
    } catch (error) {
      caught = error;
    }
    expect(NoEligibleOfferError.isInstance(caught)).toBe(true);
    const error = caught as NoEligibleOfferError;
    expect(error.code).toBe('AURORA_ERR_NO_ELIGIBLE_OFFER');
    expect(error.rejections).toEqual({
      total_offers: 4,
      by_reason: { price_above_max: 3, region_mismatch: 1 },
      by_provider: { akash: 3, vastai: 1 },
    });
    expect(error.message).toBe('0 of 4 offers eligible: 3 price_above_max, 1 region_mismatch');
    expect(error.toJSON()).toEqual({ code: 'AURORA_ERR_NO_ELIGIBLE_OFFER', message: error.message, details: error.rejections });
  });

  it('says when no provider returned any offer', () => {
    let caught: unknown;
    try {
      assertEligible(rankOffers(createRoutingRequest(), [], defaultWeights), 0);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).toBe('0 of 0 offers eligible (no provider returned an offer)');
    expect(describeRejections({ total_offers: 42, by_reason: { region_mismatch: 12, price_above_max: 30 }, by_provider: {} })).toBe(
      '0 of 42 offers eligible: 30 price_above_max, 12 region_mismatch',
    );
  });
});
