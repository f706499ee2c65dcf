import type { SeededRandom } from './seeded-random';

/**
 * A right-skewed duration, described the way provider docs and traces report it: a median and a
 * 90th percentile. Sampled as a log-normal, clamped to `[minMs, maxMs]` when given.
 */
export type DurationDistribution = {
  medianMs: number;
  p90Ms: number;
  minMs?: number;
  maxMs?: number;
};

/** z-score of the 90th percentile of the standard normal. */
const z90 = 1.2815515655446004;

/** One duration in ms from `distribution`. */
export function sampleDuration(random: SeededRandom, distribution: DurationDistribution): number {
  const { medianMs, p90Ms, minMs = 0, maxMs = Number.POSITIVE_INFINITY } = distribution;
  const sigma = p90Ms > medianMs ? Math.log(p90Ms / medianMs) / z90 : 0;
  const value = sigma > 0 ? random.lognormal(Math.log(medianMs), sigma) : medianMs;
  return Math.min(maxMs, Math.max(minMs, value));
}
