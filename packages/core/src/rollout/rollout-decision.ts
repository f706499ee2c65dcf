import type { AbMetricsSummary } from './ab-metrics';
import type { GuardrailEvaluation } from './evaluate-guardrail';

/** `running`: moving through the stages. `completed`: on the last stage. `rolled_back`: at 0 % until resumed. */
export type RolloutPhase = 'running' | 'completed' | 'rolled_back';

export type RolloutAction = 'hold' | 'advance' | 'rollback';

/** The evidence of the current stage at one moment. */
export type StageStatistics = {
  /** Index into the stages; null while rolled back. */
  stage_index: number | null;
  percentage: number;
  started_at: string;
  duration_ms: number;
  /** Outcomes per arm in this stage. */
  samples: { rules: number; ai: number };
  guardrails: GuardrailEvaluation[];
  metrics: AbMetricsSummary;
};

/** What `evaluate()` concluded, and why. */
export type RolloutDecision = {
  action: RolloutAction;
  reasons: string[];
  at: string;
  phase: RolloutPhase;
  /** The percentage in force after the decision. */
  percentage: number;
  statistics: StageStatistics;
};

export type StageChangeKind = 'advance' | 'rollback' | 'resume' | 'reset';

/** One move of the treatment percentage: emitted as `stage-change` and kept in the history. */
export type StageChange = {
  kind: StageChangeKind;
  /** Treatment percentages before and after. */
  from: number;
  to: number;
  /** Stage indices before and after; null means rolled back (0 %). */
  from_stage: number | null;
  to_stage: number | null;
  reason: string;
  at: string;
  /** The stage's evidence when it changed. */
  statistics: StageStatistics;
};
