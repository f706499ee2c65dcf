import { z } from 'zod';
import { offerSchema } from './offer';

export const rejectionReasons = [
  'gpu_unavailable', 'gpu_type_mismatch', 'gpu_memory_below_min', 'gpu_count_mismatch', 'region_mismatch',
  'price_above_max', 'latency_above_max', 'reputation_below_min', 'interruptible_not_allowed',
  'circuit_open', 'over_budget', 'blocked_after_failure',
] as const;
export const rejectionReasonSchema = z.enum(rejectionReasons);
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

export const criterionValuesSchema = z.object({
  price: z.number(),
  latency: z.number(),
  reputation: z.number(),
  availability: z.number(),
});

/** An offer that passed every hard constraint, with its score and what each criterion added. */
export const scoredCandidateSchema = z.object({
  offer: offerSchema,
  rank: z.number().int().min(1),
  score: z.number(),
  /** Each criterion normalised to 0-1 across the candidates (1 is best). */
  normalized: criterionValuesSchema,
  /** weight x normalised value; they sum to `score`. */
  contributions: criterionValuesSchema,
});
export type ScoredCandidate = z.output<typeof scoredCandidateSchema>;

export const offerRejectionSchema = z.object({
  provider: z.string(),
  offer_id: z.string(),
  reason: rejectionReasonSchema,
  detail: z.string(),
});
export type OfferRejection = z.infer<typeof offerRejectionSchema>;

export const arms = ['rules', 'ai', 'shadow'] as const;
export const armSchema = z.enum(arms);
export type Arm = z.infer<typeof armSchema>;

export const deployAttemptSchema = z.object({
  attempt: z.number().int().min(1),
  provider: z.string(),
  offer_id: z.string(),
  started_at: z.string(),
  ended_at: z.string(),
  result: z.enum(['deployed', 'failed']),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
});
export type DeployAttempt = z.infer<typeof deployAttemptSchema>;

/** The full, explainable record of one routing decision. */
export const decisionSchema = z.object({
  decision_id: z.string(),
  created_at: z.string(),
  chosen: offerSchema.nullable(),
  candidates: z.array(scoredCandidateSchema),
  rejections: z.array(offerRejectionSchema),
  rejection_counts: z.object({ by_reason: z.record(z.string(), z.number()), by_provider: z.record(z.string(), z.number()) }),
  weights: criterionValuesSchema,
  policy: z.object({ id: z.string(), version: z.string() }),
  arm: armSchema,
  propensity: z.number().min(0).max(1),
  shadow: z
    .object({ policy: z.object({ id: z.string(), version: z.string() }), offer_id: z.string(), propensity: z.number() })
    .nullable()
    .default(null),
  attempts: z.array(deployAttemptSchema),
  adapter_failures: z.array(z.object({ provider: z.string(), code: z.string(), message: z.string() })),
  warnings: z.array(z.string()),
});
export type Decision = z.output<typeof decisionSchema>;
