import { InvalidArgumentError, type FieldIssue } from '../../errors/invalid-argument-error';
import { PolicyError } from '../../errors/policy-error';
import { recordPolicyContext, usedCandidateIndex } from '../../evaluation/create-decision-log-record';
import type { DecisionLogRecord } from '../../evaluation/decision-log-record';
import type { Arm, ScoredCandidate } from '../../schemas/decision';
import type { Outcome } from '../../schemas/outcome';
import { parseOrThrow } from '../../schemas/parse';
import type { Weights } from '../../schemas/weights';
import { VERSION } from '../../version';
import type { Policy, PolicyChoice, PolicyContext } from '../policy';
import {
  computeReward,
  defaultFailureReward,
  defaultTimeToRunningReferenceMs,
  rewardFromScales,
  type RewardOptions,
} from './compute-reward';
import { DiscountedRidgeModel } from './discounted-ridge-model';
import {
  FeatureEncoder,
  denseFeatureCount,
  denseFeatureNames,
  featureHashSeed,
  featuresPerCandidate,
  hashedFeatureCount,
  hashedFeatureNames,
  offerSlotCount,
  type FeatureBatch,
} from './feature-encoder';
import { sparseQuadraticForm } from './linear-algebra';
import { learningPolicyStateSchema, stateIdOf, type LearningPolicyState } from './learning-policy-state';
import { PendingDecisions } from './pending-decisions';
import { deserializeStatistics, serializeStatistics, type RidgeStatistics } from './ridge-statistics';

export type LearningPolicyGuardOptions = {
  /**
   * z of the one-sided lower confidence bound on "learner's pick minus rule pick" in predicted
   * reward. Default 1.645 (95 % one-sided).
   */
  confidence?: number;
  /** Effective (decayed) observations needed before the learner may override the rules. Default 30. */
  minEvidence?: number;
};

export type LearningPolicyOptions = {
  /** Default `learning`. */
  id?: string;
  /** Default the package version. */
  version?: string;
  /** The arm recorded on its choices. Default `ai`. */
  arm?: Arm;
  /**
   * Share of every decision spread uniformly over the exploration set (the `explorationTopK`
   * candidates with the highest optimistic scores, plus the rule pick): the exploration floor, in
   * (0, 1). Default 0.03.
   */
  explorationFloor?: number;
  /** Size of the exploration set before the rule pick is added; a positive integer. Default 3. */
  explorationTopK?: number;
  /** Softmax temperature at zero evidence, in reward units; it falls as 1/sqrt(1 + evidence). Default 0.5. */
  temperature?: number;
  /** The temperature never falls below this. Default 0.01. */
  minTemperature?: number;
  /** Weight of the optimism bonus (residual std x diagonal confidence width). Default 1; 0 disables it. */
  optimism?: number;
  /** Half-life of evidence in ms. Default 2 days; Infinity disables forgetting. */
  halfLifeMs?: number;
  /** Ridge prior strength (pseudo-observations per coefficient). Default 1. */
  ridge?: number;
  /** Shrink toward the rule scorer (coefficient 1 on each criterion contribution) instead of zero. Default true. */
  rulePrior?: boolean;
  /** Buckets for hashed categorical features; a power of two from 8 to 1024. Default 64. */
  hashBuckets?: number;
  /** The conservative guard; `false` lets the learner act from the first decision. */
  guard?: LearningPolicyGuardOptions | false;
  reward?: RewardOptions;
  /** Uniform numbers in [0, 1); inject a seeded one for reproducible runs. Default Math.random. */
  random?: () => number;
  /** Decisions remembered until their outcome arrives; the oldest are forgotten first. Default 10,000. */
  maxPendingDecisions?: number;
};

