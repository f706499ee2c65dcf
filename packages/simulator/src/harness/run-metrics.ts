import type { RunDecision } from './run-policy';
import { mean, quantile } from './statistics';

/** What one policy achieved over one period of one world. */
export type RunMetrics = {
  requests: number;
  /** Requests with at least one eligible offer (the others never reach the policy). */
  decisions: number;
  filled: number;
  /** Filled requests / all requests. */
  fill_rate: number;
  cost_usd: number;
  gpu_hours_delivered: number;
  /** Total cost / total useful GPU-hours (waste from cold starts and lost work included). */
  cost_per_gpu_hour: number;
  /** Achieved network round trip of filled requests, ms. */
  latency_ms_mean: number;
  latency_ms_p95: number;
  /** Decision to serving, filled requests, ms. */
  time_to_running_ms_mean: number;
  time_to_running_ms_p95: number;
  /** Mean reward per decision (the core's `computeReward`). */
  reward_mean: number;
  /** Mean of (hindsight-best reward - reward) per decision, when the oracle ran. */
  regret_mean?: number;
  /** Filled deployments that were preempted or lost their host before finishing. */
  interrupted: number;
};

export function summarizeRun(decisions: readonly RunDecision[]): RunMetrics {
  let filled = 0;
  let cost = 0;
  let delivered = 0;
  let interrupted = 0;
  const latencies: number[] = [];
  const starts: number[] = [];
  const rewards: number[] = [];
  const regrets: number[] = [];
  for (const decision of decisions) {
    const placement = decision.placement;
    if (!placement) continue;
    rewards.push(decision.reward!);
    if (decision.best_reward !== undefined) regrets.push(decision.best_reward - decision.reward!);
    cost += placement.cost_usd;
    delivered += placement.gpu_hours_delivered;
    if (!placement.filled) continue;
    filled += 1;
    if (placement.end_reason !== 'completed') interrupted += 1;
    latencies.push(placement.achieved_latency_ms!);
    starts.push(placement.time_to_running_ms!);
  }
  return {
    requests: decisions.length,
    decisions: rewards.length,
    filled,
    fill_rate: decisions.length > 0 ? filled / decisions.length : 0,
    cost_usd: cost,
    gpu_hours_delivered: delivered,
    cost_per_gpu_hour: delivered > 0 ? cost / delivered : Number.NaN,
    latency_ms_mean: mean(latencies),
    latency_ms_p95: quantile(latencies, 0.95),
    time_to_running_ms_mean: mean(starts),
    time_to_running_ms_p95: quantile(starts, 0.95),
    reward_mean: mean(rewards),
    ...(regrets.length > 0 ? { regret_mean: mean(regrets) } : {}),
    interrupted,
  };
}
