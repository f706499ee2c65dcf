import type { ExperimentReport, OffPolicySummary, PairedEstimate, PolicyDifference, PolicySummary } from './experiment-report';
import type { Estimate } from './statistics';

type Interval = { mean: number; ci95: [number, number] };

/**
 * The one-line JSON summary `aurora simulate` prints last:
 * `{"bench":"policy","seeds":N,"policies":{...},"diff":{...},"ope":{...}}`, numbers rounded to six
 * significant digits, intervals as `{mean, ci95: [low, high]}`, differences with their per-seed values.
 */
export function policyBenchLine(report: ExperimentReport): Record<string, unknown> {
  const treatment = report.treatments[0];
  const line: Record<string, unknown> = {
    bench: 'policy',
    seeds: report.seeds.length,
    requests: report.requests,
    control: report.control,
    ...(treatment !== undefined ? { treatment } : {}),
    policies: Object.fromEntries(Object.entries(report.policies).map(([id, summary]) => [id, policyFigures(summary)])),
  };
  if (report.headroom) {
    const { informed } = report.headroom;
    line['headroom'] = {
      oracle: policyFigures(report.headroom.oracle),
      over_control: differenceFigures(report.headroom.over_control),
      ...(informed ? { informed_oracle: policyFigures(informed.oracle), informed_over_control: differenceFigures(informed.over_control) } : {}),
      ...(report.headroom.frontier
        ? {
            frontier: report.headroom.frontier.map(({ oracle, fill_weight, latency_weight, over_control }) => ({
              oracle, fill_weight, latency_weight,
              fill_rate_pts: interval(over_control.fill_rate_pts),
              cost_pct: interval(over_control.cost_pct),
              latency_pct: interval(over_control.latency_pct),
              time_to_running_pct: interval(over_control.time_to_running_pct),
              reward: interval(over_control.reward),
            })),
          }
        : {}),
    };
  }
  if (treatment !== undefined) {
    line['diff'] = differenceFigures(report.differences[treatment]!);
    const ope = report.ope?.[treatment];
    if (ope) line['ope'] = opeFigures(treatment, ope);
  }
  const lopo = report.leave_one_provider_out;
  if (lopo && treatment !== undefined) {
    line['leave_one_provider_out'] = {
      pooled: differenceFigures(lopo.pooled[treatment]!),
      providers: Object.fromEntries(Object.entries(lopo.providers).map(([provider, part]) => [provider, {
        policy: policyFigures(part.policies[treatment]!),
        diff: differenceFigures(part.differences[treatment]!),
        ...(part.ope?.[treatment] ? { ope: opeFigures(treatment, part.ope[treatment]) } : {}),
      }])),
    };
  }
  return line;
}

function policyFigures(summary: PolicySummary): Record<string, Interval | number> {
  return {
    fill_rate: interval(summary.fill_rate),
    cost_per_gpu_hour_usd: interval(summary.cost_per_gpu_hour_usd),
    latency_ms_mean: interval(summary.latency_ms_mean),
    latency_ms_p95: interval(summary.latency_ms_p95),
    time_to_running_ms_mean: interval(summary.time_to_running_ms_mean),
    reward_mean: interval(summary.reward_mean),
    regret_mean: interval(summary.regret_mean),
    requests_per_seed: summary.requests_per_seed,
  };
}

function differenceFigures(difference: PolicyDifference): Record<string, Interval & { per_seed: Array<number | null> }> {
  return Object.fromEntries(Object.entries(difference).map(([name, estimate]) => [name, paired(estimate)]));
}

function opeFigures(policy: string, ope: OffPolicySummary): Record<string, unknown> {
  return {
    policy,
    logging_policy: ope.logging_policy,
    logged_decisions_per_seed: ope.logged_decisions_per_seed,
    truth: interval(ope.truth),
    ...Object.fromEntries(Object.entries(ope.estimators).map(([name, value]) => [name, {
      ...interval(value.estimate),
      error_pct: paired(value.error_pct),
      error_of_means_pct: round(value.error_of_means_pct),
    }])),
  };
}

function interval(estimate: Estimate): Interval {
  return { mean: round(estimate.mean), ci95: [round(estimate.ci95[0]), round(estimate.ci95[1])] };
}

function paired(estimate: PairedEstimate): Interval & { per_seed: Array<number | null> } {
  return { ...interval(estimate), per_seed: estimate.per_seed.map((value) => (value === null ? null : round(value))) };
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) < 1e-9 ? 0 : Number(value.toPrecision(6));
}
