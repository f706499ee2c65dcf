import { describe, expect, it } from 'vitest';
import { policyBenchLine } from './bench-line';
import { summarizeExperiment, type SeedResult } from './experiment-report';
import type { RunMetrics } from './run-metrics';
import { studentTQuantile } from './statistics';

function metrics(overrides: Partial<RunMetrics>): RunMetrics {
  return {
    requests: 100, decisions: 95, filled: 80, fill_rate: 0.8, cost_usd: 100, gpu_hours_delivered: 50, cost_per_gpu_hour: 2,
    latency_ms_mean: 100, latency_ms_p95: 200, time_to_running_ms_mean: 60_000, time_to_running_ms_p95: 120_000,
    reward_mean: 0.2, regret_mean: 0.1, interrupted: 0, ...overrides,
  };
}

/** Three seeds; the treatment fills 6, 8 and 10 points more, costs 10 % less and is 20 % faster on every seed. */
const results: SeedResult[] = [0.7, 0.8, 0.75].map((fill, index) => ({
  seed: index + 1,
  runs: {
    rules: metrics({ fill_rate: fill, cost_per_gpu_hour: 2 + index, latency_ms_mean: 100 * (index + 1) }),
    ai: metrics({ fill_rate: fill + 0.06 + 0.02 * index, cost_per_gpu_hour: (2 + index) * 0.9, latency_ms_mean: 80 * (index + 1), regret_mean: 0.05 }),
  },
  ope: { ai: { truth: 0.4, estimates: { ips: { estimate: 0.38 + 0.02 * index }, dr: { estimate: 0.4 } }, logged_decisions: 50 } },
  lopo: {
    vast: { runs: { ai: metrics({ fill_rate: fill + 0.02 }) } },
    runpod: { runs: { ai: metrics({ fill_rate: fill + 0.04 }) } },
  },
}));

describe('summarizeExperiment', () => {
  const report = summarizeExperiment({ seeds: [1, 2, 3], requests: 100, policies: ['rules', 'ai'], loggingEpsilon: 0.1, results });

  it('averages each policy over seeds with a t interval', () => {
    const fill = report.policies['rules']!.fill_rate;
    expect(fill.mean).toBeCloseTo(0.75, 12);
    const half = studentTQuantile(0.975, 2) * (0.05 / Math.sqrt(3));
    expect(fill.ci95[0]).toBeCloseTo(0.75 - half, 10);
    expect(fill.ci95[1]).toBeCloseTo(0.75 + half, 10);
  });

  it('pairs treatment and control per seed: points for fill rate, percent for cost and latency', () => {
    const difference = report.differences['ai']!;
    expect(difference.fill_rate_pts.per_seed.map((value) => Number(value!.toFixed(9)))).toEqual([6, 8, 10]);
    expect(difference.fill_rate_pts.mean).toBeCloseTo(8, 9);
    const half = studentTQuantile(0.975, 2) * (2 / Math.sqrt(3));
    expect(difference.fill_rate_pts.ci95[0]).toBeCloseTo(8 - half, 8);
    expect(difference.cost_pct.mean).toBeCloseTo(-10, 9);
    expect(difference.cost_pct.ci95[0]).toBeCloseTo(-10, 9);
    expect(difference.latency_pct.mean).toBeCloseTo(-20, 9);
    expect(difference.regret.mean).toBeCloseTo(-0.05, 12);
  });

  it('compares off-policy estimates with the simulated truth per seed', () => {
    const ope = report.ope!['ai']!;
    expect(ope.truth.mean).toBeCloseTo(0.4, 12);
    expect(ope.estimators['ips']!.error_pct.per_seed.map((value) => Number(value!.toFixed(6)))).toEqual([-5, 0, 5]);
    expect(ope.estimators['ips']!.error_of_means_pct).toBeCloseTo(0, 9);
    expect(ope.estimators['dr']!.error_pct.mean).toBeCloseTo(0, 12);
    expect(ope.logging_policy).toEqual({ id: 'rules', epsilon: 0.1 });
  });

  it('pools leave-one-provider-out differences over providers per seed', () => {
    const lopo = report.leave_one_provider_out!;
    expect(lopo.providers['vast']!.differences['ai']!.fill_rate_pts.mean).toBeCloseTo(2, 9);
    expect(lopo.providers['runpod']!.differences['ai']!.fill_rate_pts.mean).toBeCloseTo(4, 9);
    expect(lopo.pooled['ai']!.fill_rate_pts.per_seed.map((value) => Number(value!.toFixed(9)))).toEqual([3, 3, 3]);
  });

  it('leaves seeds without a figure out of the interval instead of counting them as zero', () => {
    const broken = results.map((result, index) => ({ ...result, runs: { ...result.runs, ai: { ...result.runs['ai']!, cost_per_gpu_hour: index === 0 ? Number.NaN : result.runs['ai']!.cost_per_gpu_hour } } }));
    const partial = summarizeExperiment({ seeds: [1, 2, 3], requests: 100, policies: ['rules', 'ai'], loggingEpsilon: 0.1, results: broken });
    expect(partial.differences['ai']!.cost_pct.n).toBe(2);
    expect(partial.differences['ai']!.cost_pct.per_seed[0]).toBeNull();
    expect(partial.policies['ai']!.cost_per_gpu_hour_usd.n).toBe(2);
  });

  it('renders the bench line with the documented shape', () => {
    const line = JSON.parse(JSON.stringify(policyBenchLine(report)));
    expect(Object.keys(line)).toEqual(['bench', 'seeds', 'requests', 'control', 'treatment', 'policies', 'diff', 'ope', 'leave_one_provider_out']);
    expect(line).toMatchObject({ bench: 'policy', seeds: 3, control: 'rules', treatment: 'ai' });
    expect(Object.keys(line.policies)).toEqual(['rules', 'ai']);
    expect(line.policies.ai.fill_rate).toEqual({ mean: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    expect(line.diff.fill_rate_pts).toMatchObject({ mean: 8, per_seed: [6, 8, 10] });
    expect(Object.keys(line.diff)).toEqual(expect.arrayContaining(['fill_rate_pts', 'cost_pct', 'latency_pct']));
    expect(line.ope).toMatchObject({ policy: 'ai', truth: { mean: 0.4 }, ips: { mean: 0.4, error_of_means_pct: 0 } });
    expect(line.leave_one_provider_out.pooled.fill_rate_pts.mean).toBe(3);
  });
});
