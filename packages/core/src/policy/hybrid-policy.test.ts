import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { PolicyError } from '../errors/policy-error';
import type { ScoredCandidate } from '../schemas/decision';
import { FixedPolicy, outcome, policyContext, rankedCandidates } from './__fixtures__/policy-fixtures';
import { HybridPolicy, type HybridPolicyOptions } from './hybrid-policy';
import type { Policy } from './policy';
import { RulePolicy } from './rule-policy';
import { stableHashPercentage } from './stable-hash';

function hybrid(overrides: Partial<HybridPolicyOptions> = {}): HybridPolicy {
  return new HybridPolicy({ control: new FixedPolicy('control', 0), treatment: new FixedPolicy('treatment', 2, 0.5), treatmentPercentage: 50, ...overrides });
}

const candidates = rankedCandidates(5);

describe('HybridPolicy arm assignment', () => {
  it('splits units in proportion to the treatment percentage', () => {
    const policy = hybrid({ treatmentPercentage: 30 });
    const units = 20_000;
    let treated = 0;
    for (let index = 0; index < units; index++) {
      if (policy.assignArm({ decision_id: `dec-${index}`, tenant: `tenant-${index % 7}`, idempotency_key: `key-${index}` }) === 'ai') treated += 1;
    }
    expect(treated / units).toBeGreaterThan(0.285);
    expect(treated / units).toBeLessThan(0.315);
  });

  it('keeps a unit in the same arm across decisions and instances', () => {
    const first = hybrid();
    const second = hybrid();
    for (let index = 0; index < 200; index++) {
      const unit = { decision_id: `dec-${index}-a`, tenant: 'acme', idempotency_key: `key-${index}` };
      const retry = { ...unit, decision_id: `dec-${index}-b` };
      expect(first.assignArm(retry)).toBe(first.assignArm(unit));
      expect(second.assignArm(unit)).toBe(first.assignArm(unit));
    }
  });

  it('hashes salt, tenant and idempotency key, falling back to the decision id', () => {
    const policy = hybrid({ salt: 'exp-7', treatmentPercentage: 40 });
    const expectedArm = (key: string) => (stableHashPercentage(key) < 40 ? 'ai' : 'rules');
    for (let index = 0; index < 100; index++) {
      expect(policy.assignArm({ decision_id: 'd', tenant: 't', idempotency_key: `k${index}` })).toBe(expectedArm(`exp-7:t:k${index}`));
      expect(policy.assignArm({ decision_id: `d${index}` })).toBe(expectedArm(`exp-7::d${index}`));
    }
  });

  it('splits differently under another salt', () => {
    const a = hybrid({ salt: 'a' });
    const b = hybrid({ salt: 'b' });
    let differ = 0;
    for (let index = 0; index < 200; index++) {
      const unit = { decision_id: `dec-${index}` };
      if (a.assignArm(unit) !== b.assignArm(unit)) differ += 1;
    }
    expect(differ).toBeGreaterThan(50);
  });

  it('sends everyone to control at 0 % and to treatment at 100 %', () => {
    const policy = hybrid({ treatmentPercentage: 0 });
    const units = Array.from({ length: 300 }, (_, index) => ({ decision_id: `dec-${index}` }));
    expect(units.every((unit) => policy.assignArm(unit) === 'rules')).toBe(true);
    policy.setTreatmentPercentage(100);
    expect(units.every((unit) => policy.assignArm(unit) === 'ai')).toBe(true);
  });

  it('only moves units into the treatment when the rollout grows', () => {
    const policy = hybrid({ treatmentPercentage: 10 });
    const units = Array.from({ length: 2_000 }, (_, index) => ({ decision_id: `dec-${index}` }));
    const before = units.filter((unit) => policy.assignArm(unit) === 'ai');
    policy.setTreatmentPercentage(35);
    expect(policy.treatmentPercentage).toBe(35);
    expect(before.every((unit) => policy.assignArm(unit) === 'ai')).toBe(true);
    expect(units.filter((unit) => policy.assignArm(unit) === 'ai').length).toBeGreaterThan(before.length);
  });
});

