/** Small numeric helpers for the estimators' confidence intervals and the Psi-field indicators. */

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index]!;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Sample variance (n - 1 in the denominator); 0 for fewer than two values. */
export function sampleVariance(values: ArrayLike<number>): number {
  const count = values.length;
  if (count < 2) return 0;
  const average = mean(values);
  let sum = 0;
  for (let index = 0; index < count; index++) sum += (values[index]! - average) ** 2;
  return sum / (count - 1);
}

/** The q-quantile of sorted values, linearly interpolated between order statistics (type 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const count = sorted.length;
  if (count === 0) return Number.NaN;
  const position = (count - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(count - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

// Coefficients of P. J. Acklam's rational approximation of the inverse normal CDF (relative error
// below 1.15e-9), from his published description of the algorithm.
const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const lowTail = 0.02425;

/** z such that P(Z <= z) = p for a standard normal Z, p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : Number.NaN;
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
