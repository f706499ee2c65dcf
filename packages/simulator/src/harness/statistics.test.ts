import { describe, expect, it } from 'vitest';
import { estimateMean, excludesZero, pairedDifference, quantile, studentTCdf, studentTQuantile } from './statistics';

describe('statistics', () => {
  it('gives the tabulated two-sided 95 % t critical values', () => {
    const table: Array<[number, number]> = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [29, 2.045], [120, 1.98]];
    for (const [degrees, value] of table) expect(studentTQuantile(0.975, degrees)).toBeCloseTo(value, 3);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
  });

  it('computes a mean with its t interval on a constructed sample', () => {
    // mean 5, sample sd sqrt(10/4) = 1.5811, se 0.7071, t(0.975, 4) = 2.7764
    const estimate = estimateMean([3, 4, 5, 6, 7]);
    expect(estimate.mean).toBe(5);
    expect(estimate.standard_deviation).toBeCloseTo(1.5811388, 6);
    expect(estimate.ci95[0]).toBeCloseTo(5 - 2.7764451 * 0.7071068, 5);
    expect(estimate.ci95[1]).toBeCloseTo(5 + 2.7764451 * 0.7071068, 5);
    expect(estimateMean([2]).ci95).toEqual([2, 2]);
  });

  it('pairs differences by seed, so a shared seed effect cancels', () => {
    // Seeds differ a lot; the treatment is always exactly 0.5 better.
    const control = [10, 20, 30, 40];
    const treatment = [10.5, 20.5, 30.5, 40.5];
    const paired = pairedDifference(control, treatment);
    expect(paired.per_seed).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(paired.mean).toBe(0.5);
    expect(paired.ci95).toEqual([0.5, 0.5]);
    expect(excludesZero(paired)).toBe(true);
    // Unpaired, the same numbers would give an interval that includes zero.
    const unpaired = estimateMean(treatment).ci95[0] - estimateMean(control).ci95[1];
    expect(unpaired).toBeLessThan(0);
    const noisy = pairedDifference([1, 2, 3], [2, 1, 3.5]);
    expect(noisy.mean).toBeCloseTo(0.1667, 4);
    expect(excludesZero(noisy)).toBe(false);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantile([10, 0], 0.5)).toBe(5);
  });
});
