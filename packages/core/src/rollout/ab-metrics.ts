import { z } from 'zod';
import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import type { HybridArm } from '../policy/hybrid-policy';
import type { Outcome } from '../schemas/outcome';
import { parseOrThrow } from '../schemas/parse';
import { z95 } from './normal-distribution';
import { addToRatioMoments, emptyRatioMoments, mergeRatioMoments, ratioEstimate, type RatioMoments } from './ratio-moments';
import { addToMoments, emptyMoments, mergeMoments, sampleVariance, type RunningMoments } from './running-moments';

/** The metrics compared between the arms of a rollout. */
export const rolloutMetrics = ['fill_rate', 'cost_per_gpu_hour', 'time_to_running_ms', 'achieved_latency_ms'] as const;
export type RolloutMetric = (typeof rolloutMetrics)[number];

export const rolloutArms = ['rules', 'ai'] as const satisfies readonly HybridArm[];

/** An outcome with the A/B arm whose decision produced it (`decision.arm`; never `shadow`). */
export type ArmOutcome = Outcome & { arm: HybridArm };

export type ArmMetricsState = {
  /** 1 for a filled decision, 0 otherwise; every outcome counts. */
  fill: RunningMoments;
  /** (cost_usd, gpu_hours_delivered) of every outcome that reports both, filled or not. */
  cost_per_gpu_hour: RatioMoments;
  time_to_running_ms: RunningMoments;
  achieved_latency_ms: RunningMoments;
};

/** JSON form of an `AbMetricsTracker`. */
export type AbMetricsState = { rules: ArmMetricsState; ai: ArmMetricsState };

/** A point estimate and the variance of that estimate, what a sequential test consumes. */
export type MetricEstimate = { count: number; estimate: number; variance: number };

export type Interval = { lower: number; upper: number };

export type ProportionSummary = {
  count: number;
  successes: number;
  estimate: number | null;
  standard_error: number | null;
  /** Wilson score interval: unlike the Wald interval it stays inside [0, 1] near 0 and 1. */
  interval_95: Interval | null;
};

export type MeanSummary = {
  count: number;
  mean: number | null;
  /** Sample variance of single values (n - 1 denominator). */
  variance: number | null;
  standard_error: number | null;
  interval_95: Interval | null;
};

export type RatioSummary = {
  count: number;
  total_cost_usd: number;
  total_gpu_hours: number;
  /** Σ cost / Σ GPU-hours. */
  estimate: number | null;
  /** Delta method. */
  standard_error: number | null;
  interval_95: Interval | null;
};

export type ArmMetricsSummary = {
  outcomes: number;
  fill_rate: ProportionSummary;
  cost_per_gpu_hour: RatioSummary;
  time_to_running_ms: MeanSummary;
  achieved_latency_ms: MeanSummary;
};

export type AbMetricsSummary = { rules: ArmMetricsSummary; ai: ArmMetricsSummary };

/**
 * Per-arm running statistics of rollout outcomes: fill rate (Bernoulli), cost per delivered
 * GPU-hour (a ratio of sums, delta method), time to running and achieved latency (Welford means).
 * O(1) memory per arm; the state is JSON and merges exactly, so replicas can each track their own
 * outcomes and combine them. Merge disjoint samples only: merging a state into itself counts its
 * outcomes twice.
 */
export class AbMetricsTracker {
  private readonly arms: AbMetricsState;

  constructor(state?: AbMetricsState) {
    this.arms = state ? cloneState(parseOrThrow(abMetricsStateSchema, state, 'A/B metrics state')) : emptyAbMetricsState();
  }

