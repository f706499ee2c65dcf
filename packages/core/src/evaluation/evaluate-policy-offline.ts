import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { computeReward, type RewardOptions } from '../policy/learning/compute-reward';
import type { PolicyContext } from '../policy/policy';
import { recordPolicyContext, usedCandidateIndex } from './create-decision-log-record';
import type { DecisionLogRecord } from './decision-log-record';
import { fitRidgeRewardModel, type RewardModelFunction, type RewardSample } from './fit-ridge-reward-model';
import { createSeededRandom } from './seeded-random';
import { mean, normalQuantile, quantileOfSorted, sampleVariance } from './statistics';
import { targetDistribution, type TargetPolicy } from './target-distribution';

export const estimatorNames = ['ips', 'snips', 'dr', 'dm'] as const;
export type EstimatorName = (typeof estimatorNames)[number];
type DefaultEstimator = 'ips' | 'snips' | 'dr';
const defaultEstimators: readonly DefaultEstimator[] = ['ips', 'snips', 'dr'];

export type PolicyValueEstimate = {
  estimate: number;
  /** Two-sided interval at the requested confidence. */
  ci: [number, number];
  standard_error: number;
};

/**
 * The reward model of the direct and doubly robust estimators: `ridge` (default) fits a ridge
 * regression on the records' features with two-fold cross-fitting (each half is predicted by a
 * model fitted on the other half); `policy` uses the evaluated policy's own `predict()`.
 */
export type RewardModelOption = 'ridge' | 'policy' | RewardModelFunction;

export type OfflineEvaluationOptions<E extends EstimatorName> = {
  /** Logged decisions; those without an outcome or reward are skipped (with a warning). */
  records: readonly DecisionLogRecord[];
  /** The policy to evaluate (see `TargetPolicy` for how its probabilities are obtained). */
  policy: TargetPolicy;
  /** Default ips, snips and dr; `dm` (direct method) is available too. */
  estimators?: readonly E[];
  /** Default 0.95. */
  confidence?: number;
  /** Seed of the bootstrap resampling. Default 1. */
  seed?: number;
  /** `bootstrap` (default; percentile intervals over resampled decisions) or `normal` (per-record variance). */
  interval?: 'bootstrap' | 'normal';
  /** Default 1,000. */
  bootstrapSamples?: number;
  rewardModel?: RewardModelOption;
  /** When given, `uplift` estimates policy value minus this policy's value on the same records, paired. */
  baseline?: TargetPolicy;
  /** Clip importance weights at this value (biased, lower variance). Default: no clipping. */
  maxWeight?: number;
  /** Logged propensities below this trigger a warning. Default 0.01. */
  minPropensity?: number;
  /** For records whose reward must be computed from their outcome. */
  reward?: RewardOptions;
};

export type OfflineEvaluation<E extends EstimatorName = DefaultEstimator> = { [K in E]: PolicyValueEstimate } & {
  /** Mean reward of the logged decisions (the logging policy's on-policy value). */
  logged_mean_reward: number;
  /** Kish's effective sample size of the importance weights: (sum w)^2 / sum w^2. */
  effective_sample_size: number;
  /** Records used. */
  records: number;
  skipped_records: number;
  /** Mean importance weight; near 1 when the target's support is covered and the propensities are right. */
  mean_weight: number;
  max_weight: number;
  /** Share of records where the target puts probability on candidates the logger could not pick. */
  unsupported_share: number;
  interval: 'bootstrap' | 'normal';
  confidence: number;
  /** Target value minus baseline value, per estimator (only with `baseline`). */
  uplift?: { [K in E]: PolicyValueEstimate };
  warnings: string[];
};

type Columns = {
  weighted: Float64Array;
  weight: Float64Array;
  direct: Float64Array;
  doublyRobust: Float64Array;
};

type Sample = { record: DecisionLogRecord; context: PolicyContext; reward: number; index: number; propensity: number };

const defaults = { confidence: 0.95, seed: 1, bootstrapSamples: 1_000, minPropensity: 0.01 };
const unsupportedEpsilon = 1e-12;

/**
 * Estimates what `policy` would have earned on the logged decisions, from the logging policies'
 * propensities (see docs/ai-policy.md for the formulas):
 *
 *   w_i   = pi(a_i | x_i) / mu_i                                  (clipped at maxWeight if set)
 *   IPS   = 1/n sum w_i r_i
 *   SNIPS = sum w_i r_i / sum w_i
 *   DM    = 1/n sum_i sum_a pi(a | x_i) q(x_i, a)
 *   DR    = 1/n sum_i [ sum_a pi(a | x_i) q(x_i, a) + w_i (r_i - q(x_i, a_i)) ]
 *
 * with a 95 % (or `confidence`) interval per estimator, the effective sample size and warnings
 * for tiny propensities, missing support, sampled target probabilities and low effective samples.
 */
