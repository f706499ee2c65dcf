/**
 * Count, mean and sum of squared deviations of a stream (Welford). Plain numbers, so the state is
 * JSON as it stands and can be stored, shipped between replicas and merged.
 */
export type RunningMoments = {
  count: number;
  mean: number;
  /** Σ (x - mean)², the second central moment times the count. */
  m2: number;
};

export function emptyMoments(): RunningMoments {
  return { count: 0, mean: 0, m2: 0 };
}

/** Adds one value in place (Welford's update: numerically stable, one pass). */
export function addToMoments(moments: RunningMoments, value: number): void {
  moments.count += 1;
  const delta = value - moments.mean;
  moments.mean += delta / moments.count;
  moments.m2 += delta * (value - moments.mean);
}

/**
 * Moments of the union of two disjoint samples (Chan, Golub and LeVeque's pairwise update):
 * m2 = m2_a + m2_b + δ² · n_a · n_b / n, with δ the difference of the two means.
 */
export function mergeMoments(a: RunningMoments, b: RunningMoments): RunningMoments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
  };
}

/** The unbiased sample variance (n - 1 in the denominator); 0 below two values. */
export function sampleVariance(moments: RunningMoments): number {
  return moments.count < 2 ? 0 : Math.max(0, moments.m2) / (moments.count - 1);
}