/** A choice with the learning policy's full distribution and diagnostics (a `PolicyChoice` subtype). */
export type LearningChoice = PolicyChoice & {
  /** Probability of every candidate, same order; they sum to 1 and `propensity` is the chosen one's. */
  probabilities: number[];
  /** The candidate with the highest predicted reward. */
  greedy_index: number;
  /** The rule policy's pick: the scorer's best, index 0. */
  rule_index: number;
  /** True when the guard handed the decision to the rules (plus the exploration floor). */
  guarded: boolean;
  /** 1 - probability of the pick it would make without exploration (the rule pick when guarded). */
  exploration_probability: number;
};

export type LearningPolicyDiagnostics = {
  /** Effective (decayed) number of observations behind the model. */
  evidence: number;
  observations: number;
  residual_std: number;
  temperature: number;
  pending_decisions: number;
  /** Outcomes for decisions this instance never saw (or forgot), or for offers it did not keep. */
  unmatched_outcomes: number;
  /** Residuals (reward - prediction before the update) of the latest observations, oldest first. */
  recent_residuals: number[];
};

export type WarmStartSummary = { used: number; skipped: number };

type Evaluation = { probabilities: number[]; predictions: number[]; greedy: number; intended: number; guarded: boolean; batch: FeatureBatch };

const defaults = {
  id: 'learning',
  arm: 'ai' as Arm,
  explorationFloor: 0.03,
  explorationTopK: 2,
  temperature: 0.5,
  minTemperature: 0.01,
  optimism: 1,
  halfLifeMs: 2 * 24 * 3_600_000,
  ridge: 1,
  rulePrior: true,
  hashBuckets: 64,
  guardConfidence: 1.645,
  guardMinEvidence: 30,
  maxPendingDecisions: 10_000,
};
const residualHistory = 1_000;
const ruleIndex = 0;

/**
 * A contextual bandit over the scored candidates. A ridge regression with forgetting predicts each
 * candidate's reward from its features; the policy then draws from a softmax over optimistic
 * scores (prediction + optimism x residual std x diagonal confidence width) at a temperature that
 * falls with evidence, mixed with a uniform exploration floor, so every candidate's probability
 * is exact and at least floor / n. A guard hands the decision to the rule pick (plus the floor)
 * until the model is confident its own pick is better. See docs/ai-policy.md.
 */
export class LearningPolicy implements Policy {
  readonly id: string;
  readonly version: string;
  readonly arm: Arm;
  readonly explorationFloor: number;
  readonly explorationTopK: number;
  readonly temperature: number;
  readonly minTemperature: number;
  readonly optimism: number;
  readonly halfLifeMs: number;
  readonly ridge: number;
  readonly rulePrior: boolean;
  readonly hashBuckets: number;
  readonly guard: { enabled: boolean; confidence: number; minEvidence: number };
  readonly reward: Required<RewardOptions>;
  readonly maxPendingDecisions: number;
  private readonly random: () => number;
  private readonly encoder: FeatureEncoder;
  private readonly model: DiscountedRidgeModel;
  private readonly pending: PendingDecisions;
  private readonly residuals: number[] = [];
  private unmatchedOutcomes = 0;
  private base: { state_id: string; statistics: RidgeStatistics } | null = null;
  private optimisticScores = new Float64Array(0);
  private readonly explorationSet: Int32Array;
  private admissible = new Int32Array(0);
  private readonly differenceIndices = new Int32Array(2 * featuresPerCandidate);
  private readonly differenceValues = new Float64Array(2 * featuresPerCandidate);
  private readonly updateIndices = new Int32Array(featuresPerCandidate);
  private readonly updateValues = new Float64Array(featuresPerCandidate);

