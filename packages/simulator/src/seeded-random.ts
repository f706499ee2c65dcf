import { InvalidArgumentError } from '@aurora/router';

export type Seed = number | string;

/**
 * A deterministic pseudo-random stream (xoshiro128**, seeded through a 128-bit string hash).
 * Fast and small; not for cryptography.
 */
export interface SeededRandom {
  /** The derivation key of this stream: the root seed, then each `fork` label, joined by `/`. */
  readonly key: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  integer(min: number, max: number): number;
  /** True with probability `probability` (clamped to [0, 1]). */
  chance(probability: number): boolean;
  /** Normal (Gaussian) variate. */
  normal(mean?: number, standardDeviation?: number): number;
  /** Log-normal variate: `exp(normal(mu, sigma))`. */
  lognormal(mu: number, sigma: number): number;
  /** Exponential variate with the given mean (not rate). */
  exponential(mean: number): number;
  /** One element, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /**
   * An independent stream named `label`. It depends only on this stream's key and the label, never
   * on how many numbers this stream has drawn, so two simulations that fork the same labels see the
   * same world whatever else they did in between.
   */
  fork(label: string): SeededRandom;
}

const twoToThe32 = 4_294_967_296;

/** A seeded random stream. The same seed always gives the same sequence. */
export function createSeededRandom(seed: Seed): SeededRandom {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new InvalidArgumentError({ issues: [{ field: 'seed', reason: 'must be a finite number or a string' }] });
  }
  return new Xoshiro128StarStar(String(seed));
}

class Xoshiro128StarStar implements SeededRandom {
  readonly key: string;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  constructor(key: string) {
    this.key = key;
    const [a, b, c, d] = hash128(key);
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
    // The all-zero state is the generator's one fixed point.
    if ((a | b | c | d) === 0) this.s0 = 1;
  }

  uint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const shifted = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= shifted;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  next(): number {
    return this.uint32() / twoToThe32;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  integer(min: number, max: number): number {
    const low = Math.ceil(Math.min(min, max));
    const high = Math.floor(Math.max(min, max));
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(probability: number): boolean {
    if (!(probability > 0)) return false;
    if (probability >= 1) return true;
    return this.next() < probability;
  }

  normal(mean = 0, standardDeviation = 1): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + standardDeviation * spare;
    }
    // Box-Muller; 1 - next() keeps the logarithm away from zero.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + standardDeviation * radius * Math.cos(angle);
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new InvalidArgumentError({ issues: [{ field: 'items', reason: 'cannot pick from an empty list' }] });
    }
    return items[Math.floor(this.next() * items.length)]!;
  }

  fork(label: string): SeededRandom {
    return new Xoshiro128StarStar(`${this.key}/${label}`);
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * Four 32-bit words from a string: four multiplicative lanes over the UTF-16 code units, then a
 * cross-lane avalanche so that every input bit reaches every output word. 128 bits keep
 * accidental collisions between forked streams out of reach.
 */
function hash128(text: string): [number, number, number, number] {
  let h1 = 0x9e3779b9;
  let h2 = 0x243f6a88;
  let h3 = 0xb7e15162;
  let h4 = 0x85a308d3;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x85ebca6b);
    h3 = Math.imul(h3 ^ code, 0xc2b2ae35);
    h4 = Math.imul(h4 ^ code, 0x27d4eb2f);
  }
  h1 = Math.imul(h1 ^ (h3 >>> 15), 0x85ebca6b) ^ text.length;
  h2 = Math.imul(h2 ^ (h4 >>> 13), 0xc2b2ae35);
  h3 = Math.imul(h3 ^ (h1 >>> 16), 0x27d4eb2f);
  h4 = Math.imul(h4 ^ (h2 >>> 16), 0x165667b1);
  h1 = finalMix(h1 ^ h2 ^ h3 ^ h4);
  h2 = finalMix(h2 ^ h1);
  h3 = finalMix(h3 ^ h1);
  h4 = finalMix(h4 ^ h1);
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function finalMix(value: number): number {
  let mixed = value;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return mixed;
}
