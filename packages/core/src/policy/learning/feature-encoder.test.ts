import { describe, expect, it } from 'vitest';
import { defaultWeights } from '../../schemas/weights';
import { scoreOffers } from '../../scorer/score-offers';
import { createOffer, createRoutingRequest } from '../../testkit/offer-builders';
import { FeatureEncoder, denseFeatureCount, featuresPerCandidate, hashedFeatureCount, runLengthBucket, timeOfDayBucket } from './feature-encoder';

const offers = [
  createOffer({ provider: 'akash', offer_id: 'a', price_usd_per_hour: 2, gpu_count: 2, estimated_latency_ms: 1_500, reputation: 80, availability: 0.5, interruptible: true }),
  createOffer({ provider: 'vastai', offer_id: 'b', price_usd_per_hour: 1.5, estimated_latency_ms: 9_000, region: 'eu-central' }),
  createOffer({ provider: 'akash', offer_id: 'c', price_usd_per_hour: 0.5, region: 'eu-central' }),
];
const candidates = scoreOffers(offers, defaultWeights);
const context = { request: createRoutingRequest({ workload_type: 'rendering' }), now: Date.parse('2026-01-01T13:30:00.000Z') };

describe('FeatureEncoder', () => {
  it('encodes dense features from the candidate and its offer', () => {
    const encoder = new FeatureEncoder(64);
    expect(encoder.dimension).toBe(denseFeatureCount + 64);
    const batch = encoder.encode(context, candidates);
    const row = candidates.findIndex((candidate) => candidate.offer.offer_id === 'a');
    const candidate = candidates[row]!;
    const dense = Array.from(batch.dense.subarray(row * denseFeatureCount, (row + 1) * denseFeatureCount));
    // Price per GPU-hour 1 against the cheapest 0.5: ln(1.01 / 0.51). Latency 1.5 s.
    expect(dense).toEqual([
      1,
      candidate.contributions.price,
      candidate.contributions.latency,
      candidate.contributions.reputation,
      candidate.contributions.availability,
      candidate.normalized.price,
      candidate.normalized.latency,
      0.8,
      0.5,
      expect.closeTo(Math.log(1.01 / 0.51), 14),
      1.5,
      1,
    ]);
    // The candidate set's ranges: price per GPU-hour 1, 1.5, 0.5; latency 1500, 9000, 100; reputation 80, 90, 90.
    expect(Array.from(batch.ranges)).toEqual([0.5, 1.5, 3, 100, 9_000, 10_600, 80, 90, 260]);
    const slow = candidates.findIndex((other) => other.offer.offer_id === 'b');
    expect(batch.dense[slow * denseFeatureCount + 10]).toBe(5);
  });

  it('hashes categorical features into slots after the dense ones, the same way in every instance', () => {
    const first = new FeatureEncoder(64).encode(context, candidates);
    const slots = Array.from(first.slots.subarray(0, candidates.length * hashedFeatureCount));
    for (const slot of slots) {
      expect(slot).toBeGreaterThanOrEqual(denseFeatureCount);
      expect(slot).toBeLessThan(denseFeatureCount + 64);
    }
    const second = new FeatureEncoder(64).encode(context, candidates);
    expect(Array.from(second.slots.subarray(0, slots.length))).toEqual(slots);
    // Both akash offers share the provider slot; the shared request slots are the same for all.
    const akash = candidates.map((candidate, row) => (candidate.offer.provider === 'akash' ? row : -1)).filter((row) => row >= 0);
    expect(first.slots[akash[0]! * hashedFeatureCount]).toBe(first.slots[akash[1]! * hashedFeatureCount]);
    for (let row = 1; row < candidates.length; row++) {
      expect(first.slots[row * hashedFeatureCount + 7]).toBe(first.slots[7]);
      expect(first.slots[row * hashedFeatureCount + 8]).toBe(first.slots[8]);
    }
  });

  it('encodes one candidate as the sparse form of its batch row', () => {
    const encoder = new FeatureEncoder(32);
    const batch = encoder.encode(context, candidates);
    const dense = batch.dense.slice();
    const slots = batch.slots.slice();
    const indices = new Int32Array(featuresPerCandidate);
    const values = new Float64Array(featuresPerCandidate);
    for (let row = 0; row < candidates.length; row++) {
      expect(encoder.encodeOne(context, candidates, row, indices, values)).toBe(featuresPerCandidate);
      expect(Array.from(values.subarray(0, denseFeatureCount))).toEqual(Array.from(dense.subarray(row * denseFeatureCount, (row + 1) * denseFeatureCount)));
      expect(Array.from(indices.subarray(denseFeatureCount))).toEqual(Array.from(slots.subarray(row * hashedFeatureCount, (row + 1) * hashedFeatureCount)));
      expect(Array.from(values.subarray(denseFeatureCount))).toEqual(new Array(hashedFeatureCount).fill(1));
    }
  });

  it('moves the time-dependent slots with the time of day', () => {
    expect([0, 5, 6, 11, 12, 17, 18, 23].map((hour) => timeOfDayBucket(Date.UTC(2026, 0, 1, hour, 59)))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(timeOfDayBucket(Number.NaN)).toBe(0);
    expect(timeOfDayBucket(Date.UTC(1969, 11, 31, 20))).toBe(3);
    const encoder = new FeatureEncoder(1024);
    const afternoon = encoder.encode(context, candidates).slots.slice(0, hashedFeatureCount);
    const night = encoder.encode({ ...context, now: Date.parse('2026-01-01T02:00:00.000Z') }, candidates).slots.slice(0, hashedFeatureCount);
    expect(night[5]).not.toBe(afternoon[5]);
    expect(night[8]).not.toBe(afternoon[8]);
    expect(Array.from(night.subarray(0, 5))).toEqual(Array.from(afternoon.subarray(0, 5)));
  });

  it('buckets the run length per GPU and moves only the provider x run-length slot with it', () => {
    const bucket = (gpu_hours: number | undefined, gpu_count = 1) => runLengthBucket(gpu_hours === undefined ? { gpu_count } : { gpu_hours, gpu_count });
    expect([1 / 60, 4.9 / 60, 5 / 60, 0.99, 1, 7.9, 8, 100].map((hours) => bucket(hours))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    // 8 GPU-hours over 8 GPUs is one hour of wall clock.
    expect(bucket(8, 8)).toBe(2);
    expect(bucket(undefined)).toBe(4);
    const encoder = new FeatureEncoder(1024);
    const short = encoder.encode({ ...context, request: { ...context.request, gpu_hours: 0.01 } }, candidates).slots.slice(0, hashedFeatureCount);
    const long = encoder.encode({ ...context, request: { ...context.request, gpu_hours: 20 } }, candidates).slots.slice(0, hashedFeatureCount);
    expect(long[6]).not.toBe(short[6]);
    expect(Array.from(long.subarray(0, 6))).toEqual(Array.from(short.subarray(0, 6)));
    expect(Array.from(long.subarray(7))).toEqual(Array.from(short.subarray(7)));
  });
});
