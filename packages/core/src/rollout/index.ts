export {
  AbMetricsTracker,
  createAbMetrics,
  emptyAbMetricsState,
  mergeAbMetrics,
  abMetricsStateSchema,
  rolloutMetrics,
  rolloutArms,
  type AbMetricsState,
  type AbMetricsSummary,
  type ArmMetricsState,
  type ArmMetricsSummary,
  type ArmOutcome,
  type Interval,
  type MeanSummary,
  type MetricEstimate,
  type ProportionSummary,
  type RatioSummary,
  type RolloutMetric,
} from './ab-metrics';
export { addToMoments, emptyMoments, mergeMoments, sampleVariance, type RunningMoments } from './running-moments';
export { addToRatioMoments, emptyRatioMoments, mergeRatioMoments, ratioEstimate, type RatioMoments } from './ratio-moments';
export {
  defaultGuardrails,
  harmOf,
  marginOnHarmScale,
  resolveGuardrails,
  type Guardrail,
  type GuardrailConfig,
  type HarmDirection,
  type MarginType,
} from './guardrail';
export { alwaysValidCriticalZ, halfNormalMixtureLogEvidence, normalMixtureTest, type NormalMixtureTest } from './normal-mixture-test';
export { evaluateGuardrail, type EvaluateGuardrailOptions, type EvidencePeaks, type GuardrailEvaluation, type GuardrailStatus } from './evaluate-guardrail';
export type { RolloutAction, RolloutDecision, RolloutPhase, StageChange, StageChangeKind, StageStatistics } from './rollout-decision';
export { rolloutStateSchema, type RolloutState } from './rollout-state';
export {
  RolloutController,
  createRolloutController,
  type RolloutControllerEvents,
  type RolloutControllerOptions,
  type RolloutStatus,
  type RolloutTarget,
} from './rollout-controller';
export { policyForMode, routingModes, type PolicyForModeOptions, type RoutingMode } from './policy-for-mode';