  constructor(options: LearningPolicyOptions = {}) {
    const issues = validateOptions(options);
    if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid LearningPolicy options: ${describe(issues)}`, issues });
    this.id = options.id ?? defaults.id;
    this.version = options.version ?? VERSION;
    this.arm = options.arm ?? defaults.arm;
    this.explorationFloor = options.explorationFloor ?? defaults.explorationFloor;
    this.explorationTopK = options.explorationTopK ?? defaults.explorationTopK;
    this.temperature = options.temperature ?? defaults.temperature;
    this.minTemperature = options.minTemperature ?? defaults.minTemperature;
    this.optimism = options.optimism ?? defaults.optimism;
    this.halfLifeMs = options.halfLifeMs ?? defaults.halfLifeMs;
    this.ridge = options.ridge ?? defaults.ridge;
    this.rulePrior = options.rulePrior ?? defaults.rulePrior;
    this.hashBuckets = options.hashBuckets ?? defaults.hashBuckets;
    const guard = options.guard;
    this.guard =
      guard === false
        ? { enabled: false, confidence: defaults.guardConfidence, minEvidence: defaults.guardMinEvidence }
        : { enabled: true, confidence: guard?.confidence ?? defaults.guardConfidence, minEvidence: guard?.minEvidence ?? defaults.guardMinEvidence };
    this.reward = {
      failureReward: options.reward?.failureReward ?? defaultFailureReward,
      timeToRunningReferenceMs: options.reward?.timeToRunningReferenceMs ?? defaultTimeToRunningReferenceMs,
    };
    this.maxPendingDecisions = options.maxPendingDecisions ?? defaults.maxPendingDecisions;
    this.random = options.random ?? Math.random;
    this.explorationSet = new Int32Array(this.explorationTopK + 1);
    this.pending = new PendingDecisions(this.maxPendingDecisions);
    this.encoder = new FeatureEncoder(this.hashBuckets);
    const priorMean = new Float64Array(this.encoder.dimension);
    if (this.rulePrior) for (let feature = 1; feature <= 4; feature++) priorMean[feature] = 1;
    this.model = new DiscountedRidgeModel({ dimension: this.encoder.dimension, ridge: this.ridge, halfLifeMs: this.halfLifeMs, priorMean });
  }

  /** Restores a policy from `toJSON()`. The loaded state becomes this instance's merge base. */
  static fromJSON(state: unknown, runtime: Pick<LearningPolicyOptions, 'random' | 'id' | 'version'> = {}): LearningPolicy {
    const parsed = parseOrThrow(learningPolicyStateSchema, state, 'learning policy state');
    assertCompatibleLayout(parsed);
    const { options } = parsed;
    const policy = new LearningPolicy({
      id: runtime.id ?? parsed.policy_id,
      version: runtime.version ?? parsed.policy_version,
      arm: options.arm,
      explorationFloor: options.exploration_floor,
      ...(options.exploration_top_k !== undefined ? { explorationTopK: options.exploration_top_k } : {}),
      temperature: options.temperature,
      minTemperature: options.min_temperature,
      optimism: options.optimism,
      halfLifeMs: options.half_life_ms ?? Infinity,
      ridge: options.ridge,
      rulePrior: options.rule_prior,
      hashBuckets: parsed.features.hash_buckets,
      guard: options.guard.enabled ? { confidence: options.guard.confidence, minEvidence: options.guard.min_evidence } : false,
      reward: { failureReward: options.reward.failure_reward, timeToRunningReferenceMs: options.reward.time_to_running_reference_ms },
      maxPendingDecisions: options.max_pending_decisions,
      ...(runtime.random ? { random: runtime.random } : {}),
    });
    const dimension = parsed.features.dimension;
    policy.model.replaceStatistics(deserializeStatistics(parsed.statistics, dimension));
    policy.base = { state_id: parsed.state_id, statistics: deserializeStatistics(parsed.statistics, dimension) };
    return policy;
  }

  decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): LearningChoice {
    const evaluation = this.evaluate(context, candidates);
    const index = sample(evaluation.probabilities, this.random());
    this.pending.add(context, candidates, index, evaluation.batch);
    const intended = evaluation.intended;
    return {
      index,
      propensity: evaluation.probabilities[index]!,
      scores: evaluation.predictions,
      policy_id: this.id,
      policy_version: this.version,
      arm: this.arm,
      probabilities: evaluation.probabilities,
      greedy_index: evaluation.greedy,
      rule_index: ruleIndex,
      guarded: evaluation.guarded,
      exploration_probability: Math.max(0, 1 - evaluation.probabilities[intended]!),
    };
  }

  /** The exact distribution `decide` draws from in this state, without drawing or remembering. */
  probabilities(context: PolicyContext, candidates: readonly ScoredCandidate[]): number[] {
    return this.evaluate(context, candidates).probabilities;
  }

  /** Predicted reward of every candidate (the reward model alone, no optimism). */
  predict(context: PolicyContext, candidates: readonly ScoredCandidate[]): number[] {
    return this.evaluate(context, candidates).predictions;
  }

  /**
   * Learns from the outcome of an earlier `decide` (joined by decision id). The reward is computed
   * (`computeReward`) for the offer the outcome names, which must be the pick or one of the rule's
   * top 8 candidates (failover goes down that list). A second outcome for the same decision and
   * offer replaces the first one's reward. Outcomes of unknown or forgotten decisions, or naming
   * other offers, are counted in `unmatched_outcomes` and ignored.
   */
  observe(outcome: Outcome): void {
    const kept = this.pending.find(outcome.decision_id, outcome.provider, outcome.offer_id);
    if (!kept) {
      this.unmatchedOutcomes += 1;
      return;
    }
    const context = this.pending.context(kept.slot);
    const reward = rewardFromScales(outcome, this.pending.offerValuesOf(kept), this.pending.scales(kept.slot), context.weights, this.reward);
    const observedAt = Date.parse(outcome.observed_at);
    const timeMs = Number.isFinite(observedAt) ? observedAt : context.now;
    const length = this.pending.features(kept, this.updateIndices, this.updateValues);
    const applied = this.pending.applied(kept);
    if (applied) {
      this.model.replaceReward(this.updateIndices, this.updateValues, length, applied.reward, reward, applied.timeMs);
      this.pending.markApplied(kept, reward, applied.timeMs);
      return;
    }
    this.learn(length, reward, timeMs);
    this.pending.markApplied(kept, reward, timeMs);
  }

  /**
   * Trains on logged decisions with outcomes (typically the rule policy's log, before the learner
   * serves traffic), oldest first. Records without an outcome or reward are skipped.
   */
  warmStart(records: readonly DecisionLogRecord[]): WarmStartSummary {
    const usable = records
      .filter((record) => record.outcome !== null || record.reward !== null)
      .sort((a, b) => a.context.now - b.context.now);
    for (const record of usable) {
      const context = recordPolicyContext(record);
      const index = record.outcome ? usedCandidateIndex(record.candidates, record.outcome, record.chosen_index) : record.chosen_index;
      const reward = record.reward ?? this.rewardOf(record.outcome!, record.candidates, index, record.context.weights);
      const observedAt = record.outcome ? Date.parse(record.outcome.observed_at) : Number.NaN;
      const length = this.encoder.encodeOne(context, record.candidates, index, this.updateIndices, this.updateValues);
      this.learn(length, reward, Number.isFinite(observedAt) ? observedAt : record.context.now);
    }
    return { used: usable.length, skipped: records.length - usable.length };
  }

  /**
   * Replaces the model with `state` (`toJSON()` of this or another instance, e.g. the merge of
   * several replicas' states) and makes it the merge base, keeping the decisions that still wait
   * for their outcomes: unlike `fromJSON`, outcomes of decisions taken before the swap are still
   * learned. The state's feature layout and half-life must be this policy's; its other options are
   * ignored (this instance keeps its own). Throws `InvalidArgumentError` otherwise.
   */
  adoptState(state: unknown): void {
    const parsed = parseOrThrow(learningPolicyStateSchema, state, 'learning policy state');
    assertCompatibleLayout(parsed);
    const issues: FieldIssue[] = [];
    if (parsed.features.hash_buckets !== this.hashBuckets) issues.push({ field: 'features.hash_buckets', reason: `must be ${this.hashBuckets}, this policy's` });
    if ((parsed.options.half_life_ms ?? Infinity) !== this.halfLifeMs) issues.push({ field: 'options.half_life_ms', reason: 'must be this policy\'s half-life' });
    if (issues.length > 0) throw new InvalidArgumentError({ message: `Cannot adopt learning policy state: ${describe(issues)}`, issues });
    const dimension = parsed.features.dimension;
    this.model.replaceStatistics(deserializeStatistics(parsed.statistics, dimension));
    this.base = { state_id: parsed.state_id, statistics: deserializeStatistics(parsed.statistics, dimension) };
  }

