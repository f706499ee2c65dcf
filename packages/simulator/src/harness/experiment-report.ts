import type { FrontierPoint } from './cost-latency-frontier';
import type { RunMetrics } from './run-metrics';
import { estimateMean, pairedDifference, type Estimate } from './statistics';

/** One seed's raw figures: each policy's month, and the off-policy and leave-one-provider-out parts. */
export type SeedResult = {
  seed: number;
  runs: Record<string, RunMetrics>;
  /** The hindsight oracle's figures in the control's month (see `RunResult.oracle_metrics`). */
  oracle?: RunMetrics;
  /** The informed oracle's (true rates known, not the draws) in the same month. */
  informed_oracle?: RunMetrics;
  /** The clairvoyant and informed frontiers' points in the same month (`cost-latency-frontier.ts`). */
  frontier?: FrontierPoint[];
  /** Per learning policy: its true holdout value and the estimators' predictions of it. */
  ope?: Record<string, SeedOffPolicy>;
  /** Per left-out provider: the treatments' months and off-policy parts. */
  lopo?: Record<string, { runs: Record<string, RunMetrics>; ope?: Record<string, SeedOffPolicy> }>;
};

export type SeedOffPolicy = {
  truth: number;
  estimates: Record<string, { estimate: number; ci95?: [number, number] }>;
  logged_decisions: number;
};

/** Each figure of a policy over seeds. */
export type PolicySummary = {
  fill_rate: Estimate;
  cost_per_gpu_hour_usd: Estimate;
  latency_ms_mean: Estimate;
  latency_ms_p95: Estimate;
  time_to_running_ms_mean: Estimate;
  time_to_running_ms_p95: Estimate;
  reward_mean: Estimate;
  regret_mean: Estimate;
  requests_per_seed: number;
};

/** `per_seed[i]` is seed i's difference, null where the figure does not exist for that seed. */
export type PairedEstimate = Estimate & { per_seed: Array<number | null> };

/** Treatment minus control, paired by seed. Percentages are relative to the control. */
export type PolicyDifference = {
  fill_rate_pts: PairedEstimate;
  cost_pct: PairedEstimate;
  latency_pct: PairedEstimate;
  latency_p95_pct: PairedEstimate;
  time_to_running_pct: PairedEstimate;
  reward: PairedEstimate;
  regret: PairedEstimate;
};

export type OffPolicySummary = {
  logging_policy: { id: 'rules'; epsilon: number };
  logged_decisions_per_seed: number;
  /** The frozen policy's mean reward per decision on the holdout, simulated. */
  truth: Estimate;
  estimators: Record<string, {
    estimate: Estimate;
    /** (estimate - truth) / |truth| x 100 per seed. */
    error_pct: PairedEstimate;
    /** |mean estimate - mean truth| / |mean truth| x 100. */
    error_of_means_pct: number;
  }>;
};

export type ExperimentReport = {
  seeds: number[];
  requests: number;
  control: string;
  treatments: string[];
  policies: Record<string, PolicySummary>;
  /** Per treatment, against the control. */
  differences: Record<string, PolicyDifference>;
  /**
   * The hindsight oracle (the best candidate of every decision, knowing its outcome) and its
   * difference to the control: how much any policy could gain in these markets.
   */
  headroom?: {
    oracle: PolicySummary;
    over_control: PolicyDifference;
    /** Knows every listing's true rates, not the luck of each draw: the ceiling of any learner. */
    informed?: { oracle: PolicySummary; over_control: PolicyDifference };
    /**
     * The cost-latency frontiers: clairvoyant (knows every outcome; `fill_weight` null) and
     * informed (knows the true rates), per weight, against the control. No informed point meeting
     * every target means no policy that learns from outcomes can meet them together here.
     */
    frontier?: Array<{ oracle: 'clairvoyant' | 'informed'; fill_weight: number | null; latency_weight: number | null; over_control: PolicyDifference }>;
  };
  ope?: Record<string, OffPolicySummary>;
  leave_one_provider_out?: {
    providers: Record<string, { policies: Record<string, PolicySummary>; differences: Record<string, PolicyDifference>; ope?: Record<string, OffPolicySummary> }>;
    /** Per seed, the treatment's differences averaged over left-out providers, then over seeds. */
    pooled: Record<string, PolicyDifference>;
  };
};

