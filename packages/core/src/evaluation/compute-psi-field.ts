import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { pageHinkley, type PageHinkleyOptions } from './page-hinkley';
import { mean, normalQuantile, sampleVariance } from './statistics';

/** One decision as the indicators need it; a `LearningChoice` is one. */
export type PsiDecision = {
  /** The policy's distribution over the candidates. */
  probabilities: readonly number[];
  /** Its own best candidate (highest predicted reward). */
  greedy_index: number;
  /** The rule policy's pick; default 0, the scorer's best. */
  rule_index?: number;
  /** The guard handed this decision to the rules. */
  guarded?: boolean;
};

export type PsiUpliftInput =
  /** An uplift estimated elsewhere, e.g. `evaluatePolicyOffline({ baseline })`'s `uplift.dr`. */
  | { source: string; estimate: number; ci: [number, number] }
  /** Live A/B rewards per decision of each arm. */
  | { source: 'ab'; treatment_rewards: readonly number[]; control_rewards: readonly number[] };

export type PsiFieldInput = {
  decisions: readonly PsiDecision[];
  /** Reward-model residuals (reward - prediction), oldest first, e.g. `diagnostics().recent_residuals`. */
  residuals?: readonly number[];
  uplift?: PsiUpliftInput;
  drift?: PageHinkleyOptions & {
    /** Window of the mean shift: the last `window` residuals against the `window` before. Default 100. */
    window?: number;
  };
  /** Confidence of the A/B uplift interval. Default 0.95. */
  confidence?: number;
};

export type PsiField = {
  decisions: number;
  decision_entropy: {
    /** Mean Shannon entropy of the action distributions, in nats. */
    mean_nats: number;
    /** Mean entropy divided by ln(candidates): 0 deterministic, 1 uniform (decisions with one candidate left out). */
    normalized: number;
  };
  /** Mean probability of not taking the intended pick (greedy; the rule pick when guarded). */
  exploration_rate: number;
  /** Share of decisions whose greedy pick is the rule pick. */
  rule_agreement: number;
  /** Share of decisions the guard handed to the rules. */
  guarded_share: number;
  uplift_over_rules: { source: string; estimate: number; ci: [number, number] } | null;
  reward_model_drift: {
    residuals: number;
    page_hinkley: number;
    threshold: number;
    drifted: boolean;
    first_alarm_index: number | null;
    /** Mean of the last `window` residuals minus the mean of the `window` before them. */
    mean_shift: number;
    window: number;
  } | null;
};

const defaultWindow = 100;

/**
 * The Psi-field: a few indicators of a learning policy's state, each a plain formula of its logged
 * decisions, residuals and uplift evidence (docs/psi-field.md). Pure: the same input always gives
 * the same output.
 */