  diagnostics(): LearningPolicyDiagnostics {
    return {
      evidence: this.model.evidence,
      observations: this.model.currentStatistics.observations,
      residual_std: Math.sqrt(this.model.residualVariance()),
      temperature: this.currentTemperature(),
      pending_decisions: this.pending.size,
      unmatched_outcomes: this.unmatchedOutcomes,
      recent_residuals: this.residuals.slice(),
    };
  }

  /** The serialisable state: options, feature layout, model statistics and merge base. */
  toJSON(): LearningPolicyState {
    const dimension = this.encoder.dimension;
    const statistics = serializeStatistics(this.model.currentStatistics, dimension);
    return {
      format: 'aurora.learning-policy',
      format_version: 1,
      state_id: stateIdOf(statistics),
      policy_id: this.id,
      policy_version: this.version,
      options: {
        arm: this.arm,
        exploration_floor: this.explorationFloor,
        exploration_top_k: this.explorationTopK,
        temperature: this.temperature,
        min_temperature: this.minTemperature,
        optimism: this.optimism,
        half_life_ms: this.halfLifeMs === Infinity ? null : this.halfLifeMs,
        ridge: this.ridge,
        rule_prior: this.rulePrior,
        guard: { enabled: this.guard.enabled, confidence: this.guard.confidence, min_evidence: this.guard.minEvidence },
        reward: { failure_reward: this.reward.failureReward, time_to_running_reference_ms: this.reward.timeToRunningReferenceMs },
        max_pending_decisions: this.maxPendingDecisions,
      },
      features: {
        dense: [...denseFeatureNames],
        hashed: [...hashedFeatureNames],
        hash_buckets: this.hashBuckets,
        hash_seed: featureHashSeed,
        dimension,
      },
      statistics,
      base: this.base ? { state_id: this.base.state_id, statistics: serializeStatistics(this.base.statistics, dimension) } : null,
    };
  }

