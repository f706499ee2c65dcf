import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../evaluation/seeded-random';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { RulePolicy } from '../rule-policy';
import { logDecisions, SyntheticWorld, type SyntheticProvider } from './__fixtures__/synthetic-world';
import { LearningPolicy } from './learning-policy';
import { learningPolicyStateSchema, type LearningPolicyState } from './learning-policy-state';
import { mergeStates } from './merge-states';

const providers: SyntheticProvider[] = [
  { name: 'alpha', fill: 0.4, price: [1, 2] },
  { name: 'beta', fill: 0.9, price: [1.5, 3] },
  { name: 'gamma', fill: 0.8, price: [2, 3.5] },
];
const hour = 3_600_000;

function logs(steps: number, seed = 1) {
  const world = new SyntheticWorld({ seed, providers, candidates: 5 });
  return { world, ...logDecisions(world, new RulePolicy({ epsilon: 0.3, random: createSeededRandom(seed) }), steps) };
}

function expectSameStatistics(actual: LearningPolicyState['statistics'], expected: LearningPolicyState['statistics']): void {
  expect(actual.as_of_ms).toBe(expected.as_of_ms);
  expect(actual.observations).toBe(expected.observations);
  expect(actual.weight).toBeCloseTo(expected.weight, 9);
  expect(actual.reward_sum).toBeCloseTo(expected.reward_sum, 9);
  actual.xx.forEach((value, index) => expect(value).toBeCloseTo(expected.xx[index]!, 9));
  actual.xr.forEach((value, index) => expect(value).toBeCloseTo(expected.xr[index]!, 9));
}

describe('LearningPolicy state', () => {
  it('round-trips through JSON text to a policy that decides the same way', () => {
    const { world, records } = logs(600);
    const policy = new LearningPolicy({ random: createSeededRandom(1), halfLifeMs: 6 * hour, guard: { minEvidence: 10 } });
    policy.warmStart(records);
    const state = policy.toJSON();
    expect(learningPolicyStateSchema.safeParse(state).success).toBe(true);
    const restored = LearningPolicy.fromJSON(JSON.parse(JSON.stringify(state)), { random: createSeededRandom(1) });
    for (let step = 0; step < 40; step++) {
      const request = world.next();
      const original = policy.probabilities(request.context, request.candidates);
      restored.probabilities(request.context, request.candidates).forEach((value, index) => expect(value).toBeCloseTo(original[index]!, 9));
      const predicted = policy.predict(request.context, request.candidates);
      restored.predict(request.context, request.candidates).forEach((value, index) => expect(value).toBeCloseTo(predicted[index]!, 9));
    }
    const again = restored.toJSON();
    expect(again.statistics).toEqual(state.statistics);
    expect(again.state_id).toBe(state.state_id);
    expect(again.options).toEqual(state.options);
    expect(again.base?.state_id).toBe(state.state_id);
    expect(restored.guard).toEqual({ enabled: true, confidence: 1.645, minEvidence: 10 });
    expect(restored.halfLifeMs).toBe(6 * hour);
  });

  it('stores an infinite half-life as null and restores it', () => {
    const state = new LearningPolicy({ halfLifeMs: Infinity }).toJSON();
    expect(state.options.half_life_ms).toBeNull();
    expect(LearningPolicy.fromJSON(state).halfLifeMs).toBe(Infinity);
  });

  it('rejects a malformed state naming the field, and a state with another feature layout', () => {
    const state = new LearningPolicy().toJSON();
    try {
      LearningPolicy.fromJSON({ ...state, statistics: { ...state.statistics, xx: [1, 2, 3] } });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).issues).toEqual([expect.objectContaining({ field: 'statistics.xx' })]);
    }
    expect(() => LearningPolicy.fromJSON({ ...state, features: { ...state.features, dense: ['bias'] } })).toThrow(/feature names differ/);
    expect(() => LearningPolicy.fromJSON({ ...state, format_version: 2 })).toThrow(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });
});

describe('mergeStates', () => {
  it('merges sibling replicas into exactly what one learner that saw everything holds, in any order', () => {
    const { records } = logs(900);
    const base = new LearningPolicy({ halfLifeMs: 2 * hour });
    base.warmStart(records.slice(0, 300));
    const baseState = base.toJSON();
    const replicas = [0, 1, 2].map((replica) => {
      const policy = LearningPolicy.fromJSON(baseState);
      policy.warmStart(records.slice(300).filter((_, position) => position % 3 === replica));
      return policy.toJSON();
    });
    const single = LearningPolicy.fromJSON(baseState);
    single.warmStart(records.slice(300));
    const expected = single.toJSON().statistics;

    const ab = mergeStates(replicas[0], replicas[1]);
    expect(ab.base?.state_id).toBe(baseState.state_id);
    const abc = mergeStates(ab, replicas[2]);
    const cba = mergeStates(replicas[2], mergeStates(replicas[1], replicas[0]));
    expectSameStatistics(abc.statistics, expected);
    expectSameStatistics(cba.statistics, expected);
    expect(abc.statistics.prior_factor).toBe(1);
    expect(LearningPolicy.fromJSON(abc).diagnostics().observations).toBe(900);
  });

  it('is idempotent, and a replica merged with the state it loaded is the replica', () => {
    const { records } = logs(400);
    const base = new LearningPolicy();
    base.warmStart(records.slice(0, 200));
    const baseState = base.toJSON();
    const replica = LearningPolicy.fromJSON(baseState);
    replica.warmStart(records.slice(200));
    const replicaState = replica.toJSON();
    expect(mergeStates(replicaState, replicaState)).toEqual(replicaState);
    const merged = mergeStates(baseState, replicaState);
    expectSameStatistics(merged.statistics, replicaState.statistics);
    expect(merged.base?.state_id).toBe(baseState.state_id);
    expectSameStatistics(mergeStates(replicaState, baseState).statistics, replicaState.statistics);
  });

  it('adds the evidence of independent learners (no base)', () => {
    const { records } = logs(300);
    const left = new LearningPolicy({ halfLifeMs: Infinity });
    const right = new LearningPolicy({ halfLifeMs: Infinity });
    left.warmStart(records.slice(0, 100));
    right.warmStart(records.slice(100));
    const merged = mergeStates(left.toJSON(), right.toJSON());
    expect(merged.base).toBeNull();
    expect(merged.statistics.observations).toBe(300);
    expect(merged.statistics.weight).toBe(300);
  });

  it('refuses states whose shared evidence would count twice, or that forget at different rates', () => {
    const { records } = logs(200);
    const first = new LearningPolicy();
    first.warmStart(records.slice(0, 50));
    const second = new LearningPolicy();
    second.warmStart(records.slice(50, 100));
    const childOfFirst = LearningPolicy.fromJSON(first.toJSON());
    childOfFirst.warmStart(records.slice(100, 150));
    const childOfSecond = LearningPolicy.fromJSON(second.toJSON());
    childOfSecond.warmStart(records.slice(150));
    try {
      mergeStates(childOfFirst.toJSON(), childOfSecond.toJSON());
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).issues).toEqual([expect.objectContaining({ field: 'base' })]);
    }
    expect(() => mergeStates(childOfFirst.toJSON(), second.toJSON())).toThrow(/different bases/);
    expect(() => mergeStates(new LearningPolicy({ halfLifeMs: hour }).toJSON(), new LearningPolicy({ halfLifeMs: 2 * hour }).toJSON())).toThrow(
      /forget at different rates/,
    );
    expect(() => mergeStates(new LearningPolicy({ hashBuckets: 32 }).toJSON(), new LearningPolicy().toJSON())).toThrow(/encode features differently/);
  });
});
