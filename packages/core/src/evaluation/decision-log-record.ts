import { z } from 'zod';
import { armSchema, criterionValuesSchema, scoredCandidateSchema } from '../schemas/decision';
import { outcomeSchema } from '../schemas/outcome';
import { routingRequestSchema } from '../schemas/routing-request';

/**
 * The request fields a decision log keeps: what shapes the candidate set and the reward. The
 * workload itself (image, env, command, ports) is never logged: env values can hold secrets.
 */
export const loggedRequestSchema = routingRequestSchema.pick({
  workload_type: true,
  gpu_type: true,
  gpu_memory_gb: true,
  gpu_count: true,
  region: true,
  gpu_hours: true,
  max_price: true,
  max_latency_ms: true,
  min_reputation: true,
  allow_interruptible: true,
});
export type LoggedRequest = z.output<typeof loggedRequestSchema>;

/** Probabilities may drift from 1 by this much after JSON round trips and float sums. */
const probabilityTolerance = 1e-6;

/**
 * One logged decision, the unit of off-policy evaluation and of warm starts: the context, every
 * candidate with its features (the offer, its normalised criteria and contributions), which one
 * the deciding policy picked and with what probability, and, joined later by `decision_id`, the
 * outcome and the reward computed from it. Written by any policy, rules included.
 */
export const decisionLogRecordSchema = z
  .object({
    record_version: z.literal(1),
    decision_id: z.string().min(1),
    logged_at: z.string().min(1),
    context: z.object({
      /** Decision time in milliseconds since the epoch (the policy context's `now`). */
      now: z.number().finite(),
      request: loggedRequestSchema,
      /** Normalised criterion weights of the request. */
      weights: criterionValuesSchema,
      tenant: z.string().optional(),
    }),
    /** Ranked by the scorer, best first, as the policy saw them. */
    candidates: z.array(scoredCandidateSchema).min(1),
    chosen_index: z.number().int().nonnegative(),
    chosen_offer_id: z.string().min(1),
    /** Probability that the deciding policy picks `chosen_index` in this context. */
    propensity: z.number().gt(0).max(1),
    /** The deciding policy's full distribution over the candidates, when it exposes one. */
    probabilities: z.array(z.number().min(0).max(1)).optional(),
    policy_id: z.string().min(1),
    policy_version: z.string(),
    arm: armSchema,
    /** Learning policies: their own best guess, and whether the guard handed over to the rules. */
    greedy_index: z.number().int().nonnegative().optional(),
    guarded: z.boolean().optional(),
    shadow: z
      .object({ policy_id: z.string(), policy_version: z.string(), index: z.number().int().nonnegative(), propensity: z.number().gt(0).max(1) })
      .optional(),
    outcome: outcomeSchema.nullable().default(null),
    /** The scalar reward of the outcome (`computeReward`); null until the outcome is joined. */
    reward: z.number().finite().nullable().default(null),
  })
  .superRefine((record, context) => {
    const count = record.candidates.length;
    const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
    if (record.chosen_index >= count) {
      issue(['chosen_index'], `must be below the number of candidates (${count})`);
    } else if (record.candidates[record.chosen_index]!.offer.offer_id !== record.chosen_offer_id) {
      issue(['chosen_offer_id'], `must be the offer_id of candidate ${record.chosen_index}`);
    }
    if (record.probabilities) {
      if (record.probabilities.length !== count) issue(['probabilities'], `must have one entry per candidate (${count})`);
      const total = record.probabilities.reduce((sum, value) => sum + value, 0);
      if (Math.abs(total - 1) > probabilityTolerance) issue(['probabilities'], `must sum to 1 (sum ${total})`);
      const chosen = record.probabilities[record.chosen_index];
      if (chosen !== undefined && Math.abs(chosen - record.propensity) > probabilityTolerance) {
        issue(['propensity'], `must equal probabilities[chosen_index] (${chosen})`);
      }
    }
    if (record.greedy_index !== undefined && record.greedy_index >= count) issue(['greedy_index'], `must be below ${count}`);
    if (record.shadow && record.shadow.index >= count) issue(['shadow', 'index'], `must be below ${count}`);
    if (record.outcome && record.outcome.decision_id !== record.decision_id) issue(['outcome', 'decision_id'], 'must match the record decision_id');
  });

export type DecisionLogRecordInput = z.input<typeof decisionLogRecordSchema>;
export type DecisionLogRecord = z.output<typeof decisionLogRecordSchema>;