  private evaluate(context: PolicyContext, candidates: readonly ScoredCandidate[]): Evaluation {
    const count = candidates.length;
    if (count === 0) throw new PolicyError({ message: 'LearningPolicy needs at least one candidate', policyId: this.id });
    const batch = this.encoder.encode(context, candidates);
    const { theta, inverseDiagonal } = this.model;
    const bonusScale = this.optimism * Math.sqrt(this.model.residualVariance());
    if (this.optimisticScores.length < count) {
      this.optimisticScores = new Float64Array(Math.max(count, 2 * this.optimisticScores.length));
      this.admissible = new Int32Array(this.optimisticScores.length);
    }
    const optimistic = this.optimisticScores;
    const predictions = new Array<number>(count);
    const { dense, slots } = batch;
    let greedy = 0;
    let bestPrediction = -Infinity;
    // The request's own slots (after the offer slots) are the same in every row: summed once.
    let sharedPrediction = 0;
    let sharedWidth = 0;
    for (let feature = offerSlotCount; feature < hashedFeatureCount; feature++) {
      sharedPrediction += theta[slots[feature]!]!;
      sharedWidth += inverseDiagonal[slots[feature]!]!;
    }
    for (let row = 0; row < count; row++) {
      let prediction = sharedPrediction;
      let width = sharedWidth;
      const denseBase = row * denseFeatureCount;
      for (let feature = 0; feature < denseFeatureCount; feature++) {
        const value = dense[denseBase + feature]!;
        prediction += theta[feature]! * value;
        width += value * value * inverseDiagonal[feature]!;
      }
      const slotBase = row * hashedFeatureCount;
      for (let feature = 0; feature < offerSlotCount; feature++) {
        const slot = slots[slotBase + feature]!;
        prediction += theta[slot]!;
        width += inverseDiagonal[slot]!;
      }
      predictions[row] = prediction;
      if (prediction > bestPrediction) {
        bestPrediction = prediction;
        greedy = row;
      }
      const score = prediction + bonusScale * Math.sqrt(width);
      optimistic[row] = score;
    }

    const probabilities = new Array<number>(count);
    if (count === 1) {
      probabilities[0] = 1;
      return { probabilities, predictions, greedy: 0, intended: 0, guarded: false, batch };
    }
    const members = this.selectExplorationSet(optimistic, count);
    // The (1 - floor) share goes to a softmax over the admissible candidates: every one without the
    // guard; with it, the rule pick and those exploration-set members whose advantage over the rule
    // pick has a non-negative lower confidence bound.
    const admissible = this.admissible;
    let admitted = 0;
    if (!this.guard.enabled) {
      for (let row = 0; row < count; row++) admissible[admitted++] = row;
    } else {
      admissible[admitted++] = ruleIndex;
      if (this.model.evidence >= this.guard.minEvidence) {
        for (let member = 0; member < members; member++) {
          const row = this.explorationSet[member]!;
          if (row !== ruleIndex && this.beatsRulePick(row, predictions, batch.dense, batch.slots)) admissible[admitted++] = row;
        }
      }
    }
    probabilities.fill(0);
    // The pick it would make without exploration: the best optimistic score it may act on.
    let intended = admissible[0]!;
    for (let index = 1; index < admitted; index++) if (optimistic[admissible[index]!]! > optimistic[intended]!) intended = admissible[index]!;
    const bestAdmitted = optimistic[intended]!;
    const temperature = this.currentTemperature();
    let total = 0;
    for (let index = 0; index < admitted; index++) {
      const row = admissible[index]!;
      const weight = Math.exp((optimistic[row]! - bestAdmitted) / temperature);
      probabilities[row] = weight;
      total += weight;
    }
    const share = (1 - this.explorationFloor) / total;
    for (let index = 0; index < admitted; index++) probabilities[admissible[index]!] = probabilities[admissible[index]!]! * share;
    const floor = this.explorationFloor / members;
    for (let member = 0; member < members; member++) probabilities[this.explorationSet[member]!] = probabilities[this.explorationSet[member]!]! + floor;
    const guarded = this.guard.enabled && admitted === 1;
    return { probabilities, predictions, greedy, intended, guarded, batch };
  }

