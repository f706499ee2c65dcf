import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { defaultWeights } from '../../schemas/weights';
import { scoreOffers } from '../../scorer/score-offers';
import { createOffer } from '../../testkit/offer-builders';
import { computeReward } from './compute-reward';

// Prices 1/2/3 USD per GPU-hour (scale max(2, 0.25 * mean 2) = 2), latencies 100/200/300 ms
// (scale 200). Reputation is not a scale any more: the reward measures reliability (ran without
// interruption) instead of what the offer advertises.
const offers = [
  createOffer({ offer_id: 'cheap', price_usd_per_hour: 1, estimated_latency_ms: 100, reputation: 80 }),
  createOffer({ offer_id: 'middle', price_usd_per_hour: 2, estimated_latency_ms: 200, reputation: 90 }),
  createOffer({ offer_id: 'dear', price_usd_per_hour: 3, estimated_latency_ms: 300, reputation: 100 }),
];
const candidates = scoreOffers(offers, defaultWeights);
const offer = (id: string) => offers.find((candidate) => candidate.offer_id === id)!;

describe('computeReward', () => {
  it('weights the utilities of a filled decision by the request weights', () => {
    // u_price = (3 - 2) / 2 = 0.5, u_latency = (300 - 200) / 200 = 0.5, u_reputation = 1 (not interrupted),
    // u_availability = 1 (instant start)
    const reward = computeReward({ outcome: { filled: true, time_to_running_ms: 0 }, offer: offer('middle'), candidates, weights: defaultWeights });
    expect(reward).toBeCloseTo(0.4 * 0.5 + 0.3 * 0.5 + 0.2 * 1 + 0.1 * 1, 12);
  });

  it('halves the availability utility at the reference time to running', () => {
    // u_price = 0, u_latency = 0, u_reputation = 1, u_availability = 120 / (120 + 120) = 0.5
    const reward = computeReward({ outcome: { filled: true, time_to_running_ms: 120_000 }, offer: offer('dear'), candidates, weights: defaultWeights });
    expect(reward).toBeCloseTo(0.2 * 1 + 0.1 * 0.5, 12);
  });

  it('rewards measured reliability, not the advertised reputation: 1 when it ran through, 0 when interrupted', () => {
    const weights = { price: 0, latency: 0, reputation: 1, availability: 0 };
    // The least reputable offer that ran through beats the most reputable one that was preempted.
    expect(computeReward({ outcome: { filled: true }, offer: offer('cheap'), candidates, weights })).toBe(1);
    expect(computeReward({ outcome: { filled: true, failure_reason: 'preempted' }, offer: offer('dear'), candidates, weights })).toBe(0);
  });

  it('uses the real cost per delivered GPU-hour and the achieved latency, going negative past the worst candidate', () => {
    // 10 USD over 2 GPU-hours = 5 USD/GPU-h: gap (3 - 5) / 2 = -1 -> -1 / 2; latency 400 ms: gap -0.5 -> -0.5 / 1.5
    const reward = computeReward({
      outcome: { filled: true, cost_usd: 10, gpu_hours_delivered: 2, achieved_latency_ms: 400 },
      offer: offer('cheap'),
      candidates,
      weights: defaultWeights,
    });
    expect(reward).toBeCloseTo(0.4 * -0.5 + 0.3 * (-0.5 / 1.5) + 0.2 * 1 + 0.1 * 1, 12);
  });

  it('keeps ranking overruns: a bill 40x the list price scores below one 4x it, both above -1', () => {
    const price = { price: 1, latency: 0, reputation: 0, availability: 0 };
    const bill = (usdPerGpuHour: number) => computeReward({ outcome: { filled: true, cost_usd: usdPerGpuHour, gpu_hours_delivered: 1 }, offer: offer('cheap'), candidates, weights: price });
    expect(bill(4)).toBeCloseTo(-0.5 / 1.5, 12);
    expect(bill(40)).toBeLessThan(bill(4));
    expect(bill(40)).toBeGreaterThan(-1);
    expect(bill(1e6)).toBeGreaterThan(-1);
  });

  it('scores a bill with nothing delivered as the worst price, and an unbilled one at the advertised price', () => {
    const price = { price: 1, latency: 0, reputation: 0, availability: 0 };
    expect(computeReward({ outcome: { filled: true, cost_usd: 3, gpu_hours_delivered: 0 }, offer: offer('cheap'), candidates, weights: price })).toBe(-1);
    expect(computeReward({ outcome: { filled: true, cost_usd: 0, gpu_hours_delivered: 0 }, offer: offer('cheap'), candidates, weights: price })).toBe(1);
  });

  it('gives the failure reward when the deployment never ran', () => {
    const input = { outcome: { filled: false, failure_reason: 'capacity' }, offer: offer('cheap'), candidates, weights: defaultWeights };
    expect(computeReward(input)).toBe(-1);
    expect(computeReward(input, { failureReward: -2 })).toBe(-2);
  });

  it('scores availability 0 for a deployment that ran and then failed', () => {
    const reward = computeReward({
      outcome: { filled: true, failure_reason: 'preempted' },
      offer: offer('cheap'),
      candidates,
      weights: { price: 0, latency: 0, reputation: 0, availability: 1 },
    });
    expect(reward).toBe(0);
  });

  it('normalises weights that do not sum to 1', () => {
    const reward = computeReward({ outcome: { filled: true }, offer: offer('middle'), candidates, weights: { price: 2, latency: 0, reputation: 0, availability: 2 } });
    // u_price = (3 - 2) / 2 = 0.5, u_availability = 1 (time unknown)
    expect(reward).toBeCloseTo((2 * 0.5 + 2 * 1) / 4, 12);
  });

  it('keeps near-ties near: a narrow price spread is measured against a quarter of the mean', () => {
    const close = [createOffer({ offer_id: 'a', price_usd_per_hour: 2 }), createOffer({ offer_id: 'b', price_usd_per_hour: 2.1 })];
    const reward = computeReward({ outcome: { filled: true }, offer: close[0]!, candidates: scoreOffers(close, defaultWeights), weights: { price: 1, latency: 0, reputation: 0, availability: 0 } });
    expect(reward).toBeCloseTo(0.1 / (0.25 * 2.05), 12);
  });

  it('rejects an empty candidate set and all-zero weights', () => {
    expect(() => computeReward({ outcome: { filled: true }, offer: offer('cheap'), candidates: [], weights: defaultWeights })).toThrow(
      expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }),
    );
    try {
      computeReward({ outcome: { filled: true }, offer: offer('cheap'), candidates, weights: { price: 0, latency: 0, reputation: 0, availability: 0 } });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
  });
});
