import { describe, expect, it } from 'vitest';
import { clairvoyantFrontier, informedFrontier } from './cost-latency-frontier';
import { runPolicyExperiment } from './policy-experiment';
import { rulesPolicyFactory } from './policy-factories';
import type { Expectation, Hypothetical, RunDecision } from './run-policy';
import type { RunMetrics } from './run-metrics';
import type { PlacementOutcome } from '../world/market-world';
import type { SimulatedRequest } from '../workload/simulated-request';

const request = { id: 'r-1' } as SimulatedRequest;

function placement(filled: boolean, cost_usd: number, latency?: number): PlacementOutcome {
  return {
    filled,
    cost_usd,
    gpu_hours_delivered: filled ? 1 : 0,
    ...(filled ? { achieved_latency_ms: latency!, time_to_running_ms: 1_000, end_reason: 'completed' as const } : { failure_reason: 'no_capacity' as const }),
    first_feedback_at: 0,
    ended_at: 0,
  };
}

function decisionOf(hypotheticals: Hypothetical[]): RunDecision {
  return { request, placement: hypotheticals[0]!.placement, reward: hypotheticals[0]!.reward, hypotheticals };
}

function expected(fill_probability: number, cost_usd: number, latency_ms_when_filled: number): Expectation {
  return { reward: 0, fill_probability, cost_usd, gpu_hours_delivered: fill_probability, latency_ms_when_filled };
}

// The control: one filled request at 2 USD per GPU-hour and 100 ms.
const control = { filled: 1, cost_usd: 2, cost_per_gpu_hour: 2, latency_ms_mean: 100 } as RunMetrics;

describe('clairvoyantFrontier', () => {
  const cheapFar = { placement: placement(true, 1, 300), reward: 0.1 };
  const dearNear = { placement: placement(true, 3, 20), reward: 0.2 };
  const unfilled = { placement: placement(false, 0), reward: -1 };

  it('takes a candidate that fills, the cheapest at weight 0 and the nearest without a cost weight', () => {
    const [costOnly, balanced, latencyOnly] = clairvoyantFrontier([decisionOf([unfilled, cheapFar, dearNear])], control, [0, 0.01, null]);
    expect(costOnly!.metrics).toMatchObject({ filled: 1, cost_usd: 1, latency_ms_mean: 300 });
    expect(balanced!.metrics).toMatchObject({ cost_usd: 1 });
    expect(latencyOnly!.metrics).toMatchObject({ filled: 1, cost_usd: 3, latency_ms_mean: 20 });
    expect(latencyOnly!.fill_weight).toBeNull();
  });

  it('moves to the nearer candidate once the latency weight passes the crossing point', () => {
    // Cost term (cost - 0.85 x 2 USD x 1 GPU-hour) / 2 USD, latency term latency / 100 ms:
    // cheapFar -0.35 + 3 w, dearNear 0.65 + 0.2 w; they cross at w = 1 / 2.8, about 0.36.
    const [below, above] = clairvoyantFrontier([decisionOf([cheapFar, dearNear])], control, [0.35, 0.36]);
    expect(below!.metrics.cost_usd).toBe(1);
    expect(above!.metrics.cost_usd).toBe(3);
  });

  it('takes the cheapest failure when no candidate fills', () => {
    const dearFailure = { placement: placement(false, 0.5), reward: -1 };
    const [point] = clairvoyantFrontier([decisionOf([dearFailure, unfilled])], control, [1]);
    expect(point!.metrics).toMatchObject({ filled: 0, cost_usd: 0 });
  });

  it('needs the hypotheticals of every decision', () => {
    expect(() => clairvoyantFrontier([{ request, placement: cheapFar.placement, reward: 0 }], control, [0])).toThrow(/hypotheticals/);
  });
});

describe('informedFrontier', () => {
  it('chooses by the means and faces the real draw, however it fell', () => {
    const likelyButUnlucky = { placement: placement(false, 0), reward: -1, expected: expected(0.9, 1, 50) };
    const unlikely = { placement: placement(true, 1, 50), reward: 0.3, expected: expected(0.2, 1, 50) };
    const [point] = informedFrontier([decisionOf([unlikely, likelyButUnlucky])], control, [2], [1]);
    expect(point!.metrics.filled).toBe(0);
    expect(point).toMatchObject({ fill_weight: 2, latency_weight: 1 });
  });

  it('trades fill for cost when the fill weight is small', () => {
    const sure = { placement: placement(true, 3, 50), reward: 0.1, expected: expected(1, 3, 50) };
    const cheapGamble = { placement: placement(true, 0.5, 50), reward: 0.1, expected: expected(0.6, 0.5, 50) };
    const [small, large] = informedFrontier([decisionOf([sure, cheapGamble])], control, [0.5, 8], [0]);
    expect(small!.metrics.cost_usd).toBe(0.5);
    expect(large!.metrics.cost_usd).toBe(3);
  });
});

describe('the frontier in an experiment', () => {
  it('reports both frontiers, the clairvoyant one filling at least as often as the hindsight oracle', async () => {
    const report = await runPolicyExperiment({ market: { catalog: [], traces: [], availability: [] }, seeds: [5, 6], requests: 80, policies: [rulesPolicyFactory()] });
    const frontier = report.headroom!.frontier!;
    expect(frontier.filter((point) => point.oracle === 'clairvoyant')).toHaveLength(7);
    expect(frontier.filter((point) => point.oracle === 'informed')).toHaveLength(28);
    for (const point of frontier.filter((item) => item.oracle === 'clairvoyant')) {
      expect(point.over_control.fill_rate_pts.mean).toBeGreaterThanOrEqual(report.headroom!.over_control.fill_rate_pts.mean - 1e-9);
    }
    const costOnly = frontier.find((point) => point.oracle === 'clairvoyant' && point.latency_weight === 0)!;
    const latencyOnly = frontier.find((point) => point.oracle === 'clairvoyant' && point.latency_weight === null)!;
    expect(costOnly.over_control.cost_pct.mean).toBeLessThan(latencyOnly.over_control.cost_pct.mean);
    expect(latencyOnly.over_control.latency_pct.mean).toBeLessThan(costOnly.over_control.latency_pct.mean);
  });
});
