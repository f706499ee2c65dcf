import { LearningPolicy, RulePolicy, type LearningPolicyOptions } from '@aurora/router';
import type { PolicyFactory } from './policy-experiment';

/** The rule-based scorer's argmax (no exploration): the control. */
export function rulesPolicyFactory(): PolicyFactory {
  return { id: 'rules', learns: false, create: ({ random }) => new RulePolicy({ random }) };
}

/**
 * The core's learning policy, warm-started from the rules' warm-up log and learning online from
 * every outcome of its own decisions. `options` go to `LearningPolicy` (its seeded `random` is
 * supplied per run).
 */
export function learningPolicyFactory(options: Omit<LearningPolicyOptions, 'random'> = {}, id = 'ai'): PolicyFactory {
  return {
    id,
    learns: true,
    create: ({ random, warmUp }) => {
      const policy = new LearningPolicy({ ...options, random });
      if (warmUp.length > 0) policy.warmStart(warmUp);
      return policy;
    },
  };
}