  /**
   * The exploration set: the `explorationTopK` candidates with the highest optimistic scores (ties
   * to the lower index) plus the rule pick, in `explorationSet`; returns its size. A deterministic
   * function of the scores, so every probability stays exact. Exploring only near the top spends
   * the floor on offers that might be best rather than on the tail of a long list.
   */
  private selectExplorationSet(optimistic: Float64Array, count: number): number {
    const set = this.explorationSet;
    const limit = Math.min(this.explorationTopK, count);
    let size = 0;
    for (let row = 0; row < count; row++) {
      const score = optimistic[row]!;
      if (size === limit && !(score > optimistic[set[size - 1]!]!)) continue;
      let position = size === limit ? size - 1 : size++;
      while (position > 0 && score > optimistic[set[position - 1]!]!) {
        set[position] = set[position - 1]!;
        position -= 1;
      }
      set[position] = row;
    }
    for (let member = 0; member < size; member++) if (set[member] === ruleIndex) return size;
    set[size] = ruleIndex;
    return size + 1;
  }

  /**
   * The guard's test for one candidate: is the one-sided lower confidence bound of (its predicted
   * reward - the rule pick's) at least zero? The bound's width is z * residual std *
   * sqrt(dx^T A^-1 dx), dx the difference of the two feature vectors: the model's own uncertainty
   * about that comparison.
   */
  private beatsRulePick(candidate: number, predictions: number[], dense: Float64Array, slots: Int32Array): boolean {
    const gap = predictions[candidate]! - predictions[ruleIndex]!;
    // A bound below a negative gap is negative too: skip the quadratic form.
    if (gap < 0) return false;
    const indices = this.differenceIndices;
    const values = this.differenceValues;
    let length = 0;
    // The bias and the shared request features are equal for both candidates and cancel.
    const candidateDense = candidate * denseFeatureCount;
    const ruleDense = ruleIndex * denseFeatureCount;
    for (let feature = 1; feature < denseFeatureCount; feature++) {
      const difference = dense[candidateDense + feature]! - dense[ruleDense + feature]!;
      if (difference === 0) continue;
      indices[length] = feature;
      values[length++] = difference;
    }
    const candidateSlots = candidate * hashedFeatureCount;
    const ruleSlots = ruleIndex * hashedFeatureCount;
    let ruleUnmatched = (1 << offerSlotCount) - 1;
    for (let feature = 0; feature < offerSlotCount; feature++) {
      const slot = slots[candidateSlots + feature]!;
      let matched = false;
      for (let other = 0; other < offerSlotCount; other++) {
        if ((ruleUnmatched & (1 << other)) !== 0 && slots[ruleSlots + other] === slot) {
          ruleUnmatched &= ~(1 << other);
          matched = true;
          break;
        }
      }
      if (matched) continue;
      indices[length] = slot;
      values[length++] = 1;
    }
    for (let other = 0; other < offerSlotCount; other++) {
      if ((ruleUnmatched & (1 << other)) === 0) continue;
      indices[length] = slots[ruleSlots + other]!;
      values[length++] = -1;
    }
    const variance = Math.max(0, sparseQuadraticForm(this.model.inverse, this.model.dimension, indices, values, length));
    return gap - this.guard.confidence * Math.sqrt(this.model.residualVariance() * variance) >= 0;
  }

