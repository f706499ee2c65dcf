import { defaultWeights, RulePolicy, scoreOffers, type Policy } from '@aurora/router';
import { createOffers, createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { DecisionLoggingPolicy } from './decision-logging-policy';

const candidates = scoreOffers(createOffers(4), defaultWeights);
const context = (id: string) => ({ decision_id: id, request: createRoutingRequest(), weights: defaultWeights, now: Date.parse('2026-03-01T12:00:00.000Z'), tenant: 'acme' });

describe('DecisionLoggingPolicy', () => {
  it('logs a rule decision with the rule policy\'s exact epsilon-greedy distribution, handed over once', async () => {
    const rules = new RulePolicy({ epsilon: 0.2, random: () => 0.9 });
    const policy = new DecisionLoggingPolicy({ inner: rules, rules });
    const choice = await policy.decide(context('dec-1'), candidates);
    expect(choice).toMatchObject({ index: 0, arm: 'rules' });
    expect(choice.propensity).toBeCloseTo(0.85, 12);

    const record = policy.takeRecord('dec-1');
    expect(record).toMatchObject({ decision_id: 'dec-1', chosen_index: 0, propensity: choice.propensity, arm: 'rules', policy_id: 'rules', outcome: null });
    [0.85, 0.05, 0.05, 0.05].forEach((probability, index) => expect(record?.probabilities?.[index]).toBeCloseTo(probability, 12));
    expect(record?.context.tenant).toBe('acme');
    expect(record?.candidates).toHaveLength(4);
    expect(policy.takeRecord('dec-1')).toBeUndefined();
    expect(policy.armOf('dec-1')).toBe('rules');
  });

  it('counts decisions per arm, forgets discarded records and passes outcomes and its gauges through', async () => {
    const observed: string[] = [];
    const inner: Policy = {
      id: 'bandit',
      version: '2',
      decide: (_context, list) => ({ index: 1, propensity: 0.5, scores: list.map(() => 0), policy_id: 'bandit', policy_version: '2', arm: 'ai' }),
      observe: (outcome) => void observed.push(outcome.decision_id),
    };
    const policy = new DecisionLoggingPolicy({ inner, rules: new RulePolicy(), lastReward: () => 0.4, fillRateImprovement: () => -0.01 });
    await policy.decide(context('dec-a'), candidates);
    await policy.decide(context('dec-b'), candidates);
    expect(policy.decisionCounts()).toEqual({ rules: 0, ai: 2, shadow: 0 });
    // A policy without a distribution: only the propensity of the pick is known.
    expect(policy.takeRecord('dec-a')?.probabilities).toBeUndefined();
    policy.discardRecord('dec-b');
    expect(policy.takeRecord('dec-b')).toBeUndefined();
    await policy.observe({ decision_id: 'dec-a', provider: 'mock', offer_id: 'offer-2', filled: true, observed_at: '2026-03-01T12:01:00.000Z' });
    expect(observed).toEqual(['dec-a']);
    expect([policy.id, policy.version, policy.lastReward(), policy.fillRateImprovement()]).toEqual(['bandit', '2', 0.4, -0.01]);
    policy.resetCounts();
    expect(policy.decisionCounts().ai).toBe(0);
  });

  it('keeps no records with logRecords off, only the arms and counts', async () => {
    const rules = new RulePolicy();
    const policy = new DecisionLoggingPolicy({ inner: rules, rules, logRecords: false });
    await policy.decide(context('dec-off'), candidates);
    expect(policy.takeRecord('dec-off')).toBeUndefined();
    expect(policy.armOf('dec-off')).toBe('rules');
    expect(policy.decisionCounts().rules).toBe(1);
  });
});
