import { z } from 'zod';

/** What happened after a decision: the feedback a learning policy and the metrics need. */
export const outcomeSchema = z.object({
  decision_id: z.string().min(1),
  deployment_id: z.string().optional(),
  provider: z.string().min(1),
  offer_id: z.string().min(1),
  filled: z.boolean(),
  time_to_running_ms: z.number().nonnegative().optional(),
  cost_usd: z.number().nonnegative().optional(),
  gpu_hours_delivered: z.number().nonnegative().optional(),
  achieved_latency_ms: z.number().nonnegative().optional(),
  failure_reason: z.string().optional(),
  observed_at: z.string(),
});

export type OutcomeInput = z.input<typeof outcomeSchema>;
export type Outcome = z.output<typeof outcomeSchema>;
