export { VERSION } from './version';
export * from './errors/index';
export * from './schemas/index';
export * from './adapter/index';
export * from './scorer/index';
export * from './policy/index';
export * from './telemetry/index';
export * from './router/index';
export {
  LearningPolicy,
  type LearningPolicyOptions,
  type LearningPolicyGuardOptions,
  type LearningChoice,
  type LearningPolicyDiagnostics,
  type WarmStartSummary,
} from './policy/learning/learning-policy';
export { computeReward, type RewardInput, type RewardOptions } from './policy/learning/compute-reward';
export { rewardBasisOf, rewardFromBasis, defaultRewardBasisCandidates, type RewardBasis } from './policy/reward-basis';
export { mergeStates } from './policy/learning/merge-states';
export { learningPolicyStateSchema, type LearningPolicyState } from './policy/learning/learning-policy-state';
export {
  decisionLogRecordSchema,
  loggedRequestSchema,
  type DecisionLogRecord,
  type DecisionLogRecordInput,
  type LoggedRequest,
} from './evaluation/decision-log-record';
export {
  createDecisionLogRecord,
  attachOutcome,
  recordPolicyContext,
  type CreateDecisionLogRecordInput,
  type LoggableChoice,
} from './evaluation/create-decision-log-record';
export { toJsonLines, parseJsonLines } from './evaluation/decision-log-json-lines';
export { encodeDecisionLogRecord, decodeStoredDecisionLogRecord, compactCandidatesEncoding } from './evaluation/decision-log-record-codec';
export { DecisionLogLineError } from './evaluation/decision-log-line-error';
export {
  evaluatePolicyOffline,
  estimatorNames,
  type EstimatorName,
  type OfflineEvaluation,
  type OfflineEvaluationOptions,
  type PolicyValueEstimate,
  type RewardModelOption,
} from './evaluation/evaluate-policy-offline';
export type { TargetPolicy } from './evaluation/target-distribution';
export type { RewardModelFunction } from './evaluation/fit-ridge-reward-model';
export { computePsiField, type PsiDecision, type PsiField, type PsiFieldInput, type PsiUpliftInput } from './evaluation/compute-psi-field';
export { pageHinkley, type PageHinkleyOptions, type PageHinkleyResult } from './evaluation/page-hinkley';
export * from './rollout/index';