export type SummarizeInput = {
  seeds: readonly number[];
  requests: number;
  policies: readonly string[];
  loggingEpsilon: number;
  results: readonly SeedResult[];
};

export function summarizeExperiment(input: SummarizeInput): ExperimentReport {
  const { results } = input;
  const [control, ...treatments] = input.policies as [string, ...string[]];
  const policies: Record<string, PolicySummary> = {};
  for (const id of input.policies) policies[id] = summarizePolicy(results.map((result) => result.runs[id]!));
  const controlRuns = results.map((result) => result.runs[control]!);
  const differences: Record<string, PolicyDifference> = {};
  for (const id of treatments) differences[id] = compare(controlRuns, results.map((result) => result.runs[id]!));

  const report: ExperimentReport = { seeds: [...input.seeds], requests: input.requests, control, treatments, policies, differences };
  if (results.length > 0 && results.every((result) => result.oracle)) {
    const oracleRuns = results.map((result) => result.oracle!);
    report.headroom = { oracle: summarizePolicy(oracleRuns), over_control: compare(controlRuns, oracleRuns) };
    if (results.every((result) => result.informed_oracle)) {
      const informedRuns = results.map((result) => result.informed_oracle!);
      report.headroom.informed = { oracle: summarizePolicy(informedRuns), over_control: compare(controlRuns, informedRuns) };
    }
    const points = results[0]?.frontier;
    if (points && results.every((result) => result.frontier?.length === points.length)) {
      report.headroom.frontier = points.map(({ fill_weight, latency_weight }, index) => ({
        oracle: fill_weight === null ? 'clairvoyant' : 'informed',
        fill_weight,
        latency_weight,
        over_control: compare(controlRuns, results.map((result) => result.frontier![index]!.metrics)),
      }));
    }
  }
  if (results.every((result) => result.ope)) {
    const ope: Record<string, OffPolicySummary> = {};
    for (const id of Object.keys(results[0]?.ope ?? {})) ope[id] = summarizeOffPolicy(results.map((result) => result.ope![id]!), input.loggingEpsilon);
    report.ope = ope;
  }
  if (results.every((result) => result.lopo)) {
    const providers: NonNullable<ExperimentReport['leave_one_provider_out']>['providers'] = {};
    const providerIds = Object.keys(results[0]?.lopo ?? {});
    for (const provider of providerIds) {
      const parts = results.map((result) => result.lopo![provider]!);
      const providerPolicies: Record<string, PolicySummary> = {};
      const providerDifferences: Record<string, PolicyDifference> = {};
      for (const id of treatments) {
        const runs = parts.map((part) => part.runs[id]!);
        providerPolicies[id] = summarizePolicy(runs);
        providerDifferences[id] = compare(controlRuns, runs);
      }
      const providerOpe: Record<string, OffPolicySummary> = {};
      for (const id of Object.keys(parts[0]?.ope ?? {})) providerOpe[id] = summarizeOffPolicy(parts.map((part) => part.ope![id]!), input.loggingEpsilon);
      providers[provider] = {
        policies: providerPolicies,
        differences: providerDifferences,
        ...(Object.keys(providerOpe).length > 0 ? { ope: providerOpe } : {}),
      };
    }
    const pooled: Record<string, PolicyDifference> = {};
    for (const id of treatments) {
      pooled[id] = averageDifferences(providerIds.map((provider) => providers[provider]!.differences[id]!));
    }
    report.leave_one_provider_out = { providers, pooled };
  }
  return report;
}