  observe(outcome: ArmOutcome): void {
    const issues = outcomeIssues(outcome);
    if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid rollout outcome: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`, issues });
    const arm = this.arms[outcome.arm];
    addToMoments(arm.fill, outcome.filled ? 1 : 0);
    if (outcome.cost_usd !== undefined && outcome.gpu_hours_delivered !== undefined) {
      addToRatioMoments(arm.cost_per_gpu_hour, outcome.cost_usd, outcome.gpu_hours_delivered);
    }
    if (outcome.filled && outcome.time_to_running_ms !== undefined) addToMoments(arm.time_to_running_ms, outcome.time_to_running_ms);
    if (outcome.achieved_latency_ms !== undefined) addToMoments(arm.achieved_latency_ms, outcome.achieved_latency_ms);
  }

  /** Adds the observations of another tracker's state (e.g. another replica's) to this one. */
  merge(other: AbMetricsState): void {
    const merged = mergeAbMetrics(this.arms, parseOrThrow(abMetricsStateSchema, other, 'A/B metrics state'));
    this.arms.rules = merged.rules;
    this.arms.ai = merged.ai;
  }

  /** Outcomes observed in an arm. */
  outcomes(arm: HybridArm): number {
    return this.arms[arm].fill.count;
  }

  /** Samples that carry a metric in an arm. */
  count(arm: HybridArm, metric: RolloutMetric): number {
    return stateOf(this.arms[arm], metric).count;
  }

  /**
   * The arm's estimate of a metric with the variance of that estimate, or null without data. For
   * the fill rate the variance uses p̃ = (successes + ½)/(n + 1), so that an arm with every
   * decision filled does not claim zero uncertainty.
   */
  estimate(arm: HybridArm, metric: RolloutMetric): MetricEstimate | null {
    const state = this.arms[arm];
    switch (metric) {
      case 'fill_rate': {
        const { count, mean } = state.fill;
        if (count === 0) return null;
        const smoothed = (mean * count + 0.5) / (count + 1);
        return { count, estimate: mean, variance: (smoothed * (1 - smoothed)) / count };
      }
      case 'cost_per_gpu_hour': {
        const ratio = ratioEstimate(state.cost_per_gpu_hour);
        return ratio ? { count: state.cost_per_gpu_hour.count, ...ratio } : null;
      }
      case 'time_to_running_ms':
      case 'achieved_latency_ms': {
        const moments = state[metric];
        if (moments.count === 0) return null;
        return { count: moments.count, estimate: moments.mean, variance: sampleVariance(moments) / moments.count };
      }
    }
  }

  summary(): AbMetricsSummary {
    return { rules: this.summarise('rules'), ai: this.summarise('ai') };
  }

  toJSON(): AbMetricsState {
    return cloneState(this.arms);
  }

  private summarise(arm: HybridArm): ArmMetricsSummary {
    const state = this.arms[arm];
    const cost = this.estimate(arm, 'cost_per_gpu_hour');
    const costMoments = state.cost_per_gpu_hour;
    return {
      outcomes: state.fill.count,
      fill_rate: proportionSummary(state.fill),
      cost_per_gpu_hour: {
        count: costMoments.count,
        total_cost_usd: costMoments.mean_numerator * costMoments.count,
        total_gpu_hours: costMoments.mean_denominator * costMoments.count,
        estimate: cost?.estimate ?? null,
        standard_error: cost ? Math.sqrt(cost.variance) : null,
        interval_95: cost ? waldInterval(cost.estimate, Math.sqrt(cost.variance)) : null,
      },
      time_to_running_ms: meanSummary(state.time_to_running_ms),
      achieved_latency_ms: meanSummary(state.achieved_latency_ms),
    };
  }
}

/** A tracker, empty or restored from `state` (validated: a bad state throws InvalidArgumentError). */
export function createAbMetrics(state?: AbMetricsState): AbMetricsTracker {
  return new AbMetricsTracker(state);
}

export function emptyAbMetricsState(): AbMetricsState {
  return { rules: emptyArmState(), ai: emptyArmState() };
}

/** The state of the union of two disjoint samples; neither input is changed. */
export function mergeAbMetrics(a: AbMetricsState, b: AbMetricsState): AbMetricsState {
  const mergeArm = (x: ArmMetricsState, y: ArmMetricsState): ArmMetricsState => ({
    fill: mergeMoments(x.fill, y.fill),
    cost_per_gpu_hour: mergeRatioMoments(x.cost_per_gpu_hour, y.cost_per_gpu_hour),
    time_to_running_ms: mergeMoments(x.time_to_running_ms, y.time_to_running_ms),
    achieved_latency_ms: mergeMoments(x.achieved_latency_ms, y.achieved_latency_ms),
  });
  return { rules: mergeArm(a.rules, b.rules), ai: mergeArm(a.ai, b.ai) };
}

const countSchema = z.number().int().nonnegative();
const finite = z.number().finite();
const momentsSchema = z.object({ count: countSchema, mean: finite, m2: finite.nonnegative() }).strict();
const ratioMomentsSchema = z
  .object({
    count: countSchema,
    mean_numerator: finite,
    mean_denominator: finite,
    m2_numerator: finite.nonnegative(),
    m2_denominator: finite.nonnegative(),
    comoment: finite,
  })
  .strict();
const armStateSchema = z
  .object({
    fill: momentsSchema,
    cost_per_gpu_hour: ratioMomentsSchema,
    time_to_running_ms: momentsSchema,
    achieved_latency_ms: momentsSchema,
  })
  .strict();
export const abMetricsStateSchema = z.object({ rules: armStateSchema, ai: armStateSchema }).strict();

function emptyArmState(): ArmMetricsState {
  return { fill: emptyMoments(), cost_per_gpu_hour: emptyRatioMoments(), time_to_running_ms: emptyMoments(), achieved_latency_ms: emptyMoments() };
}

function cloneState(state: AbMetricsState): AbMetricsState {
  const cloneArm = (arm: ArmMetricsState): ArmMetricsState => ({
    fill: { ...arm.fill },
    cost_per_gpu_hour: { ...arm.cost_per_gpu_hour },
    time_to_running_ms: { ...arm.time_to_running_ms },
    achieved_latency_ms: { ...arm.achieved_latency_ms },
  });
  return { rules: cloneArm(state.rules), ai: cloneArm(state.ai) };
}

function stateOf(arm: ArmMetricsState, metric: RolloutMetric): { count: number } {
  return metric === 'fill_rate' ? arm.fill : arm[metric];
}

function proportionSummary(moments: RunningMoments): ProportionSummary {
  const { count, mean } = moments;
  if (count === 0) return { count, successes: 0, estimate: null, standard_error: null, interval_95: null };
  const z2 = z95 * z95;
  const denominator = 1 + z2 / count;
  const centre = (mean + z2 / (2 * count)) / denominator;
  const half = (z95 / denominator) * Math.sqrt((mean * (1 - mean)) / count + z2 / (4 * count * count));
  return {
    count,
    successes: Math.round(mean * count),
    estimate: mean,
    standard_error: Math.sqrt((mean * (1 - mean)) / count),
    interval_95: { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) },
  };
}

function meanSummary(moments: RunningMoments): MeanSummary {
  if (moments.count === 0) return { count: 0, mean: null, variance: null, standard_error: null, interval_95: null };
  const variance = sampleVariance(moments);
  const standardError = Math.sqrt(variance / moments.count);
  return {
    count: moments.count,
    mean: moments.mean,
    variance,
    standard_error: standardError,
    interval_95: waldInterval(moments.mean, standardError),
  };
}

function waldInterval(estimate: number, standardError: number): Interval {
  return { lower: estimate - z95 * standardError, upper: estimate + z95 * standardError };
}

function outcomeIssues(outcome: ArmOutcome): FieldIssue[] {
  if (outcome === null || typeof outcome !== 'object') return [{ field: '(root)', reason: 'outcome object is required' }];
  const issues: FieldIssue[] = [];
  if (outcome.arm !== 'rules' && outcome.arm !== 'ai') issues.push({ field: 'arm', reason: 'must be "rules" or "ai"' });
  if (typeof outcome.filled !== 'boolean') issues.push({ field: 'filled', reason: 'must be a boolean' });
  for (const field of ['cost_usd', 'gpu_hours_delivered', 'time_to_running_ms', 'achieved_latency_ms'] as const) {
    const value = outcome[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      issues.push({ field, reason: 'must be a finite number >= 0' });
    }
  }
  return issues;
}
