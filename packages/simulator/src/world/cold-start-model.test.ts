import { describe, expect, it } from 'vitest';
import { quantile } from '../harness/statistics';
import { createSeededRandom } from '../seeded-random';
import { createColdStartModel, standardNormalQuantile } from './cold-start-model';

describe('createColdStartModel', () => {
  it('without samples, matches the Alibaba base-model load trace quantiles (p10 2.6 s, p50 23.3 s, p90 43.5 s)', () => {
    const model = createColdStartModel();
    const random = createSeededRandom('cold');
    const values = Array.from({ length: 40_000 }, () => model(random.next(), random.next()) / 1000);
    expect(quantile(values, 0.1)).toBeGreaterThan(2.2);
    expect(quantile(values, 0.1)).toBeLessThan(3.1);
    expect(Math.abs(quantile(values, 0.5) / 23.3 - 1)).toBeLessThan(0.1);
    expect(Math.abs(quantile(values, 0.9) / 43.5 - 1)).toBeLessThan(0.1);
  });

  it('with samples, returns their empirical quantiles', () => {
    const model = createColdStartModel([5_000, 1_000, 3_000, 2_000]);
    expect([0, 0.3, 0.6, 0.99].map((u) => model(u, 0.5))).toEqual([1_000, 2_000, 3_000, 5_000]);
  });

  it('inverts the standard normal CDF', () => {
    expect(standardNormalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(standardNormalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(standardNormalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});
