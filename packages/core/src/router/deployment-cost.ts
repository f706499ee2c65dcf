import type { Deployment } from '../schemas/deployment';

const millisecondsPerHour = 3_600_000;

/**
 * Cost so far: the deployment's price times the hours it has been running (from `started_at` to
 * `ended_at`, or to `now` while live). Zero before it runs. Rounded to a millionth of a dollar.
 */
export function accruedCostUsd(deployment: Pick<Deployment, 'price_usd_per_hour' | 'started_at' | 'ended_at'>, now: number): number {
  if (deployment.started_at === null) return 0;
  const start = Date.parse(deployment.started_at);
  const end = deployment.ended_at === null ? now : Date.parse(deployment.ended_at);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return 0;
  return Math.round(deployment.price_usd_per_hour * ((end - start) / millisecondsPerHour) * 1e6) / 1e6;
}

/**
 * The deployment with `cost_usd` brought up to `now`. A cost never goes down: one recorded
 * already (a prepaid term charged at placement, or accrued earlier) stays until the running time
 * is worth more.
 */
export function withAccruedCost(deployment: Deployment, now: number): Deployment {
  const cost = accruedCostUsd(deployment, now);
  return cost <= deployment.cost_usd ? deployment : { ...deployment, cost_usd: cost };
}
