/** Two-sided 95 % standard normal quantile, z_{0.975}. */
export const z95 = 1.959963984540054;

const logHalf = Math.log(0.5);

/**
 * log of the complementary error function for x >= 0, computed in log space so that it never
 * underflows (erfc(30) is far below the smallest double). Chebyshev-fitted rational form with a
 * fractional error below 1.2e-7 everywhere (Press et al., Numerical Recipes, `erfcc`).
 */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const polynomial =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + polynomial;
}

/** log Φ(x), the log of the standard normal CDF; accurate in the far left tail as well. */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const scaled = Math.abs(x) / Math.SQRT2;
  const logTail = logHalf + logErfc(scaled);
  // Φ(x) = erfc(-x/√2)/2 for x < 0, and 1 - erfc(x/√2)/2 otherwise.
  return x < 0 ? logTail : Math.log1p(-Math.exp(logTail));
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return Math.exp(logNormalCdf(x));
}