  private currentTemperature(): number {
    return Math.max(this.minTemperature, this.temperature / Math.sqrt(1 + this.model.evidence));
  }

  private learn(length: number, reward: number, timeMs: number): void {
    const residual = this.model.update(this.updateIndices, this.updateValues, length, reward, timeMs);
    this.residuals.push(residual);
    if (this.residuals.length > residualHistory) this.residuals.splice(0, this.residuals.length - residualHistory);
  }

  private rewardOf(outcome: Outcome, candidates: readonly ScoredCandidate[], index: number, weights: Weights): number {
    return computeReward({ outcome, offer: candidates[index]!.offer, candidates, weights }, this.reward);
  }
}

/** Inverse-CDF draw; rounding can leave `u` past the last sum, which then picks the last candidate with a positive probability. */
function sample(probabilities: readonly number[], u: number): number {
  let cumulative = 0;
  let lastPossible = 0;
  for (let index = 0; index < probabilities.length; index++) {
    const probability = probabilities[index]!;
    if (probability <= 0) continue;
    cumulative += probability;
    lastPossible = index;
    if (u < cumulative) return index;
  }
  return lastPossible;
}

function assertCompatibleLayout(state: LearningPolicyState): void {
  const { features } = state;
  const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, index) => name === b[index]);
  const issues: FieldIssue[] = [];
  if (!sameNames(features.dense, denseFeatureNames) || !sameNames(features.hashed, hashedFeatureNames)) {
    issues.push({ field: 'features', reason: 'feature names differ from this version of the learning policy' });
  }
  if (features.hash_seed !== featureHashSeed) issues.push({ field: 'features.hash_seed', reason: `must be ${featureHashSeed}` });
  if (features.dimension !== denseFeatureCount + features.hash_buckets) {
    issues.push({ field: 'features.dimension', reason: `must be ${denseFeatureCount} + hash_buckets` });
  }
  if (issues.length > 0) throw new InvalidArgumentError({ message: `Incompatible learning policy state: ${describe(issues)}`, issues });
}

