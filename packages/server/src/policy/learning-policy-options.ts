import type { LearningPolicyOptions } from '@aurora/router';
import type { RouterConfig } from '../config/router-config-schema';

export type LearningSettings = RouterConfig['policy']['learning'];

/** router.yaml's `policy.learning` as `LearningPolicy` options. */
export function learningPolicyOptions(settings: LearningSettings, random?: () => number): LearningPolicyOptions {
  return {
    explorationFloor: settings.exploration_floor,
    explorationTopK: settings.exploration_top_k,
    temperature: settings.temperature,
    minTemperature: settings.min_temperature,
    optimism: settings.optimism,
    halfLifeMs: settings.half_life_ms ?? Infinity,
    ridge: settings.ridge,
    rulePrior: settings.rule_prior,
    hashBuckets: settings.hash_buckets,
    guard: settings.guard.enabled ? { confidence: settings.guard.confidence, minEvidence: settings.guard.min_evidence } : false,
    reward: { failureReward: settings.reward.failure_reward, timeToRunningReferenceMs: settings.reward.time_to_running_reference_ms },
    maxPendingDecisions: settings.max_pending_decisions,
    ...(random ? { random } : {}),
  };
}

/** The reward options of `computeReward` / `attachOutcome` from the same settings. */
export function rewardOptions(settings: LearningSettings): { failureReward: number; timeToRunningReferenceMs: number } {
  return { failureReward: settings.reward.failure_reward, timeToRunningReferenceMs: settings.reward.time_to_running_reference_ms };
}