export async function evaluatePolicyOffline<E extends EstimatorName = DefaultEstimator>(
  options: OfflineEvaluationOptions<E>,
): Promise<OfflineEvaluation<E>> {
  const issues = validateOptions(options);
  if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid offline evaluation options: ${describe(issues)}`, issues });
  const estimators = (options.estimators ?? defaultEstimators) as readonly E[];
  const confidence = options.confidence ?? defaults.confidence;
  const interval = options.interval ?? 'bootstrap';
  const minPropensity = options.minPropensity ?? defaults.minPropensity;
  const warnings: string[] = [];

  const samples = usableSamples(options.records, options.reward);
  const skipped = options.records.length - samples.length;
  if (samples.length === 0) {
    throw new InvalidArgumentError({ issues: [{ field: 'records', reason: 'no record has an outcome or a reward to evaluate against' }] });
  }
  if (skipped > 0) warnings.push(`${skipped} of ${options.records.length} records have no outcome or reward yet and were skipped`);

  const needsModel = estimators.some((name) => name === 'dr' || name === 'dm');
  const predictions = needsModel ? rewardPredictions(samples, options.rewardModel ?? 'ridge', options.policy) : undefined;
  const target = await columnsFor(options.policy, samples, predictions, options.maxWeight);
  const baseline = options.baseline ? await columnsFor(options.baseline, samples, predictions, options.maxWeight) : undefined;

  const count = samples.length;
  const rewards = Float64Array.from(samples, (sample) => sample.reward);
  const estimates = computeEstimates(estimators, target.columns, baseline?.columns, interval, confidence, options.seed ?? defaults.seed, options.bootstrapSamples ?? defaults.bootstrapSamples);

  let weightSum = 0;
  let weightSquareSum = 0;
  let maxWeight = 0;
  for (const weight of target.columns.weight) {
    weightSum += weight;
    weightSquareSum += weight * weight;
    if (weight > maxWeight) maxWeight = weight;
  }
  const effectiveSampleSize = weightSquareSum > 0 ? (weightSum * weightSum) / weightSquareSum : 0;

  warnings.push(...propensityWarnings(samples, minPropensity));
  if (target.unsupported > 0) {
    warnings.push(
      `missing support: in ${target.unsupported} of ${count} records the policy puts probability ` +
        `(mean ${(target.unsupportedMass / count).toFixed(3)} per record) on candidates the logging policy could never pick; ` +
        'IPS and SNIPS cannot see those choices and are biased, DR covers them only through its reward model',
    );
  }
  if (target.unknownSupport > 0) {
    warnings.push(`${target.unknownSupport} records carry only the chosen propensity, so their logging support could not be checked`);
  }
  if (!target.exact) {
    warnings.push(`policy ${options.policy.id} exposes no probabilities and is not deterministic: its sampled picks stand in for its distribution (unbiased, noisier)`);
  }
  if (baseline && !baseline.exact) warnings.push(`baseline ${options.baseline!.id} exposes no probabilities: its sampled picks stand in for its distribution`);
  if (target.clipped > 0) warnings.push(`${target.clipped} importance weights were clipped at ${options.maxWeight} (estimates are biased toward the logged value)`);
  if (weightSum === 0) {
    warnings.push('the policy never picks a logged action: IPS is 0 and SNIPS undefined; only DR/DM (through the reward model) say anything');
  } else if (effectiveSampleSize < 0.1 * count) {
    warnings.push(`low effective sample size: ${effectiveSampleSize.toFixed(1)} of ${count} records; intervals are wide and IPS unstable`);
  }

  const result: Record<string, unknown> = {};
  for (const name of estimators) result[name] = estimates.target[name];
  Object.assign(result, {
    logged_mean_reward: mean(rewards),
    effective_sample_size: effectiveSampleSize,
    records: count,
    skipped_records: skipped,
    mean_weight: weightSum / count,
    max_weight: maxWeight,
    unsupported_share: target.unsupported / count,
    interval,
    confidence,
    ...(estimates.uplift ? { uplift: estimates.uplift } : {}),
    warnings,
  });
  return result as OfflineEvaluation<E>;
}

function usableSamples(records: readonly DecisionLogRecord[], rewardOptions: RewardOptions | undefined): Sample[] {
  const samples: Sample[] = [];
  const issues: FieldIssue[] = [];
  records.forEach((record, position) => {
    const count = record.candidates.length;
    if (!Number.isInteger(record.chosen_index) || record.chosen_index < 0 || record.chosen_index >= count) {
      issues.push({ field: `records.${position}.chosen_index`, reason: `must be in 0..${count - 1}` });
      return;
    }
    if (!(record.propensity > 0 && record.propensity <= 1)) {
      issues.push({ field: `records.${position}.propensity`, reason: 'must be in (0, 1]' });
      return;
    }
    let reward = record.reward;
    if (reward === null && record.outcome) {
      const used = record.candidates[usedCandidateIndex(record.candidates, record.outcome, record.chosen_index)]!;
      reward = computeReward({ outcome: record.outcome, offer: used.offer, candidates: record.candidates, weights: record.context.weights }, rewardOptions);
    }
    if (reward === null || !Number.isFinite(reward)) return;
    samples.push({ record, context: recordPolicyContext(record), reward, index: record.chosen_index, propensity: record.propensity });
  });
  if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid decision log records: ${describe(issues.slice(0, 5))}`, issues });
  return samples;
}