export function computePsiField(input: PsiFieldInput): PsiField {
  const issues = validate(input);
  if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid Psi-field input: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`, issues });
  const decisions = input.decisions;
  const count = decisions.length;

  let entropySum = 0;
  let normalizedSum = 0;
  let normalizedCount = 0;
  let explorationSum = 0;
  let agreements = 0;
  let guarded = 0;
  for (const decision of decisions) {
    const entropy = shannonEntropy(decision.probabilities);
    entropySum += entropy;
    if (decision.probabilities.length > 1) {
      normalizedSum += entropy / Math.log(decision.probabilities.length);
      normalizedCount += 1;
    }
    const ruleIndex = decision.rule_index ?? 0;
    const intended = decision.guarded ? ruleIndex : decision.greedy_index;
    explorationSum += 1 - decision.probabilities[intended]!;
    if (decision.greedy_index === ruleIndex) agreements += 1;
    if (decision.guarded) guarded += 1;
  }

  return {
    decisions: count,
    decision_entropy: {
      mean_nats: count > 0 ? entropySum / count : 0,
      normalized: normalizedCount > 0 ? normalizedSum / normalizedCount : 0,
    },
    exploration_rate: count > 0 ? explorationSum / count : 0,
    rule_agreement: count > 0 ? agreements / count : 0,
    guarded_share: count > 0 ? guarded / count : 0,
    uplift_over_rules: upliftOf(input.uplift, input.confidence ?? 0.95),
    reward_model_drift: driftOf(input.residuals, input.drift),
  };
}

/** -sum p ln p, with 0 ln 0 = 0. */
function shannonEntropy(probabilities: readonly number[]): number {
  let entropy = 0;
  for (const probability of probabilities) if (probability > 0) entropy -= probability * Math.log(probability);
  return entropy;
}

/** Difference of means with a normal (Welch) interval: d +- z sqrt(s_t^2 / n_t + s_c^2 / n_c). */
function upliftOf(uplift: PsiUpliftInput | undefined, confidence: number): PsiField['uplift_over_rules'] {
  if (!uplift) return null;
  if ('estimate' in uplift) return { source: uplift.source, estimate: uplift.estimate, ci: [uplift.ci[0], uplift.ci[1]] };
  const treatment = uplift.treatment_rewards;
  const control = uplift.control_rewards;
  const estimate = mean(treatment) - mean(control);
  const standardError = Math.sqrt(sampleVariance(treatment) / treatment.length + sampleVariance(control) / control.length);
  const z = normalQuantile(0.5 + confidence / 2);
  return { source: 'ab', estimate, ci: [estimate - z * standardError, estimate + z * standardError] };
}

function driftOf(residuals: readonly number[] | undefined, options: PsiFieldInput['drift']): PsiField['reward_model_drift'] {
  if (!residuals) return null;
  const test = pageHinkley(residuals, options);
  const window = Math.min(options?.window ?? defaultWindow, Math.floor(residuals.length / 2));
  const meanShift =
    window > 0 ? mean(residuals.slice(residuals.length - window)) - mean(residuals.slice(residuals.length - 2 * window, residuals.length - window)) : 0;
  return {
    residuals: residuals.length,
    page_hinkley: test.statistic,
    threshold: test.threshold,
    drifted: test.first_alarm_index !== null,
    first_alarm_index: test.first_alarm_index,
    mean_shift: meanShift,
    window,
  };
}

function validate(input: PsiFieldInput): FieldIssue[] {
  if (input === null || typeof input !== 'object' || !Array.isArray(input.decisions)) return [{ field: 'decisions', reason: 'must be an array' }];
  const issues: FieldIssue[] = [];
  input.decisions.forEach((decision: PsiDecision, position: number) => {
    const probabilities: readonly number[] = Array.isArray(decision.probabilities) ? decision.probabilities : [];
    const count = probabilities.length;
    if (count === 0) {
      issues.push({ field: `decisions.${position}.probabilities`, reason: 'must be a non-empty array' });
      return;
    }
    const total = probabilities.reduce((sum, value) => sum + value, 0);
    if (probabilities.some((value) => !(value >= 0 && value <= 1)) || Math.abs(total - 1) > 1e-6) {
      issues.push({ field: `decisions.${position}.probabilities`, reason: `must be probabilities summing to 1 (sum ${total})` });
    }
    for (const field of ['greedy_index', 'rule_index'] as const) {
      const value = decision[field];
      if (value === undefined && field === 'rule_index') continue;
      if (!(Number.isInteger(value) && value! >= 0 && value! < count)) issues.push({ field: `decisions.${position}.${field}`, reason: `must be an index below ${count}` });
    }
  });
  if (input.residuals !== undefined && (!Array.isArray(input.residuals) || input.residuals.some((value) => !Number.isFinite(value)))) {
    issues.push({ field: 'residuals', reason: 'must be an array of finite numbers' });
  }
  const uplift = input.uplift;
  if (uplift && !('estimate' in uplift) && (!(uplift.treatment_rewards?.length >= 2) || !(uplift.control_rewards?.length >= 2))) {
    issues.push({ field: 'uplift', reason: 'A/B uplift needs at least two rewards per arm' });
  }
  if (input.confidence !== undefined && !(input.confidence > 0 && input.confidence < 1)) issues.push({ field: 'confidence', reason: 'must be in (0, 1)' });
  return issues;
}
