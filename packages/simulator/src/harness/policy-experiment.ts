import { InvalidArgumentError, RulePolicy, toJsonLines, type DecisionLogRecord, type Policy } from '@aurora/router';
import type { AvailabilityTrace } from '../data/availability-trace';
import type { CatalogEntry } from '../data/price-catalog';
import type { WorkloadTrace } from '../data/workload-trace';
import { createSeededRandom, type SeededRandom } from '../seeded-random';
import { generateRequests } from '../workload/generate-requests';
import type { SimulatedRequest } from '../workload/simulated-request';
import { MarketWorld } from '../world/market-world';
import { syntheticCatalog } from '../world/synthetic-catalog';
import { clairvoyantFrontier, informedFrontier, type FrontierPoint } from './cost-latency-frontier';
import { summarizeExperiment, type ExperimentReport, type SeedResult } from './experiment-report';
import { runPolicy, type RunResult } from './run-policy';

export type PolicyFactoryInput = {
  seed: number;
  /** Uniform numbers in [0, 1) from the run's own seeded stream. */
  random: () => number;
  /** The rule policy's logged decisions (with outcomes) from the warm-up period before the run. */
  warmUp: readonly DecisionLogRecord[];
};

/** Builds a fresh policy per run, so that runs never share state. */
export type PolicyFactory = {
  id: string;
  create(input: PolicyFactoryInput): Policy;
  /** Whether the policy learns from outcomes during a run (they reach `observe`). */
  learns: boolean;
};

/** Off-policy estimates of a target policy from logged decisions (the core's `evaluatePolicyOffline` or another). */
export type OffPolicyEstimator = (records: readonly DecisionLogRecord[], target: Policy) => OffPolicyEstimates | Promise<OffPolicyEstimates>;

export type OffPolicyEstimates = Record<string, { estimate: number; ci95?: [number, number] }>;

export type MarketInputs = {
  /** Price catalog entries; empty = the synthetic catalog of the eight profiles (one per seed). */
  catalog: readonly CatalogEntry[];
  /** Pod and image-request traces (cold-start traces are used for start times). Empty = synthetic workload. */
  traces: readonly WorkloadTrace[];
  /** Spot probe traces; empty = synthetic episodes. */
  availability: readonly AvailabilityTrace[];
};

export type PolicyExperimentOptions = {
  market: MarketInputs;
  /** Seeds to run: each is one world (its own provider truths, capacity, arrivals and outcome draws). */
  seeds: readonly number[];
  /** Arrivals in the evaluated 30-day month; the warm-up (7 days) and the OPE holdout (15 days) get the same rate. */
  requests: number;
  /** The first is the control every other is compared with. */
  policies: readonly PolicyFactory[];
  /** Exploration of the rule policy that writes the warm-up and holdout logs. Default 0.1. */
  loggingEpsilon?: number;
  /** Estimate each learning treatment's value from the rules' holdout log and compare with the simulated truth. */
  offPolicy?: OffPolicyEstimator;
  /** Repeat every treatment with each provider left out of its warm-up in turn. */
  leaveOneProviderOut?: boolean;
  /** Called after each run; for progress output. */
  onProgress?: (event: { seed: number; phase: string; policy?: string; provider?: string }) => void;
  /** Receives each seed's holdout log and learned policy states (for `aurora evaluate`, debugging). */
  onSeedArtifacts?: (artifacts: SeedArtifacts) => void | Promise<void>;
};

export type SeedArtifacts = {
  seed: number;
  /** The rules' (epsilon) holdout decisions with outcomes and rewards. */
  holdoutLog: readonly DecisionLogRecord[];
  /** The same, in the core's JSON-lines log format. */
  holdoutLogJsonLines: string;
  /** Each learning policy's `toJSON()` after its month, by policy id. */
  policyStates: Map<string, unknown>;
};

const dayMs = 24 * 3_600_000;
/** The simulated calendar; the month of interest starts after a week of warm-up. */
export const experimentStartMs = Date.UTC(2026, 0, 1);
export const experimentPeriods = {
  warmUp: { startDay: 0, days: 7 },
  month: { startDay: 7, days: 30 },
  holdout: { startDay: 37, days: 15 },
} as const;

