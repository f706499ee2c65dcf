import { InvalidArgumentError } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random';

function draw(seed: number | string, count: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => random.next());
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('createSeededRandom', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draw(42, 50)).toEqual(draw(42, 50));
    expect(draw('42', 50)).toEqual(draw(42, 50));
    expect(draw(43, 50)).not.toEqual(draw(42, 50));
    expect(draw('a', 50)).not.toEqual(draw('b', 50));
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draw(7, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 1);
    // Each tenth of the interval holds about a tenth of the draws.
    const deciles = new Array<number>(10).fill(0);
    for (const value of values) deciles[Math.floor(value * 10)]! += 1;
    for (const count of deciles) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it('forks streams that depend only on the label, not on what the parent drew', () => {
    const untouched = createSeededRandom(1);
    const used = createSeededRandom(1);
    for (let index = 0; index < 100; index++) used.next();
    const a = untouched.fork('market');
    const b = used.fork('market');
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(untouched.fork('market').next()).not.toBe(untouched.fork('deploy').next());
    expect(untouched.fork('x').fork('y').key).toBe('1/x/y');
  });

  it('keeps forked streams uncorrelated', () => {
    const root = createSeededRandom('correlation');
    const left = root.fork('left');
    const right = root.fork('right');
    const pairs = Array.from({ length: 5_000 }, () => [left.next() - 0.5, right.next() - 0.5] as const);
    const covariance = mean(pairs.map(([x, y]) => x * y));
    expect(Math.abs(covariance)).toBeLessThan(0.005);
  });

  it('draws integers within inclusive bounds, hitting both ends', () => {
    const random = createSeededRandom(3);
    const values = Array.from({ length: 2_000 }, () => random.integer(1, 6));
    expect(new Set(values)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
  });

  it('draws normal variates with the asked mean and standard deviation', () => {
    const random = createSeededRandom(11);
    const values = Array.from({ length: 20_000 }, () => random.normal(10, 2));
    const average = mean(values);
    const deviation = Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
    expect(average).toBeCloseTo(10, 1);
    expect(deviation).toBeCloseTo(2, 1);
  });

  it('draws log-normal variates around exp(mu) and exponential variates around their mean', () => {
    const random = createSeededRandom(12);
    const lognormal = Array.from({ length: 20_000 }, () => random.lognormal(Math.log(30), 0.5));
    expect(median(lognormal) / 30).toBeGreaterThan(0.95);
    expect(median(lognormal) / 30).toBeLessThan(1.05);
    const exponential = Array.from({ length: 20_000 }, () => random.exponential(4));
    expect(mean(exponential)).toBeGreaterThan(3.85);
    expect(mean(exponential)).toBeLessThan(4.15);
  });

  it('returns true from chance at about the asked rate, and exactly at 0 and 1', () => {
    const random = createSeededRandom(5);
    const hits = Array.from({ length: 10_000 }, () => random.chance(0.3)).filter(Boolean).length;
    expect(hits / 10_000).toBeGreaterThan(0.28);
    expect(hits / 10_000).toBeLessThan(0.32);
    expect(Array.from({ length: 100 }, () => random.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => random.chance(1)).every(Boolean)).toBe(true);
  });

  it('picks every element of a list, and refuses an empty one with an Aurora error', () => {
    const random = createSeededRandom(9);
    const picked = new Set(Array.from({ length: 500 }, () => random.pick(['a', 'b', 'c'])));
    expect(picked).toEqual(new Set(['a', 'b', 'c']));
    expect(() => random.pick([])).toThrow(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a non-finite numeric seed', () => {
    let caught: unknown;
    try {
      createSeededRandom(Number.NaN);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
  });
});