function rewardPredictions(samples: Sample[], option: RewardModelOption, policy: TargetPolicy): ArrayLike<number>[] {
  if (typeof option === 'function') return samples.map((sample) => option(sample.context, sample.record.candidates));
  if (option === 'policy') {
    const predict = (policy as { predict?: RewardModelFunction }).predict;
    if (typeof predict !== 'function') {
      throw new InvalidArgumentError({ issues: [{ field: 'rewardModel', reason: `policy ${policy.id} has no predict(context, candidates)` }] });
    }
    return samples.map((sample) => predict.call(policy, sample.context, sample.record.candidates));
  }
  // Two-fold cross-fitting: a record's prediction never comes from a model that saw its reward.
  const toSample = (sample: Sample): RewardSample => ({ context: sample.context, candidates: sample.record.candidates, index: sample.index, reward: sample.reward });
  if (samples.length < 2) {
    const model = fitRidgeRewardModel(samples.map(toSample));
    return samples.map((sample) => model(sample.context, sample.record.candidates));
  }
  const models = [0, 1].map((fold) => fitRidgeRewardModel(samples.filter((_, position) => position % 2 !== fold).map(toSample)));
  return samples.map((sample, position) => models[position % 2]!(sample.context, sample.record.candidates));
}

type PolicyColumns = {
  columns: Columns;
  exact: boolean;
  unsupported: number;
  unsupportedMass: number;
  unknownSupport: number;
  clipped: number;
};

async function columnsFor(
  policy: TargetPolicy,
  samples: Sample[],
  predictions: ArrayLike<number>[] | undefined,
  maxWeight: number | undefined,
): Promise<PolicyColumns> {
  const count = samples.length;
  const columns: Columns = {
    weighted: new Float64Array(count),
    weight: new Float64Array(count),
    direct: new Float64Array(count),
    doublyRobust: new Float64Array(count),
  };
  let exact = true;
  let unsupported = 0;
  let unsupportedMass = 0;
  let unknownSupport = 0;
  let clipped = 0;
  for (let position = 0; position < count; position++) {
    const sample = samples[position]!;
    const candidates = sample.record.candidates;
    const distribution = await targetDistribution(policy, sample.context, candidates);
    if (!distribution.exact) exact = false;
    const probabilities = distribution.probabilities;
    let weight = probabilities[sample.index]! / sample.propensity;
    if (maxWeight !== undefined && weight > maxWeight) {
      weight = maxWeight;
      clipped += 1;
    }
    columns.weight[position] = weight;
    columns.weighted[position] = weight * sample.reward;
    if (predictions) {
      const predicted = predictions[position]!;
      let direct = 0;
      for (let index = 0; index < candidates.length; index++) direct += probabilities[index]! * predicted[index]!;
      columns.direct[position] = direct;
      columns.doublyRobust[position] = direct + weight * (sample.reward - predicted[sample.index]!);
    }
    const mass = unsupportedProbability(sample, probabilities);
    if (mass === undefined) unknownSupport += 1;
    else if (mass > unsupportedEpsilon) {
      unsupported += 1;
      unsupportedMass += mass;
    }
  }
  return { columns, exact, unsupported, unsupportedMass, unknownSupport, clipped };
}

/**
 * Probability the target puts on candidates the logger gave probability 0. Known from the logged
 * distribution, or from a propensity of 1 (a deterministic logger); otherwise undefined.
 */
