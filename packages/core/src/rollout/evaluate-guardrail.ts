import type { AbMetricsTracker, MetricEstimate, RolloutMetric } from './ab-metrics';
import { harmOf, type Guardrail, type HarmDirection, type MarginType } from './guardrail';
import { normalMixtureTest } from './normal-mixture-test';

/**
 * - `insufficient_data`: an arm has fewer samples than the test needs, or no usable estimate.
 * - `breached`: the treatment is worse than the margin allows, with confidence 1 - α.
 * - `non_inferior`: it is not, with confidence 1 - α.
 * - `inconclusive`: neither yet.
 */
export type GuardrailStatus = 'insufficient_data' | 'breached' | 'non_inferior' | 'inconclusive';

/** The largest log-evidence seen so far in a stage (null: none yet), kept for always-valid p-values. */
export type EvidencePeaks = { harm: number | null; no_harm: number | null };

export type GuardrailEvaluation = {
  metric: RolloutMetric;
  margin: number;
  margin_type: MarginType;
  direction: HarmDirection;
  mixture_scale: number;
  status: GuardrailStatus;
  samples: { rules: number; ai: number };
  control: number | null;
  treatment: number | null;
  /** ĥ: above 0 the treatment looks worse than the margin allows. */
  harm: number | null;
  harm_standard_error: number | null;
  /** Always-valid one-sided bounds on the true harm: at level `breach_alpha` and `alpha`. */
  harm_lower: number | null;
  harm_upper: number | null;
  z: number | null;
  /** z* of the breach test and of the non-inferiority test. */
  breach_critical_z: number | null;
  non_inferiority_critical_z: number | null;
  log_evidence_harm: number | null;
  log_evidence_no_harm: number | null;
  /** Always-valid p-values: 1 / the largest evidence seen in the stage, capped at 1. */
  breach_p_value: number;
  non_inferiority_p_value: number;
};

export type EvaluateGuardrailOptions = {
  /** Level of the non-inferiority test. */
  alpha: number;
  /** Level of the breach test; default `alpha`. A controller with k guardrails passes α/k. */
  breach_alpha?: number;
  /** Samples each arm needs before the test runs (plug-in variances are unreliable below). */
  minimum_samples: number;
  /** Peaks from earlier evaluations of the same stage. */
  peaks?: EvidencePeaks;
};

/**
 * Compares the arms on one guardrail with the always-valid normal-mixture tests: harm estimate ĥ
 * from the arms' estimates, its variance V = V_T + V_C (absolute margin) or
 * V_T/θ_T² + V_C/θ_C² (relative margin: delta method on the log ratio), then the two one-sided
 * tests of `normalMixtureTest`.
 */
export function evaluateGuardrail(guardrail: Guardrail, metrics: AbMetricsTracker, options: EvaluateGuardrailOptions): GuardrailEvaluation {
  const { metric } = guardrail;
  const control = metrics.estimate('rules', metric);
  const treatment = metrics.estimate('ai', metric);
  const peaks = options.peaks ?? { harm: null, no_harm: null };
  const base = {
    metric,
    margin: guardrail.margin,
    margin_type: guardrail.margin_type,
    direction: guardrail.direction,
    mixture_scale: guardrail.mixture_scale,
    samples: { rules: metrics.count('rules', metric), ai: metrics.count('ai', metric) },
    control: control?.estimate ?? null,
    treatment: treatment?.estimate ?? null,
  };
  const insufficient: GuardrailEvaluation = {
    ...base,
    status: 'insufficient_data',
    harm: null,
    harm_standard_error: null,
    harm_lower: null,
    harm_upper: null,
    z: null,
    breach_critical_z: null,
    non_inferiority_critical_z: null,
    log_evidence_harm: null,
    log_evidence_no_harm: null,
    breach_p_value: pValue(peaks.harm),
    non_inferiority_p_value: pValue(peaks.no_harm),
  };
  if (!control || !treatment) return insufficient;
  if (control.count < options.minimum_samples || treatment.count < options.minimum_samples) return insufficient;
  const relative = guardrail.margin_type === 'relative';
  if (relative && !(control.estimate > 0 && treatment.estimate > 0)) return insufficient;
  const [treatmentVariance, controlVariance] = metric === 'fill_rate' ? pooledFillVariances(treatment, control) : [treatment.variance, control.variance];
  const variance = relative
    ? treatmentVariance / treatment.estimate ** 2 + controlVariance / control.estimate ** 2
    : treatmentVariance + controlVariance;
  if (!(variance > 0 && Number.isFinite(variance))) return insufficient;

  const harm = harmOf(guardrail, control.estimate, treatment.estimate);
  const breachAlpha = options.breach_alpha ?? options.alpha;
  const breachTest = normalMixtureTest({ estimate: harm, variance, mixture_scale: guardrail.mixture_scale, alpha: breachAlpha });
  const nonInferiorityTest =
    breachAlpha === options.alpha ? breachTest : normalMixtureTest({ estimate: harm, variance, mixture_scale: guardrail.mixture_scale, alpha: options.alpha });
  const harmEvidence = breachTest.log_evidence_harm;
  const noHarmEvidence = breachTest.log_evidence_no_harm;
  const status: GuardrailStatus =
    harmEvidence >= -Math.log(breachAlpha) ? 'breached' : noHarmEvidence >= -Math.log(options.alpha) ? 'non_inferior' : 'inconclusive';
  return {
    ...base,
    status,
    harm,
    harm_standard_error: Math.sqrt(variance),
    harm_lower: breachTest.lower,
    harm_upper: nonInferiorityTest.upper,
    z: breachTest.z,
    breach_critical_z: breachTest.critical_z,
    non_inferiority_critical_z: nonInferiorityTest.critical_z,
    log_evidence_harm: harmEvidence,
    log_evidence_no_harm: noHarmEvidence,
    breach_p_value: pValue(Math.max(peaks.harm ?? harmEvidence, harmEvidence)),
    non_inferiority_p_value: pValue(Math.max(peaks.no_harm ?? noHarmEvidence, noHarmEvidence)),
  };
}

/** The always-valid p-value of a test whose evidence peaked at `logEvidencePeak`. */
function pValue(logEvidencePeak: number | null): number {
  return logEvidencePeak === null ? 1 : Math.min(1, Math.exp(-logEvidencePeak));
}

/**
 * Fill-rate variances from the pooled rate p̄ (smoothed: (k + ½)/(n + 1) over both arms), as in
 * the pooled two-proportion z-test. Each arm's own p̂(1 - p̂) is correlated with its p̂: a small
 * arm that happens to fill everything would look both better and more certain than it is.
 */
function pooledFillVariances(treatment: MetricEstimate, control: MetricEstimate): [number, number] {
  const count = treatment.count + control.count;
  const pooled = (treatment.estimate * treatment.count + control.estimate * control.count + 0.5) / (count + 1);
  const unit = pooled * (1 - pooled);
  return [unit / treatment.count, unit / control.count];
}