function validateOptions(options: LearningPolicyOptions): FieldIssue[] {
  if (options === null || typeof options !== 'object') return [{ field: '(root)', reason: 'must be an object' }];
  const issues: FieldIssue[] = [];
  const number = (field: keyof LearningPolicyOptions, valid: (value: number) => boolean, reason: string) => {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || !valid(value))) issues.push({ field, reason });
  };
  number('explorationFloor', (value) => value > 0 && value < 1, 'must be a number in (0, 1)');
  number('explorationTopK', (value) => Number.isInteger(value) && value >= 1 && value <= 1024, 'must be an integer from 1 to 1024');
  number('temperature', (value) => value > 0 && Number.isFinite(value), 'must be a positive number');
  number('minTemperature', (value) => value > 0 && Number.isFinite(value), 'must be a positive number');
  number('optimism', (value) => value >= 0 && Number.isFinite(value), 'must be a non-negative number');
  number('halfLifeMs', (value) => value > 0, 'must be a positive number of milliseconds (Infinity: no forgetting)');
  number('ridge', (value) => value > 0 && Number.isFinite(value), 'must be a positive number');
  number('hashBuckets', (value) => Number.isInteger(value) && value >= 8 && value <= 1024 && (value & (value - 1)) === 0, 'must be a power of two from 8 to 1024');
  number('maxPendingDecisions', (value) => Number.isInteger(value) && value > 0, 'must be a positive integer');
  if (options.id !== undefined && (typeof options.id !== 'string' || options.id.length === 0)) issues.push({ field: 'id', reason: 'must be a non-empty string' });
  if (options.version !== undefined && typeof options.version !== 'string') issues.push({ field: 'version', reason: 'must be a string' });
  if (options.arm !== undefined && !['rules', 'ai', 'shadow'].includes(options.arm)) issues.push({ field: 'arm', reason: 'must be rules, ai or shadow' });
  if (options.rulePrior !== undefined && typeof options.rulePrior !== 'boolean') issues.push({ field: 'rulePrior', reason: 'must be a boolean' });
  if (options.random !== undefined && typeof options.random !== 'function') issues.push({ field: 'random', reason: 'must be a function returning [0, 1)' });
  if (options.guard !== undefined && options.guard !== false) {
    const guard = options.guard;
    if (guard === null || typeof guard !== 'object') {
      issues.push({ field: 'guard', reason: 'must be false or an object' });
    } else {
      if (guard.confidence !== undefined && !(typeof guard.confidence === 'number' && guard.confidence >= 0 && Number.isFinite(guard.confidence))) {
        issues.push({ field: 'guard.confidence', reason: 'must be a non-negative number' });
      }
      if (guard.minEvidence !== undefined && !(typeof guard.minEvidence === 'number' && guard.minEvidence >= 0 && Number.isFinite(guard.minEvidence))) {
        issues.push({ field: 'guard.minEvidence', reason: 'must be a non-negative number' });
      }
    }
  }
  if (options.reward !== undefined) {
    const { failureReward, timeToRunningReferenceMs } = options.reward ?? {};
    if (failureReward !== undefined && !(typeof failureReward === 'number' && Number.isFinite(failureReward))) {
      issues.push({ field: 'reward.failureReward', reason: 'must be a finite number' });
    }
    if (timeToRunningReferenceMs !== undefined && !(typeof timeToRunningReferenceMs === 'number' && timeToRunningReferenceMs > 0 && Number.isFinite(timeToRunningReferenceMs))) {
      issues.push({ field: 'reward.timeToRunningReferenceMs', reason: 'must be a positive number' });
    }
  }
  return issues;
}

function describe(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}
