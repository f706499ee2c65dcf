import { describe, expect, it } from 'vitest';
import { murmurHash3, stableHashPercentage } from './stable-hash';

describe('murmurHash3', () => {
  it('matches the reference MurmurHash3 x86 32-bit vectors', () => {
    expect(murmurHash3('')).toBe(0);
    expect(murmurHash3('', 1)).toBe(0x514e28b7);
    expect(murmurHash3('hello')).toBe(0x248bfa47);
    expect(murmurHash3('aaa', 0x9747b28c)).toBe(0x283e0130);
    expect(murmurHash3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes, so non-ASCII keys are stable too', () => {
    expect(murmurHash3('ü')).toBe(murmurHash3('\u00fc'));
    expect(murmurHash3('ü')).not.toBe(murmurHash3('u'));
  });
});

describe('stableHashPercentage', () => {
  it('is deterministic and within [0, 100)', () => {
    for (let index = 0; index < 1_000; index++) {
      const value = stableHashPercentage(`tenant-${index}`);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(100);
      expect(stableHashPercentage(`tenant-${index}`)).toBe(value);
    }
  });

  it('spreads similar keys evenly over ten buckets', () => {
    const buckets = new Array<number>(10).fill(0);
    const keys = 50_000;
    for (let index = 0; index < keys; index++) buckets[Math.floor(stableHashPercentage(`salt::key-${index}`) / 10)]! += 1;
    // Chi-square with 9 degrees of freedom; 27.9 is the 0.999 quantile.
    const expected = keys / 10;
    const chiSquare = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.9);
  });
});
