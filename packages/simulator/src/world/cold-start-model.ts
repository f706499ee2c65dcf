/**
 * Time to load the workload's model once the machine is up (the main part of a cold start), in ms,
 * from two uniforms in [0, 1). With samples (the Alibaba base-model load trace), it is their
 * empirical quantile. Without, a two-part mixture fitted to that trace's shape: 28 % cached loads
 * (log-normal, median 2.8 s) and 72 % full loads (normal, mean 30.5 s, sd 11 s, 5-65 s), which
 * gives p10 2.6 s, p50 ~24 s, p90 ~42 s against the trace's 2.6 / 23.3 / 43.5 s.
 */
export type ColdStartModel = (first: number, second: number) => number;

export const syntheticColdStart = {
  cachedShare: 0.28,
  cached: { medianMs: 2_800, sigma: 0.25 },
  full: { meanMs: 30_500, sdMs: 11_000, minMs: 5_000, maxMs: 65_000 },
} as const;

export function createColdStartModel(samplesMs?: readonly number[]): ColdStartModel {
  if (samplesMs && samplesMs.length > 0) {
    const sorted = Float64Array.from(samplesMs).sort();
    return (first) => sorted[Math.min(sorted.length - 1, Math.floor(first * sorted.length))]!;
  }
  const { cachedShare, cached, full } = syntheticColdStart;
  return (first, second) => {
    const z = standardNormalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, second)));
    if (first < cachedShare) return cached.medianMs * Math.exp(cached.sigma * z);
    return Math.min(full.maxMs, Math.max(full.minMs, full.meanMs + full.sdMs * z));
  };
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function standardNormalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