describe('HybridPolicy.decide', () => {
  it('lets the arm policy decide and records the arm and its propensity', async () => {
    const control = new FixedPolicy('control', 0);
    const treatment = new FixedPolicy('treatment', 2, 0.5);
    const policy = hybrid({ control, treatment, treatmentPercentage: 50 });
    const contexts = Array.from({ length: 40 }, (_, index) => policyContext({ decision_id: `dec-${index}` }));
    for (const context of contexts) {
      const choice = await policy.decide(context, candidates);
      if (policy.assignArm(context) === 'ai') {
        expect(choice).toMatchObject({ arm: 'ai', index: 2, propensity: 0.5, policy_id: 'treatment', policy_version: '1.0.0' });
      } else {
        expect(choice).toMatchObject({ arm: 'rules', index: 0, propensity: 1, policy_id: 'control' });
      }
      expect(choice.shadow).toBeUndefined();
    }
    expect(control.decisions + treatment.decisions).toBe(contexts.length);
    expect(control.decisions).toBeGreaterThan(0);
    expect(treatment.decisions).toBeGreaterThan(0);
  });

  it("records the shadow policy's pick without deploying it", async () => {
    const shadow = new FixedPolicy('candidate-ai', 4, 0.25);
    const policy = hybrid({ treatmentPercentage: 0, shadow });
    const choice = await policy.decide(policyContext(), candidates);
    expect(choice.index).toBe(0);
    expect(choice.arm).toBe('rules');
    expect(choice.shadow).toEqual({ policy_id: 'candidate-ai', policy_version: '1.0.0', index: 4, propensity: 0.25 });
  });

  it('decides without a shadow pick when the shadow policy fails, and reports the failure', async () => {
    const failure = new Error('model offline');
    const shadow: Policy = { id: 'broken', version: '0', decide: () => Promise.reject(failure) };
    const onShadowError = vi.fn();
    const policy = hybrid({ treatmentPercentage: 0, shadow, onShadowError });
    const choice = await policy.decide(policyContext(), candidates);
    expect(choice.index).toBe(0);
    expect(choice.shadow).toBeUndefined();
    expect(onShadowError).toHaveBeenCalledWith(failure);
  });

  it('works with the rule policy as control', async () => {
    const policy = new HybridPolicy({ control: new RulePolicy(), treatment: new FixedPolicy('ai', 1), treatmentPercentage: 0 });
    const choice = await policy.decide(policyContext(), candidates as readonly ScoredCandidate[]);
    expect(choice).toMatchObject({ arm: 'rules', index: 0, propensity: 1, policy_id: 'rules' });
  });
});

describe('HybridPolicy.observe', () => {
  it('forwards every outcome to each inner policy once', async () => {
    const control = new FixedPolicy('control', 0);
    const treatment = new FixedPolicy('treatment', 1);
    const shadow = new FixedPolicy('shadow', 2);
    const sharedPolicy = hybrid({ control, treatment: control, treatmentPercentage: 10 });
    await sharedPolicy.observe(outcome({ decision_id: 'dec-a' }));
    expect(control.observed.map((value) => value.decision_id)).toEqual(['dec-a']);

    const policy = hybrid({ control, treatment, shadow });
    await policy.observe(outcome({ decision_id: 'dec-b' }));
    for (const inner of [control, treatment, shadow]) expect(inner.observed.at(-1)?.decision_id).toBe('dec-b');
  });

  it('still forwards to the others when one fails, then throws PolicyError', async () => {
    const control = new FixedPolicy('control', 0, 1, true);
    const treatment = new FixedPolicy('treatment', 1);
    const policy = hybrid({ control, treatment });
    let caught: unknown;
    try {
      await policy.observe(outcome());
    } catch (error) {
      caught = error;
    }
    expect(PolicyError.isInstance(caught)).toBe(true);
    expect((caught as PolicyError).policyId).toBe('control');
    expect(treatment.observed).toHaveLength(1);
  });
});

describe('HybridPolicy options', () => {
  const valid = { control: new FixedPolicy('c', 0), treatment: new FixedPolicy('t', 0), treatmentPercentage: 10 };

  it.each([
    [{ ...valid, treatmentPercentage: -1 }, 'treatmentPercentage'],
    [{ ...valid, treatmentPercentage: 100.5 }, 'treatmentPercentage'],
    [{ ...valid, treatmentPercentage: Number.NaN }, 'treatmentPercentage'],
    [{ ...valid, treatmentPercentage: undefined }, 'treatmentPercentage'],
    [{ ...valid, control: undefined }, 'control'],
    [{ ...valid, treatment: { id: 't' } }, 'treatment'],
    [{ ...valid, shadow: {} }, 'shadow'],
    [{ ...valid, salt: 7 }, 'salt'],
  ])('rejects %o naming %s', (options, field) => {
    let caught: unknown;
    try {
      new HybridPolicy(options as unknown as HybridPolicyOptions);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual([field]);
  });

  it('rejects a rollout outside 0-100', () => {
    const policy = new HybridPolicy(valid);
    expect(() => policy.setTreatmentPercentage(120)).toThrow(/treatmentPercentage/);
    expect(policy.treatmentPercentage).toBe(10);
  });
});
