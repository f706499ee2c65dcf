/**
 * Running moments of pairs (numerator, denominator), e.g. (cost in USD, GPU-hours delivered) per
 * decision, for a ratio metric Σ numerator / Σ denominator. Keeping the co-moment makes the
 * delta-method variance of the ratio possible; averaging per-decision ratios would weigh a
 * ten-minute job like a ten-day one and divide by zero for jobs that delivered nothing.
 */
export type RatioMoments = {
  count: number;
  mean_numerator: number;
  mean_denominator: number;
  m2_numerator: number;
  m2_denominator: number;
  /** Σ (x - mean_x)(y - mean_y). */
  comoment: number;
};

export function emptyRatioMoments(): RatioMoments {
  return { count: 0, mean_numerator: 0, mean_denominator: 0, m2_numerator: 0, m2_denominator: 0, comoment: 0 };
}

/** Adds one pair in place (the online co-moment update uses the old x-mean and the new y-mean). */
export function addToRatioMoments(moments: RatioMoments, numerator: number, denominator: number): void {
  moments.count += 1;
  const deltaNumerator = numerator - moments.mean_numerator;
  const deltaDenominator = denominator - moments.mean_denominator;
  moments.mean_numerator += deltaNumerator / moments.count;
  moments.mean_denominator += deltaDenominator / moments.count;
  moments.m2_numerator += deltaNumerator * (numerator - moments.mean_numerator);
  moments.m2_denominator += deltaDenominator * (denominator - moments.mean_denominator);
  moments.comoment += deltaNumerator * (denominator - moments.mean_denominator);
}

/** Moments of the union of two disjoint samples (pairwise update, co-moment included). */
export function mergeRatioMoments(a: RatioMoments, b: RatioMoments): RatioMoments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const deltaNumerator = b.mean_numerator - a.mean_numerator;
  const deltaDenominator = b.mean_denominator - a.mean_denominator;
  const weight = (a.count * b.count) / count;
  return {
    count,
    mean_numerator: a.mean_numerator + (deltaNumerator * b.count) / count,
    mean_denominator: a.mean_denominator + (deltaDenominator * b.count) / count,
    m2_numerator: a.m2_numerator + b.m2_numerator + deltaNumerator * deltaNumerator * weight,
    m2_denominator: a.m2_denominator + b.m2_denominator + deltaDenominator * deltaDenominator * weight,
    comoment: a.comoment + b.comoment + deltaNumerator * deltaDenominator * weight,
  };
}

/**
 * The ratio R = x̄ / ȳ and the delta-method variance of its estimate:
 *   Var(R̂) ≈ (s_x² - 2 R s_xy + R² s_y²) / (n ȳ²)
 * with sample variances and covariance (n - 1 denominators). Null without a positive
 * denominator total.
 */
export function ratioEstimate(moments: RatioMoments): { estimate: number; variance: number } | null {
  const { count } = moments;
  if (count === 0 || !(moments.mean_denominator > 0)) return null;
  const ratio = moments.mean_numerator / moments.mean_denominator;
  if (count < 2) return { estimate: ratio, variance: 0 };
  const varianceNumerator = Math.max(0, moments.m2_numerator) / (count - 1);
  const varianceDenominator = Math.max(0, moments.m2_denominator) / (count - 1);
  const covariance = moments.comoment / (count - 1);
  const unitVariance = varianceNumerator - 2 * ratio * covariance + ratio * ratio * varianceDenominator;
  return { estimate: ratio, variance: Math.max(0, unitVariance) / (count * moments.mean_denominator ** 2) };
}
