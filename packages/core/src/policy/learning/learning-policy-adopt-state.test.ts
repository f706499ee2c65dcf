import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../evaluation/seeded-random';
import { RulePolicy } from '../rule-policy';
import { logDecisions, SyntheticWorld, type SyntheticProvider } from './__fixtures__/synthetic-world';
import { LearningPolicy } from './learning-policy';
import { mergeStates } from './merge-states';

const providers: SyntheticProvider[] = [
  { name: 'alpha', fill: 0.4, price: [1, 2] },
  { name: 'beta', fill: 0.9, price: [1.5, 3] },
];
const hour = 3_600_000;

describe('LearningPolicy.adoptState', () => {
  it('takes over another state as model and merge base, and still learns outcomes of decisions taken before', () => {
    const world = new SyntheticWorld({ seed: 3, providers, candidates: 4 });
    const { records } = logDecisions(world, new RulePolicy({ epsilon: 0.3, random: createSeededRandom(3) }), 200);
    const trained = new LearningPolicy({ random: createSeededRandom(1), halfLifeMs: 6 * hour });
    trained.warmStart(records);
    const state = trained.toJSON();

    const live = new LearningPolicy({ random: createSeededRandom(2), halfLifeMs: 6 * hour, explorationFloor: 0.2 });
    const request = world.next();
    const choice = live.decide(request.context, request.candidates);
    live.adoptState(state);

    expect(live.toJSON().statistics).toEqual(state.statistics);
    expect(live.toJSON().base?.state_id).toBe(state.state_id);
    expect(live.explorationFloor).toBe(0.2);
    const observations = live.diagnostics().observations;
    live.observe(world.outcome(request, choice.index));
    expect(live.diagnostics().observations).toBe(observations + 1);
    expect(live.diagnostics().unmatched_outcomes).toBe(0);
    // The adopted state is the merge base: merging back gives exactly the new evidence on top of it.
    const merged = mergeStates(state, live.toJSON()).statistics;
    const after = live.toJSON().statistics;
    expect(merged.observations).toBe(after.observations);
    expect(merged.weight).toBeCloseTo(after.weight, 9);
    merged.xr.forEach((value, index) => expect(value).toBeCloseTo(after.xr[index]!, 9));
  });

  it('refuses a state with another half-life or feature layout', () => {
    const live = new LearningPolicy({ halfLifeMs: 6 * hour });
    expect(() => live.adoptState(new LearningPolicy({ halfLifeMs: hour }).toJSON())).toThrow(/half_life_ms/);
    expect(() => live.adoptState(new LearningPolicy({ halfLifeMs: 6 * hour, hashBuckets: 128 }).toJSON())).toThrow(/hash_buckets/);
    expect(() => live.adoptState({ format: 'other' })).toThrow(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });
});
