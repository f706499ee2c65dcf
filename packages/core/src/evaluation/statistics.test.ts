import { describe, expect, it } from 'vitest';
import { mean, normalQuantile, quantileOfSorted, sampleVariance } from './statistics';

describe('evaluation statistics', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.95, 1.6448536269514722],
    [0.995, 2.5758293035489004],
    [0.001, -3.090232306167813],
    [1e-8, -5.612001244174789],
  ])('normalQuantile(%f) = %f to about 1e-9', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-8 * Math.max(1, Math.abs(z)));
  });

  it('handles the ends of the normal quantile', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('interpolates quantiles between order statistics and computes sample moments', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantileOfSorted(sorted, 0)).toBe(1);
    expect(quantileOfSorted(sorted, 1)).toBe(4);
    expect(quantileOfSorted(sorted, 0.5)).toBe(2.5);
    expect(quantileOfSorted(sorted, 0.25)).toBeCloseTo(1.75, 12);
    expect(mean(sorted)).toBe(2.5);
    expect(sampleVariance(sorted)).toBeCloseTo(5 / 3, 12);
    expect(sampleVariance([3])).toBe(0);
    expect(mean([])).toBeNaN();
  });
});
