import { routingModes, rolloutMetrics } from '@aurora/router';
import { z } from 'zod';

const interval = z.object({ lower: z.number(), upper: z.number() }).nullable().describe('95 % interval');
const estimate = z.object({ estimate: z.number(), ci: z.tuple([z.number(), z.number()]), standard_error: z.number() });

const armMetricsSchema = z.object({
  outcomes: z.number().describe('decisions with an outcome in this stage'),
  fill_rate: z.object({
    count: z.number(),
    successes: z.number(),
    estimate: z.number().nullable(),
    standard_error: z.number().nullable(),
    interval_95: interval.describe('Wilson score interval'),
  }),
  cost_per_gpu_hour: z.object({
    count: z.number(),
    total_cost_usd: z.number(),
    total_gpu_hours: z.number(),
    estimate: z.number().nullable().describe('USD per delivered GPU-hour: sum of cost / sum of GPU-hours'),
    standard_error: z.number().nullable(),
    interval_95: interval,
  }),
  time_to_running_ms: z.object({ count: z.number(), mean: z.number().nullable(), variance: z.number().nullable(), standard_error: z.number().nullable(), interval_95: interval }),
  achieved_latency_ms: z.object({ count: z.number(), mean: z.number().nullable(), variance: z.number().nullable(), standard_error: z.number().nullable(), interval_95: interval }),
});

const guardrailSchema = z.object({
  metric: z.enum(rolloutMetrics),
  margin: z.number(),
  margin_type: z.enum(['absolute', 'relative']),
  direction: z.enum(['lower_is_worse', 'higher_is_worse']),
  mixture_scale: z.number(),
  status: z.enum(['insufficient_data', 'breached', 'non_inferior', 'inconclusive']),
  samples: z.object({ rules: z.number(), ai: z.number() }),
  control: z.number().nullable(),
  treatment: z.number().nullable(),
  harm: z.number().nullable().describe('above 0: the ai arm is worse than the margin allows'),
  harm_standard_error: z.number().nullable(),
  harm_lower: z.number().nullable().describe('always-valid lower bound of the harm'),
  harm_upper: z.number().nullable(),
  z: z.number().nullable(),
  breach_critical_z: z.number().nullable(),
  non_inferiority_critical_z: z.number().nullable(),
  log_evidence_harm: z.number().nullable(),
  log_evidence_no_harm: z.number().nullable(),
  breach_p_value: z.number(),
  non_inferiority_p_value: z.number(),
});

const stageChangeSchema = z.object({
  kind: z.enum(['advance', 'rollback', 'resume', 'reset']),
  from: z.number(),
  to: z.number(),
  from_stage: z.number().nullable(),
  to_stage: z.number().nullable(),
  reason: z.string(),
  at: z.string(),
});

const offlineEstimates = z.object({ ips: estimate, snips: estimate, dr: estimate });

export const psiFieldSchema = z.object({
  decisions: z.number(),
  decision_entropy: z.object({ mean_nats: z.number(), normalized: z.number() }),
  exploration_rate: z.number(),
  rule_agreement: z.number(),
  guarded_share: z.number(),
  uplift_over_rules: z.object({ source: z.string(), estimate: z.number(), ci: z.tuple([z.number(), z.number()]) }).nullable(),
  reward_model_drift: z
    .object({
      residuals: z.number(),
      page_hinkley: z.number(),
      threshold: z.number(),
      drifted: z.boolean(),
      first_alarm_index: z.number().nullable(),
      mean_shift: z.number(),
      window: z.number(),
    })
    .nullable(),
});

/** GET /policy. */
export const policyStatusSchema = z.object({
  mode: z.enum(routingModes),
  policy: z.object({ id: z.string(), version: z.string() }).describe('the policy the router runs (hybrid: the split)'),
  replica_id: z.string().describe('this server process among the replicas sharing the ledger'),
  ai_percentage: z.number().describe('share of routes (0-100) the ai arm decides now'),
  arms: z
    .record(
      z.enum(['rules', 'ai']),
      z.object({
        share: z.number(),
        decisions: z.number().describe('decisions of this replica in the current stage'),
        outcomes: z.number().describe('decisions with an outcome in the current stage, every replica'),
        mean_reward: z.number().nullable().describe('mean reward of the latest 1,000 decisions with an outcome seen here'),
      }),
    )
    .describe('arm sizes'),
  ab_metrics: z.object({
    stage_key: z.string(),
    replicas: z.number(),
    updated_at: z.string().nullable(),
    fill_rate_improvement: z.number().nullable().describe('fill rate of the ai arm minus the rules arm (0.03 = 3 points)'),
    arms: z.object({ rules: armMetricsSchema, ai: armMetricsSchema }),
  }),
  rollout: z
    .object({
      phase: z.enum(['running', 'completed', 'rolled_back']),
      stages: z.array(z.number()),
      stage_index: z.number().nullable(),
      percentage: z.number(),
      stage_started_at: z.string(),
      version: z.number().describe('ledger version of the rollout state'),
      leader: z.boolean().describe('this replica evaluates the rollout'),
      samples: z.object({ rules: z.number(), ai: z.number() }),
      duration_ms: z.number(),
      guardrails: z.array(guardrailSchema),
      last_decision: z.object({ action: z.enum(['hold', 'advance', 'rollback']), reasons: z.array(z.string()), at: z.string() }).nullable(),
      history: z.array(stageChangeSchema),
    })
    .nullable()
    .describe('null unless mode is hybrid with rollout.enabled'),
  model: z
    .object({
      policy_id: z.string(),
      version: z.string().describe('package version + ledger version of the state'),
      state: z.object({ version: z.number(), state_id: z.string(), synced_at: z.string().nullable(), incompatible: z.string().nullable() }),
      evidence: z.number(),
      observations: z.number(),
      residual_std: z.number(),
      temperature: z.number(),
      pending_decisions: z.number(),
      unmatched_outcomes: z.number(),
    })
    .nullable()
    .describe('the learning policy; null in rule-based mode'),
  ope: z
    .object({
      computed_at: z.string(),
      records: z.number(),
      window: z.object({ since: z.string(), until: z.string() }),
      logged_mean_reward: z.number().nullable(),
      estimates: offlineEstimates.nullable().describe('estimated mean reward per decision of the learning policy'),
      uplift_over_rules: offlineEstimates.nullable().describe('learning policy minus the rule policy, paired on the same decisions'),
      effective_sample_size: z.number().nullable(),
      warnings: z.array(z.string()),
    })
    .nullable()
    .describe('off-policy evaluation on the logged decisions, refreshed in the background'),
  psi: psiFieldSchema.nullable(),
});

export type PolicyStatus = z.infer<typeof policyStatusSchema>;

/** POST /policy/rollout. */
export const rolloutActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('resume'), stage_index: z.number().int().nonnegative().optional(), reason: z.string().min(1).max(500).optional() }).strict(),
  z.object({ action: z.literal('reset'), reason: z.string().min(1).max(500).optional() }).strict(),
]);