function unsupportedProbability(sample: Sample, target: Float64Array): number | undefined {
  const logged = sample.record.probabilities;
  if (logged && logged.length === target.length) {
    let mass = 0;
    for (let index = 0; index < target.length; index++) if (!(logged[index]! > 0)) mass += target[index]!;
    return mass;
  }
  if (sample.propensity === 1) return 1 - target[sample.index]!;
  return undefined;
}

function propensityWarnings(samples: Sample[], minPropensity: number): string[] {
  let tiny = 0;
  let smallest = 1;
  for (const sample of samples) {
    if (sample.propensity < minPropensity) tiny += 1;
    if (sample.propensity < smallest) smallest = sample.propensity;
  }
  if (tiny === 0) return [];
  return [
    `${tiny} of ${samples.length} records were logged with propensity below ${minPropensity} (smallest ${smallest.toPrecision(3)}): ` +
      `their importance weights (up to ${(1 / smallest).toFixed(0)}x) dominate IPS; consider maxWeight or more exploration in the logging policy`,
  ];
}

type EstimatorFunction = (means: { weighted: number; weight: number; direct: number; doublyRobust: number }) => number;

const estimatorFunctions: Record<EstimatorName, EstimatorFunction> = {
  ips: (means) => means.weighted,
  snips: (means) => (means.weight > 0 ? means.weighted / means.weight : Number.NaN),
  dm: (means) => means.direct,
  dr: (means) => means.doublyRobust,
};

/** Per-record influence of each estimator: its normal-approximation variance is Var(psi) / n. */
function influence(name: EstimatorName, columns: Columns, position: number, snipsValue: number, meanWeight: number): number {
  switch (name) {
    case 'ips':
      return columns.weighted[position]!;
    case 'snips':
      return meanWeight > 0 ? (columns.weighted[position]! - snipsValue * columns.weight[position]!) / meanWeight : Number.NaN;
    case 'dm':
      return columns.direct[position]!;
    case 'dr':
      return columns.doublyRobust[position]!;
  }
}

type Estimates<E extends EstimatorName> = {
  target: Record<E, PolicyValueEstimate>;
  uplift: Record<E, PolicyValueEstimate> | undefined;
};

function computeEstimates<E extends EstimatorName>(
  names: readonly E[],
  target: Columns,
  baseline: Columns | undefined,
  interval: 'bootstrap' | 'normal',
  confidence: number,
  seed: number,
  resamples: number,
): Estimates<E> {
  const count = target.weight.length;
  const columnMeans = (columns: Columns) => ({
    weighted: mean(columns.weighted),
    weight: mean(columns.weight),
    direct: mean(columns.direct),
    doublyRobust: mean(columns.doublyRobust),
  });
  const targetMeans = columnMeans(target);
  const baselineMeans = baseline ? columnMeans(baseline) : undefined;
  const point = (name: E, means: ReturnType<typeof columnMeans>) => estimatorFunctions[name](means);

  if (interval === 'normal') {
    const z = normalQuantile(0.5 + confidence / 2);
    const influences = (name: E, columns: Columns, means: ReturnType<typeof columnMeans>) => {
      const value = point(name, means);
      return Float64Array.from({ length: count }, (_, position) => influence(name, columns, position, value, means.weight));
    };
    const estimate = (value: number, psi: Float64Array): PolicyValueEstimate => {
      const standardError = Math.sqrt(sampleVariance(psi) / count);
      return { estimate: value, ci: [value - z * standardError, value + z * standardError], standard_error: standardError };
    };
    const targetEstimates = {} as Record<E, PolicyValueEstimate>;
    const upliftEstimates = baseline ? ({} as Record<E, PolicyValueEstimate>) : undefined;
    for (const name of names) {
      const psi = influences(name, target, targetMeans);
      targetEstimates[name] = estimate(point(name, targetMeans), psi);
      if (baseline && baselineMeans && upliftEstimates) {
        const baselinePsi = influences(name, baseline, baselineMeans);
        const difference = psi.map((value, position) => value - baselinePsi[position]!);
        upliftEstimates[name] = estimate(point(name, targetMeans) - point(name, baselineMeans), difference);
      }
    }
    return { target: targetEstimates, uplift: upliftEstimates };
  }

  // Percentile bootstrap over decisions, paired between target and baseline.
  const random = createSeededRandom(seed);
  const replicates = Object.fromEntries(names.map((name) => [name, new Float64Array(resamples)])) as Record<E, Float64Array>;
  const upliftReplicates = baseline ? (Object.fromEntries(names.map((name) => [name, new Float64Array(resamples)])) as Record<E, Float64Array>) : undefined;
  for (let replicate = 0; replicate < resamples; replicate++) {
    const sums = { weighted: 0, weight: 0, direct: 0, doublyRobust: 0 };
    const baselineSums = { weighted: 0, weight: 0, direct: 0, doublyRobust: 0 };
    for (let draw = 0; draw < count; draw++) {
      const position = Math.floor(random() * count);
      sums.weighted += target.weighted[position]!;
      sums.weight += target.weight[position]!;
      sums.direct += target.direct[position]!;
      sums.doublyRobust += target.doublyRobust[position]!;
      if (baseline) {
        baselineSums.weighted += baseline.weighted[position]!;
        baselineSums.weight += baseline.weight[position]!;
        baselineSums.direct += baseline.direct[position]!;
        baselineSums.doublyRobust += baseline.doublyRobust[position]!;
      }
    }
    const means = divide(sums, count);
    const baselineResampled = divide(baselineSums, count);
    for (const name of names) {
      const value = point(name, means);
      replicates[name][replicate] = value;
      if (upliftReplicates) upliftReplicates[name][replicate] = value - point(name, baselineResampled);
    }
  }
  const lowerQuantile = (1 - confidence) / 2;
  const summarise = (value: number, samples: Float64Array): PolicyValueEstimate => {
    const finite = samples.filter((sample) => Number.isFinite(sample)).sort();
    return {
      estimate: value,
      ci: [quantileOfSorted(finite, lowerQuantile), quantileOfSorted(finite, 1 - lowerQuantile)],
      standard_error: Math.sqrt(sampleVariance(finite)),
    };
  };
  const targetEstimates = {} as Record<E, PolicyValueEstimate>;
  const upliftEstimates = upliftReplicates && baselineMeans ? ({} as Record<E, PolicyValueEstimate>) : undefined;
  for (const name of names) {
    targetEstimates[name] = summarise(point(name, targetMeans), replicates[name]);
    if (upliftEstimates && upliftReplicates && baselineMeans) {
      upliftEstimates[name] = summarise(point(name, targetMeans) - point(name, baselineMeans), upliftReplicates[name]);
    }
  }
  return { target: targetEstimates, uplift: upliftEstimates };
}

