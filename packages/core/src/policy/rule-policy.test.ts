import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { PolicyError } from '../errors/policy-error';
import { VERSION } from '../version';
import { policyContext, rankedCandidates, seededRandom } from './__fixtures__/policy-fixtures';
import { RulePolicy } from './rule-policy';

describe('RulePolicy', () => {
  it("picks the scorer's best candidate with propensity 1", () => {
    const candidates = rankedCandidates(5);
    const choice = new RulePolicy().decide(policyContext(), candidates);
    expect(choice).toEqual({
      index: 0,
      propensity: 1,
      scores: candidates.map((candidate) => candidate.score),
      policy_id: 'rules',
      policy_version: VERSION,
      arm: 'rules',
    });
  });

  it('with epsilon, reports propensities that sum to 1 over the candidates', () => {
    const policy = new RulePolicy({ epsilon: 0.2 });
    const count = 5;
    const propensities = Array.from({ length: count }, (_, index) => policy.propensityOf(index, count));
    expect(propensities[0]).toBeCloseTo(0.8 + 0.2 / 5);
    expect(propensities[3]).toBeCloseTo(0.2 / 5);
    expect(propensities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
  });

  it('with epsilon, picks each candidate about as often as its propensity says', () => {
    const policy = new RulePolicy({ epsilon: 0.3, random: seededRandom(42) });
    const candidates = rankedCandidates(4);
    const draws = 40_000;
    const counts = new Array<number>(candidates.length).fill(0);
    const context = policyContext();
    let wrongPropensities = 0;
    for (let draw = 0; draw < draws; draw++) {
      const choice = policy.decide(context, candidates);
      counts[choice.index]! += 1;
      if (choice.propensity !== policy.propensityOf(choice.index, candidates.length)) wrongPropensities += 1;
    }
    expect(wrongPropensities).toBe(0);
    for (let index = 0; index < candidates.length; index++) {
      expect(counts[index]! / draws).toBeCloseTo(policy.propensityOf(index, candidates.length), 2);
    }
  });

  it('reports propensity 1 when there is a single candidate, even with epsilon', () => {
    const choice = new RulePolicy({ epsilon: 0.5, random: seededRandom(1) }).decide(policyContext(), rankedCandidates(1));
    expect(choice).toMatchObject({ index: 0, propensity: 1 });
  });

  it.each([-0.1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '0.1'])('rejects epsilon %s', (epsilon) => {
    expect(() => new RulePolicy({ epsilon: epsilon as number })).toThrow(
      expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT', issues: [expect.objectContaining({ field: 'epsilon' })] }),
    );
    try {
      new RulePolicy({ epsilon: epsilon as number });
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
  });

  it('rejects a random source that is not a function', () => {
    expect(() => new RulePolicy({ random: 0.5 as unknown as () => number })).toThrow(/random/);
  });

  it('throws PolicyError without candidates', () => {
    let caught: unknown;
    try {
      new RulePolicy().decide(policyContext(), []);
    } catch (error) {
      caught = error;
    }
    expect(PolicyError.isInstance(caught)).toBe(true);
  });
});
