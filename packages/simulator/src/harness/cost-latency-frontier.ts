import type { Hypothetical, RunDecision } from './run-policy';
import { summarizeRun, type RunMetrics } from './run-metrics';

/**
 * Weights of latency against cost along a frontier, from cost only (0) to latency only (null: the
 * lowest latency, cost breaking ties).
 */
export const frontierLatencyWeights: ReadonlyArray<number | null> = [0, 0.1, 0.3, 1, 3, 10, null];

/** Weights of filling (in units of the control's cost per filled request) of the informed frontier. */
export const frontierFillWeights: readonly number[] = [0.5, 2, 8, 32];

export type FrontierPoint = { fill_weight: number | null; latency_weight: number | null; metrics: RunMetrics };

/** The cost per delivered GPU-hour the cost term aims at, relative to the control's. */
const costTargetRatio = 0.85;

type Scales = { targetPerGpuHour: number; costPerFilled: number; latency: number };

/**
 * The cost and latency terms are the per-request parts of the run's figures: its cost per delivered
 * GPU-hour, linearised at 85 % of the control's, in units of the control's cost per filled request,
 * and its mean latency, in units of the control's.
 */
function scalesOf(control: RunMetrics): Scales {
  return {
    targetPerGpuHour: costTargetRatio * (Number.isFinite(control.cost_per_gpu_hour) ? control.cost_per_gpu_hour : 0),
    costPerFilled: control.filled > 0 ? control.cost_usd / control.filled : 1,
    latency: control.latency_ms_mean > 0 ? control.latency_ms_mean : 1,
  };
}

/**
 * The trade-off between cost and latency open to a clairvoyant policy, one that knows what every
 * candidate of every decision would do. For each latency weight it takes, per decision, a
 * candidate that fills whenever any would (so its fill rate is the hindsight ceiling), and among
 * those the least `cost term + weight x latency term`; where nothing fills, the cheapest failure.
 * No policy can do better than the frontier these points trace, in the states of the control's
 * run (as for the other oracles).
 *
 * `decisions` must carry `hypotheticals` (`runPolicy` with `oracle` and `keepHypotheticals`).
 */
export function clairvoyantFrontier(decisions: readonly RunDecision[], control: RunMetrics, latencyWeights = frontierLatencyWeights): FrontierPoint[] {
  const scales = scalesOf(control);
  return latencyWeights.map((latency_weight) => {
    const metrics = summarizeRun(decisions.map((decision) => choose(decision, (hypotheticals) => {
      const cost = (index: number) => costTerm(hypotheticals[index]!.placement.cost_usd, hypotheticals[index]!.placement.gpu_hours_delivered, scales);
      const latency = (index: number) => hypotheticals[index]!.placement.achieved_latency_ms! / scales.latency;
      const objective = latency_weight === null ? (index: number) => latency(index) + 1e-9 * cost(index) : (index: number) => cost(index) + latency_weight * latency(index);
      const best = argMin(hypotheticals.length, objective, (index) => hypotheticals[index]!.placement.filled);
      return best >= 0 ? best : argMin(hypotheticals.length, (index) => hypotheticals[index]!.placement.cost_usd);
    })));
    return { fill_weight: null, latency_weight, metrics };
  });
}

/**
 * The same trade-off open to the informed oracle: it knows each candidate's means over independent
 * placements (its true rates), not the luck of the draw, and takes the least expected
 * `-fill weight x P(fill) + cost term + latency weight x P(fill) x latency term`, then faces the
 * candidate's real draw. Its points bound what a policy that learns rates from outcomes can reach
 * with these trade-offs. `decisions` need `hypotheticals` with `expected` (`runPolicy` with
 * `informedDraws` too).
 */
export function informedFrontier(
  decisions: readonly RunDecision[],
  control: RunMetrics,
  fillWeights = frontierFillWeights,
  latencyWeights = frontierLatencyWeights,
): FrontierPoint[] {
  const scales = scalesOf(control);
  return fillWeights.flatMap((fill_weight) =>
    latencyWeights.map((latency_weight) => {
      const metrics = summarizeRun(decisions.map((decision) => choose(decision, (hypotheticals) => {
        const objective = (index: number) => {
          const expected = hypotheticals[index]!.expected;
          if (!expected) throw new Error('informedFrontier needs hypotheticals with expectations (runPolicy informedDraws)');
          const latency = expected.fill_probability > 0 ? (expected.fill_probability * expected.latency_ms_when_filled) / scales.latency : 0;
          const cost = costTerm(expected.cost_usd, expected.gpu_hours_delivered, scales);
          const trade = latency_weight === null ? latency + 1e-9 * cost : cost + latency_weight * latency;
          return trade - fill_weight * expected.fill_probability;
        };
        return argMin(hypotheticals.length, objective);
      })));
      return { fill_weight, latency_weight, metrics };
    }),
  );
}

function costTerm(costUsd: number, gpuHoursDelivered: number, scales: Scales): number {
  return (costUsd - scales.targetPerGpuHour * gpuHoursDelivered) / scales.costPerFilled;
}

/** The decision with the placement of the candidate `pick` chooses among its hypotheticals. */
function choose(decision: RunDecision, pick: (hypotheticals: readonly Hypothetical[]) => number): RunDecision {
  if (decision.placement === undefined) return { request: decision.request };
  const hypotheticals = decision.hypotheticals;
  if (!hypotheticals || hypotheticals.length === 0) throw new Error('a frontier needs decisions with hypotheticals (runPolicy keepHypotheticals)');
  const chosen = hypotheticals[pick(hypotheticals)]!;
  return { request: decision.request, placement: chosen.placement, reward: chosen.reward, ...(decision.best_reward !== undefined ? { best_reward: decision.best_reward } : {}) };
}

/** The index in [0, count) with the least objective among those `eligible` admits; -1 when none. */
function argMin(count: number, objective: (index: number) => number, eligible: (index: number) => boolean = () => true): number {
  let best = -1;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let index = 0; index < count; index++) {
    if (!eligible(index)) continue;
    const value = objective(index);
    if (best < 0 || value < bestValue) {
      best = index;
      bestValue = value;
    }
  }
  return best;
}