function summarizePolicy(runs: readonly RunMetrics[]): PolicySummary {
  const of = (pick: (run: RunMetrics) => number | undefined) => estimateMean(finiteOnly(runs.map(pick)));
  return {
    fill_rate: of((run) => run.fill_rate),
    cost_per_gpu_hour_usd: of((run) => run.cost_per_gpu_hour),
    latency_ms_mean: of((run) => run.latency_ms_mean),
    latency_ms_p95: of((run) => run.latency_ms_p95),
    time_to_running_ms_mean: of((run) => run.time_to_running_ms_mean),
    time_to_running_ms_p95: of((run) => run.time_to_running_ms_p95),
    reward_mean: of((run) => run.reward_mean),
    regret_mean: of((run) => run.regret_mean ?? 0),
    requests_per_seed: runs[0]?.requests ?? 0,
  };
}

/** Paired by seed: `treatment[i]` and `control[i]` ran the same world. */
export function compare(control: readonly RunMetrics[], treatment: readonly RunMetrics[]): PolicyDifference {
  const points = (pick: (run: RunMetrics) => number, scale: number) =>
    differenceOf(treatment.map((run, index) => (pick(run) - pick(control[index]!)) * scale));
  const percent = (pick: (run: RunMetrics) => number) =>
    differenceOf(treatment.map((run, index) => (pick(run) / pick(control[index]!) - 1) * 100));
  return {
    fill_rate_pts: points((run) => run.fill_rate, 100),
    cost_pct: percent((run) => run.cost_per_gpu_hour),
    latency_pct: percent((run) => run.latency_ms_mean),
    latency_p95_pct: percent((run) => run.latency_ms_p95),
    time_to_running_pct: percent((run) => run.time_to_running_ms_mean),
    reward: points((run) => run.reward_mean, 1),
    regret: points((run) => run.regret_mean ?? 0, 1),
  };
}

function summarizeOffPolicy(parts: readonly SeedOffPolicy[], epsilon: number): OffPolicySummary {
  const truths = parts.map((part) => part.truth);
  const truth = estimateMean(truths);
  const estimators: OffPolicySummary['estimators'] = {};
  for (const name of Object.keys(parts[0]?.estimates ?? {})) {
    const values = parts.map((part) => part.estimates[name]?.estimate ?? Number.NaN);
    const estimate = estimateMean(finiteOnly(values));
    estimators[name] = {
      estimate,
      error_pct: differenceOf(values.map((value, index) => ((value - truths[index]!) / Math.abs(truths[index]!)) * 100)),
      error_of_means_pct: (Math.abs(estimate.mean - truth.mean) / Math.abs(truth.mean)) * 100,
    };
  }
  return {
    logging_policy: { id: 'rules', epsilon },
    logged_decisions_per_seed: Math.round(parts.reduce((sum, part) => sum + part.logged_decisions, 0) / Math.max(1, parts.length)),
    truth,
    estimators,
  };
}

/** Per seed, the mean over providers of each paired difference; then the interval over seeds. */
function averageDifferences(differences: readonly PolicyDifference[]): PolicyDifference {
  const keys = Object.keys(differences[0]!) as Array<keyof PolicyDifference>;
  const result = {} as PolicyDifference;
  for (const key of keys) {
    const seeds = differences[0]![key].per_seed.length;
    const perSeed = Array.from({ length: seeds }, (_, seed) => differences.reduce((sum, difference) => sum + (difference[key].per_seed[seed] ?? Number.NaN), 0) / differences.length);
    result[key] = differenceOf(perSeed);
  }
  return result;
}

/**
 * A per-seed difference series as an estimate. Seeds where a figure does not exist (no filled
 * request, no delivered GPU-hour: NaN or infinite) are left out, and `n` says how many remain;
 * `per_seed` keeps them as null so positions still match the seeds.
 */
function differenceOf(perSeed: readonly number[]): PairedEstimate {
  const kept = finiteOnly(perSeed);
  return { ...pairedDifference(kept.map(() => 0), kept), per_seed: perSeed.map((value) => (Number.isFinite(value) ? value : null)) };
}

function finiteOnly(values: ReadonlyArray<number | undefined>): number[] {
  return values.filter((value): value is number => value !== undefined && Number.isFinite(value));
}
