import { z } from 'zod';
import { armSchema } from '../../schemas/decision';
import { murmurHash3 } from '../stable-hash';
import { upperTriangleLength } from './linear-algebra';
import type { SerializedRidgeStatistics } from './ridge-statistics';

const finite = z.number().finite();
const nonNegative = finite.nonnegative();

export const serializedRidgeStatisticsSchema = z.object({
  as_of_ms: finite.nullable(),
  weight: nonNegative,
  observations: z.number().int().nonnegative(),
  xx: z.array(finite),
  xr: z.array(finite),
  reward_sum: finite,
  reward_square_sum: nonNegative,
  residual_square_sum: nonNegative,
  prior_factor: z.number().gt(0).max(1),
});

/**
 * The serialised learning policy: options, the feature layout (so that a state is only ever
 * loaded or merged by code that encodes features the same way), the decayed sufficient statistics
 * of the reward model and the statistics of the base state it was loaded from (for merges).
 * snake_case like every persisted object; `half_life_ms: null` means no forgetting.
 */
export const learningPolicyStateSchema = z
  .object({
    format: z.literal('aurora.learning-policy'),
    format_version: z.literal(1),
    state_id: z.string().min(1),
    policy_id: z.string().min(1),
    policy_version: z.string(),
    options: z.object({
      arm: armSchema,
      exploration_floor: z.number().gt(0).lt(1),
      /** Candidates the floor is spread over (the top by optimistic score, plus the rule pick); absent in older states. */
      exploration_top_k: z.number().int().positive().optional(),
      temperature: z.number().positive().finite(),
      min_temperature: z.number().positive().finite(),
      optimism: nonNegative,
      half_life_ms: z.number().positive().finite().nullable(),
      ridge: z.number().positive().finite(),
      rule_prior: z.boolean(),
      guard: z.object({ enabled: z.boolean(), confidence: nonNegative, min_evidence: nonNegative }),
      reward: z.object({ failure_reward: finite, time_to_running_reference_ms: z.number().positive().finite() }),
      max_pending_decisions: z.number().int().positive(),
    }),
    features: z.object({
      dense: z.array(z.string()),
      hashed: z.array(z.string()),
      hash_buckets: z.number().int().positive(),
      hash_seed: z.number().int(),
      dimension: z.number().int().positive(),
    }),
    statistics: serializedRidgeStatisticsSchema,
    base: z.object({ state_id: z.string().min(1), statistics: serializedRidgeStatisticsSchema }).nullable(),
  })
  .superRefine((state, context) => {
    const dimension = state.features.dimension;
    const check = (statistics: SerializedRidgeStatistics, path: (string | number)[]) => {
      if (statistics.xx.length !== upperTriangleLength(dimension)) {
        context.addIssue({ code: 'custom', path: [...path, 'xx'], message: `must hold ${upperTriangleLength(dimension)} numbers for dimension ${dimension}` });
      }
      if (statistics.xr.length !== dimension) {
        context.addIssue({ code: 'custom', path: [...path, 'xr'], message: `must hold ${dimension} numbers` });
      }
    };
    check(state.statistics, ['statistics']);
    if (state.base) check(state.base.statistics, ['base', 'statistics']);
  });

export type LearningPolicyState = z.output<typeof learningPolicyStateSchema>;

/** A content id: equal statistics give equal ids on every machine. */
export function stateIdOf(statistics: SerializedRidgeStatistics): string {
  const text = JSON.stringify(statistics);
  return `lps-${murmurHash3(text, 1).toString(16).padStart(8, '0')}${murmurHash3(text, 2).toString(16).padStart(8, '0')}`;
}