function divide(sums: { weighted: number; weight: number; direct: number; doublyRobust: number }, count: number) {
  return { weighted: sums.weighted / count, weight: sums.weight / count, direct: sums.direct / count, doublyRobust: sums.doublyRobust / count };
}

function validateOptions(options: OfflineEvaluationOptions<EstimatorName>): FieldIssue[] {
  if (options === null || typeof options !== 'object') return [{ field: '(root)', reason: 'options object is required' }];
  const issues: FieldIssue[] = [];
  if (!Array.isArray(options.records)) issues.push({ field: 'records', reason: 'must be an array of decision log records' });
  const isPolicy = (value: unknown) => value !== null && typeof value === 'object' && typeof (value as TargetPolicy).decide === 'function';
  if (!isPolicy(options.policy)) issues.push({ field: 'policy', reason: 'must be a Policy' });
  if (options.baseline !== undefined && !isPolicy(options.baseline)) issues.push({ field: 'baseline', reason: 'must be a Policy' });
  if (options.estimators !== undefined) {
    if (!Array.isArray(options.estimators) || options.estimators.length === 0) issues.push({ field: 'estimators', reason: 'must be a non-empty array' });
    else for (const name of options.estimators) if (!estimatorNames.includes(name)) issues.push({ field: 'estimators', reason: `unknown estimator ${String(name)}; known: ${estimatorNames.join(', ')}` });
  }
  const numberIn = (field: keyof OfflineEvaluationOptions<EstimatorName>, valid: (value: number) => boolean, reason: string) => {
    const value = options[field];
    if (value !== undefined && !(typeof value === 'number' && valid(value))) issues.push({ field, reason });
  };
  numberIn('confidence', (value) => value > 0 && value < 1, 'must be in (0, 1)');
  numberIn('seed', (value) => Number.isInteger(value), 'must be an integer');
  numberIn('bootstrapSamples', (value) => Number.isInteger(value) && value >= 100 && value <= 100_000, 'must be an integer from 100 to 100,000');
  numberIn('maxWeight', (value) => value > 0, 'must be a positive number');
  numberIn('minPropensity', (value) => value > 0 && value < 1, 'must be in (0, 1)');
  if (options.interval !== undefined && options.interval !== 'bootstrap' && options.interval !== 'normal') issues.push({ field: 'interval', reason: 'must be bootstrap or normal' });
  const model = options.rewardModel;
  if (model !== undefined && model !== 'ridge' && model !== 'policy' && typeof model !== 'function') {
    issues.push({ field: 'rewardModel', reason: 'must be ridge, policy or a function' });
  }
  return issues;
}

function describe(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}
