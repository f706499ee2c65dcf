import { z } from 'zod';
import { abMetricsStateSchema, rolloutMetrics, type AbMetricsState, type RolloutMetric } from './ab-metrics';
import type { EvidencePeaks } from './evaluate-guardrail';
import type { RolloutPhase, StageChange } from './rollout-decision';

/**
 * A rollout controller's persisted state (snake_case, JSON): where the rollout stands, the current
 * stage's metrics and evidence peaks, and the history of stage changes. Options (guardrails, α,
 * minimums) are not part of it: they come from configuration when the state is loaded.
 */
export type RolloutState = {
  format: 'aurora.rollout';
  format_version: 1;
  stages: number[];
  phase: RolloutPhase;
  stage_index: number | null;
  percentage: number;
  stage_started_at: string;
  metrics: AbMetricsState;
  evidence_peaks: Partial<Record<RolloutMetric, EvidencePeaks>>;
  history: StageChange[];
};

const peak = z.number().finite().nullable();
const isoTimestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 timestamp');

const stageChangeSchema = z.object({
  kind: z.enum(['advance', 'rollback', 'resume', 'reset']),
  from: z.number().min(0).max(100),
  to: z.number().min(0).max(100),
  from_stage: z.number().int().nonnegative().nullable(),
  to_stage: z.number().int().nonnegative().nullable(),
  reason: z.string(),
  at: isoTimestamp,
  // Evidence snapshots are written by the controller and only displayed: kept as they are.
  statistics: z.record(z.string(), z.unknown()),
});

export const rolloutStateSchema = z
  .object({
    format: z.literal('aurora.rollout'),
    format_version: z.literal(1),
    stages: z.array(z.number().gt(0).max(100)).min(1),
    phase: z.enum(['running', 'completed', 'rolled_back']),
    stage_index: z.number().int().nonnegative().nullable(),
    percentage: z.number().min(0).max(100),
    stage_started_at: isoTimestamp,
    metrics: abMetricsStateSchema,
    evidence_peaks: z.partialRecord(z.enum(rolloutMetrics), z.object({ harm: peak, no_harm: peak }).strict()),
    history: z.array(stageChangeSchema),
  })
  .strict()
  .superRefine((state, context) => {
    if (state.stage_index !== null && state.stage_index >= state.stages.length) {
      context.addIssue({ code: 'custom', path: ['stage_index'], message: 'is past the last stage' });
    }
    const expected = state.stage_index === null ? 0 : state.stages[state.stage_index];
    if (expected !== undefined && state.percentage !== expected) {
      context.addIssue({ code: 'custom', path: ['percentage'], message: `must be ${expected} for this stage` });
    }
    if ((state.phase === 'rolled_back') !== (state.stage_index === null)) {
      context.addIssue({ code: 'custom', path: ['stage_index'], message: 'is null exactly when the phase is rolled_back' });
    }
    if (state.stage_index !== null && (state.phase === 'completed') !== (state.stage_index === state.stages.length - 1)) {
      context.addIssue({ code: 'custom', path: ['phase'], message: 'is completed exactly on the last stage' });
    }
  });
