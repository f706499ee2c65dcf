/**
 * io.net quotes one total for the whole request: `total_cost_usdc` covers every replica for the
 * whole `duration_hours` (USDC, taken as USD). These turn it into rates.
 */

/** USD per hour for the whole deployment: total / duration. */
export function hourlyPriceUsd(totalCostUsdc: number, durationHours: number): number {
  return totalCostUsdc / durationHours;
}

/** USD per GPU-hour: total / (duration x replicas x GPUs per container). */
export function perGpuHourPriceUsd(totalCostUsdc: number, durationHours: number, replicaCount: number, gpusPerContainer: number): number {
  return totalCostUsdc / (durationHours * replicaCount * gpusPerContainer);
}

/** Rounds money to 1e-6 USD so float noise (4.380000000001) does not leak into offers. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
