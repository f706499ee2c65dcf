import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { FixedPolicy, outcome, policyContext, rankedCandidates } from '../policy/__fixtures__/policy-fixtures';
import { HybridPolicy } from '../policy/hybrid-policy';
import type { Policy } from '../policy/policy';
import { policyForMode, type PolicyForModeOptions } from './policy-for-mode';
import { createRolloutController } from './rollout-controller';

const candidates = rankedCandidates(4);

function policies() {
  return { rules: new FixedPolicy('rules', 0), ai: new FixedPolicy('ai', 2, 0.8) };
}

function contexts(count: number) {
  return Array.from({ length: count }, (_, index) => policyContext({ decision_id: `dec-${index}`, tenant: 'acme', idempotency_key: `key-${index}` }));
}

function errorOf(options: unknown): InvalidArgumentError {
  try {
    policyForMode(options as PolicyForModeOptions);
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('policyForMode', () => {
  it('rule-based returns the rules policy and ai the ai policy', () => {
    const { rules, ai } = policies();
    expect(policyForMode({ mode: 'rule-based', rules })).toBe(rules);
    expect(policyForMode({ mode: 'rule-based', rules, ai, ai_rollout_percentage: 30 })).toBe(rules);
    expect(policyForMode({ mode: 'ai', rules, ai, ai_rollout_percentage: 30 })).toBe(ai);
  });

  it('hybrid splits between rules (control) and ai (treatment) at the configured percentage', async () => {
    const { rules, ai } = policies();
    const policy = policyForMode({ mode: 'hybrid', rules, ai, ai_rollout_percentage: 25 });
    expect(policy.treatmentPercentage).toBe(25);
    const choices = await Promise.all(contexts(400).map((context) => policy.decide(context, candidates)));
    const treated = choices.filter((choice) => choice.arm === 'ai');
    expect(treated.length / choices.length).toBeGreaterThan(0.18);
    expect(treated.length / choices.length).toBeLessThan(0.32);
    expect(treated.every((choice) => choice.policy_id === 'ai' && choice.index === 2)).toBe(true);
    expect(choices.filter((choice) => choice.arm === 'rules').every((choice) => choice.policy_id === 'rules')).toBe(true);
    expect(choices.every((choice) => choice.shadow === undefined)).toBe(true);
  });

  it('shadow deploys the rules on every request and records the ai pick beside it', async () => {
    const { rules, ai } = policies();
    const onShadowError = vi.fn();
    const policy = policyForMode({ mode: 'shadow', rules, ai, salt: 'exp-1', onShadowError });
    expect(policy.treatmentPercentage).toBe(0);
    const choices = await Promise.all(contexts(100).map((context) => policy.decide(context, candidates)));
    for (const choice of choices) {
      expect(choice).toMatchObject({ arm: 'rules', policy_id: 'rules', index: 0 });
      expect(choice.shadow).toEqual({ policy_id: 'ai', policy_version: '1.0.0', index: 2, propensity: 0.8 });
    }
    expect(ai.decisions).toBe(100);
    // The ai still learns from every outcome, once.
    await policy.observe(outcome());
    expect(ai.observed).toHaveLength(1);
    expect(rules.observed).toHaveLength(1);
  });

  it('gives a rollout controller a policy to drive from shadow to treatment', async () => {
    const { rules, ai } = policies();
    const policy = policyForMode({ mode: 'shadow', rules, ai });
    const controller = createRolloutController({ clock: () => 0 });
    controller.attach(policy);
    expect(policy.treatmentPercentage).toBe(10);
    const choices = await Promise.all(contexts(300).map((context) => policy.decide(context, candidates)));
    expect(choices.some((choice) => choice.arm === 'ai' && choice.policy_id === 'ai')).toBe(true);
  });

  it('names every problem', () => {
    const { rules, ai } = policies();
    expect(errorOf({ mode: 'turbo', rules: {}, ai }).issues).toEqual([
      { field: 'mode', reason: 'must be one of rule-based, ai, hybrid, shadow' },
      { field: 'rules', reason: 'must be a Policy with id and decide()' },
    ]);
    expect(errorOf({ mode: 'hybrid', rules }).issues).toEqual([
      { field: 'ai', reason: 'is required in hybrid mode' },
      { field: 'ai_rollout_percentage', reason: 'is required in hybrid mode' },
    ]);
    expect(errorOf({ mode: 'hybrid', rules, ai, ai_rollout_percentage: 101 }).issues).toEqual([
      { field: 'ai_rollout_percentage', reason: 'must be a number from 0 to 100' },
    ]);
    expect(errorOf({ mode: 'shadow', rules, ai, ai_rollout_percentage: 20 }).issues).toEqual([
      { field: 'ai_rollout_percentage', reason: 'must be 0 in shadow mode: the ai decides alongside, the rules deploy' },
    ]);
    expect(errorOf({ mode: 'ai', rules, ai: { id: 'broken' } as unknown as Policy }).issues).toEqual([
      { field: 'ai', reason: 'must be a Policy with id and decide()' },
    ]);
    expect(errorOf(undefined).issues).toEqual([{ field: '(root)', reason: 'options object is required' }]);
  });

  it('returns a HybridPolicy for hybrid and shadow', () => {
    const { rules, ai } = policies();
    const hybrid: HybridPolicy = policyForMode({ mode: 'hybrid', rules, ai, ai_rollout_percentage: 0 });
    expect(hybrid.id).toBe('hybrid');
    expect(typeof hybrid.setTreatmentPercentage).toBe('function');
  });
});
