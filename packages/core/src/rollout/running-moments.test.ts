import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../evaluation/seeded-random';
import { normalSource } from './__fixtures__/synthetic-outcomes';
import { addToRatioMoments, emptyRatioMoments, mergeRatioMoments, ratioEstimate } from './ratio-moments';
import { addToMoments, emptyMoments, mergeMoments, sampleVariance } from './running-moments';

function sample(seed: number, count: number, offset = 1e6): number[] {
  const normal = normalSource(createSeededRandom(seed));
  // A large offset is where the naive Σx² - n·mean² formula loses every digit.
  return Array.from({ length: count }, () => offset + 3 * normal());
}

function twoPass(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('running moments (Welford)', () => {
  it('match a two-pass mean and variance, even far from zero', () => {
    const values = sample(1, 5000);
    const moments = emptyMoments();
    for (const value of values) addToMoments(moments, value);
    const direct = twoPass(values);
    expect(moments.count).toBe(5000);
    expect(moments.mean).toBeCloseTo(direct.mean, 6);
    expect(sampleVariance(moments) / direct.variance).toBeCloseTo(1, 9);
  });

  it('merge two halves into the moments of the whole', () => {
    const values = sample(2, 3001, 50);
    const whole = emptyMoments();
    const left = emptyMoments();
    const right = emptyMoments();
    values.forEach((value, index) => {
      addToMoments(whole, value);
      addToMoments(index < 1200 ? left : right, value);
    });
    const merged = mergeMoments(left, right);
    expect(merged.count).toBe(whole.count);
    expect(merged.mean).toBeCloseTo(whole.mean, 10);
    expect(merged.m2 / whole.m2).toBeCloseTo(1, 10);
    expect(mergeMoments(emptyMoments(), left)).toEqual(left);
    expect(mergeMoments(right, emptyMoments())).toEqual(right);
  });

  it('report no variance below two values', () => {
    const moments = emptyMoments();
    expect(sampleVariance(moments)).toBe(0);
    addToMoments(moments, 4);
    expect(sampleVariance(moments)).toBe(0);
    addToMoments(moments, 6);
    expect(sampleVariance(moments)).toBe(2);
  });
});

describe('ratio moments', () => {
  function pairs(seed: number, count: number): Array<[number, number]> {
    const uniform = createSeededRandom(seed);
    const normal = normalSource(uniform);
    return Array.from({ length: count }, () => {
      const hours = uniform() < 0.1 ? 0 : Math.exp(0.8 * normal());
      return [hours * 2 * Math.exp(0.3 * normal()), hours] as [number, number];
    });
  }

  it('track the sums, variances and covariance of the pairs', () => {
    const data = pairs(3, 4000);
    const moments = emptyRatioMoments();
    for (const [cost, hours] of data) addToRatioMoments(moments, cost, hours);
    const n = data.length;
    const meanCost = data.reduce((sum, [cost]) => sum + cost, 0) / n;
    const meanHours = data.reduce((sum, [, hours]) => sum + hours, 0) / n;
    const covariance = data.reduce((sum, [cost, hours]) => sum + (cost - meanCost) * (hours - meanHours), 0);
    expect(moments.mean_numerator).toBeCloseTo(meanCost, 10);
    expect(moments.mean_denominator).toBeCloseTo(meanHours, 10);
    expect(moments.comoment / covariance).toBeCloseTo(1, 10);
  });

  it('estimate Σcost/Σhours with the delta-method variance', () => {
    const data = pairs(4, 2500);
    const moments = emptyRatioMoments();
    for (const [cost, hours] of data) addToRatioMoments(moments, cost, hours);
    const n = data.length;
    const totalCost = data.reduce((sum, [cost]) => sum + cost, 0);
    const totalHours = data.reduce((sum, [, hours]) => sum + hours, 0);
    const ratio = totalCost / totalHours;
    // Var(R̂) ≈ Σ (c_i - R g_i)² / ((n - 1) · n · ḡ²): the same formula written with residuals.
    const residualSquares = data.reduce((sum, [cost, hours]) => sum + (cost - ratio * hours) ** 2, 0);
    const expectedVariance = residualSquares / (n - 1) / (n * (totalHours / n) ** 2);
    const estimate = ratioEstimate(moments)!;
    expect(estimate.estimate).toBeCloseTo(ratio, 10);
    expect(estimate.variance / expectedVariance).toBeCloseTo(1, 8);
  });

  it('delta-method standard error matches the spread of the ratio over repeated samples', () => {
    const ratios: number[] = [];
    const variances: number[] = [];
    for (let seed = 0; seed < 400; seed++) {
      const moments = emptyRatioMoments();
      for (const [cost, hours] of pairs(100 + seed, 400)) addToRatioMoments(moments, cost, hours);
      const estimate = ratioEstimate(moments)!;
      ratios.push(estimate.estimate);
      variances.push(estimate.variance);
    }
    const empirical = twoPass(ratios).variance;
    const predicted = variances.reduce((sum, value) => sum + value, 0) / variances.length;
    expect(predicted / empirical).toBeGreaterThan(0.8);
    expect(predicted / empirical).toBeLessThan(1.25);
  });

  it('merge halves exactly and need a positive denominator', () => {
    const data = pairs(5, 1500);
    const whole = emptyRatioMoments();
    const left = emptyRatioMoments();
    const right = emptyRatioMoments();
    data.forEach(([cost, hours], index) => {
      addToRatioMoments(whole, cost, hours);
      addToRatioMoments(index % 3 === 0 ? left : right, cost, hours);
    });
    const merged = mergeRatioMoments(left, right);
    for (const key of Object.keys(whole) as Array<keyof typeof whole>) expect(merged[key] / whole[key]).toBeCloseTo(1, 9);
    const unfilled = emptyRatioMoments();
    addToRatioMoments(unfilled, 0.3, 0);
    expect(ratioEstimate(unfilled)).toBeNull();
    expect(ratioEstimate(emptyRatioMoments())).toBeNull();
  });
});