/**
 * The A/B evaluation: for each seed, one world; a warm-up week in which the rule policy (with a
 * little exploration) writes a decision log; then every policy runs the same month of arrivals in
 * that same world (common random numbers: same arrivals, prices, capacity episodes and outcome
 * draw per request and offer), learning policies warm-started from the log and learning online;
 * then a holdout fortnight where the rules log again, each learning policy is frozen and run for
 * its true value, and the off-policy estimators predict that value from the rules' log. Figures
 * are averaged over seeds with Student-t intervals; differences are paired by seed.
 */
export async function runPolicyExperiment(options: PolicyExperimentOptions): Promise<ExperimentReport> {
  validate(options);
  const results: SeedResult[] = [];
  for (const seed of options.seeds) results.push(await runSeed(options, seed));
  return summarizeExperiment({
    seeds: options.seeds,
    requests: options.requests,
    policies: options.policies.map((policy) => policy.id),
    loggingEpsilon: options.loggingEpsilon ?? 0.1,
    results,
  });
}

/** Hypothetical placements per candidate behind the informed oracle's estimate of its mean reward. */
const informedOracleDraws = 16;

async function runSeed(options: PolicyExperimentOptions, seed: number): Promise<SeedResult> {
  const epsilon = options.loggingEpsilon ?? 0.1;
  const random = createSeededRandom(seed).fork('experiment');
  const catalog = options.market.catalog.length > 0 ? options.market.catalog : syntheticCatalog(seed);
  const coldStartSamplesMs = options.market.traces.flatMap((trace) => (trace.kind === 'cold-start' ? trace.samples_ms : []));
  const worldOptions = { seed, catalog, availability: options.market.availability, coldStartSamplesMs, startMs: experimentStartMs };
  const world = new MarketWorld(worldOptions);
  const period = (name: keyof typeof experimentPeriods, count: number): SimulatedRequest[] => {
    const { startDay, days } = experimentPeriods[name];
    return generateRequests({
      world, traces: options.market.traces, count, random: random.fork(`requests/${name}`), idPrefix: name,
      startMs: experimentStartMs + startDay * dayMs, endMs: experimentStartMs + (startDay + days) * dayMs,
    });
  };
  const perDay = options.requests / experimentPeriods.month.days;
  const warmUpRequests = period('warmUp', Math.round(perDay * experimentPeriods.warmUp.days));
  const monthRequests = period('month', options.requests);
  const progress = (phase: string, extra: { policy?: string; provider?: string } = {}) => options.onProgress?.({ seed, phase, ...extra });

  const logWith = async (logWorld: MarketWorld, requests: readonly SimulatedRequest[], label: string) => {
    const rules = new RulePolicy({ epsilon, random: streamOf(random.fork(`logging/${label}`)) });
    const run = await runPolicy({ world: logWorld, requests, policy: rules, learn: false, label });
    return run.decisions.flatMap((decision) => (decision.record ? [decision.record] : []));
  };
  const warmUpLog = await logWith(world, warmUpRequests, 'warm-up');
  progress('warm-up');

  const runs: Record<string, RunResult['metrics']> = {};
  let oracle: RunResult['metrics'] | undefined;
  let informedOracle: RunResult['metrics'] | undefined;
  let frontier: FrontierPoint[] | undefined;
  const trained = new Map<string, Policy>();
  for (const factory of options.policies) {
    const policy = factory.create({ seed, random: streamOf(random.fork(`policy/${factory.id}`)), warmUp: warmUpLog });
    const isControl = factory === options.policies[0];
    const run = await runPolicy({
      world, requests: monthRequests, policy, learn: factory.learns, oracle: true, label: `month-${factory.id}`,
      ...(isControl ? { informedDraws: informedOracleDraws, keepHypotheticals: true } : {}),
    });
    runs[factory.id] = run.metrics;
    // The ceilings, measured in the control's month.
    if (isControl) {
      oracle = run.oracle_metrics;
      informedOracle = run.informed_oracle_metrics;
      frontier = [...clairvoyantFrontier(run.decisions, run.metrics), ...informedFrontier(run.decisions, run.metrics)];
    }
    if (factory.learns) trained.set(factory.id, policy);
    progress('month', { policy: factory.id });
  }

  const wantsHoldout = options.offPolicy !== undefined || options.onSeedArtifacts !== undefined;
  const holdout = wantsHoldout ? period('holdout', Math.round(perDay * experimentPeriods.holdout.days)) : [];
  const holdoutLog = wantsHoldout ? await logWith(world, holdout, 'holdout') : [];
  if (options.onSeedArtifacts) {
    const policyStates = new Map<string, unknown>();
    for (const [id, policy] of trained) {
      const serializable = policy as Policy & { toJSON?: () => unknown };
      if (typeof serializable.toJSON === 'function') policyStates.set(id, serializable.toJSON());
    }
    await options.onSeedArtifacts({ seed, holdoutLog, holdoutLogJsonLines: toJsonLines(holdoutLog), policyStates });
  }
  const offPolicy = async (policy: Policy, label: string) => {
    const truth = await runPolicy({ world, requests: holdout, policy, learn: false, label });
    const estimates = await options.offPolicy!(holdoutLog, policy);
    return { truth: truth.metrics.reward_mean, estimates, logged_decisions: holdoutLog.length };
  };
  const ope: SeedResult['ope'] = {};
  if (options.offPolicy) {
    for (const [id, policy] of trained) {
      ope[id] = await offPolicy(policy, `holdout-${id}`);
      progress('off-policy', { policy: id });
    }
  }

  const lopo: SeedResult['lopo'] = {};
  if (options.leaveOneProviderOut) {
    for (const provider of [...world.providers.keys()].sort()) {
      const heldOutWorld = new MarketWorld({ ...worldOptions, excludeProviders: [provider] });
      const heldOutLog = await logWith(heldOutWorld, warmUpRequests, `warm-up-without-${provider}`);
      const providerRuns: Record<string, RunResult['metrics']> = {};
      const providerOpe: NonNullable<SeedResult['ope']> = {};
      for (const factory of options.policies.slice(1)) {
        const policy = factory.create({ seed, random: streamOf(random.fork(`policy/${factory.id}/without-${provider}`)), warmUp: heldOutLog });
        const run = await runPolicy({ world, requests: monthRequests, policy, learn: factory.learns, oracle: true, label: `month-${factory.id}-without-${provider}` });
        providerRuns[factory.id] = run.metrics;
        if (options.offPolicy && factory.learns) providerOpe[factory.id] = await offPolicy(policy, `holdout-${factory.id}-without-${provider}`);
        progress('leave-one-provider-out', { policy: factory.id, provider });
      }
      lopo[provider] = { runs: providerRuns, ...(options.offPolicy ? { ope: providerOpe } : {}) };
    }
  }
  return {
    seed,
    runs,
    ...(oracle ? { oracle } : {}),
    ...(informedOracle ? { informed_oracle: informedOracle } : {}),
    ...(frontier ? { frontier } : {}),
    ...(options.offPolicy ? { ope } : {}),
    ...(options.leaveOneProviderOut ? { lopo } : {}),
  };
}

function streamOf(random: SeededRandom): () => number {
  return () => random.next();
}

function validate(options: PolicyExperimentOptions): void {
  const issues: Array<{ field: string; reason: string }> = [];
  if (options.seeds.length === 0 || options.seeds.some((seed) => !Number.isInteger(seed))) issues.push({ field: 'seeds', reason: 'must be one or more integers' });
  if (!(Number.isInteger(options.requests) && options.requests >= 1)) issues.push({ field: 'requests', reason: 'must be a whole number >= 1' });
  if (options.policies.length === 0) issues.push({ field: 'policies', reason: 'needs at least one policy' });
  const ids = options.policies.map((policy) => policy.id);
  if (new Set(ids).size !== ids.length) issues.push({ field: 'policies', reason: 'ids must be distinct' });
  const epsilon = options.loggingEpsilon ?? 0.1;
  if (!(epsilon > 0 && epsilon < 1)) issues.push({ field: 'loggingEpsilon', reason: 'must be in (0, 1) so the logs support off-policy evaluation' });
  if (issues.length > 0) throw new InvalidArgumentError({ issues });
}
