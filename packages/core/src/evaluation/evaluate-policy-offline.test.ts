import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { logDecisions, play, SyntheticWorld, type SyntheticProvider, type SyntheticRequest } from '../policy/learning/__fixtures__/synthetic-world';
import { LearningPolicy } from '../policy/learning/learning-policy';
import type { PolicyChoice, PolicyContext } from '../policy/policy';
import { RulePolicy } from '../policy/rule-policy';
import type { ScoredCandidate } from '../schemas/decision';
import type { DecisionLogRecord } from './decision-log-record';
import { evaluatePolicyOffline } from './evaluate-policy-offline';
import { createSeededRandom } from './seeded-random';
import type { TargetPolicy } from './target-distribution';

const providers: SyntheticProvider[] = [
  { name: 'alpha', fill: 0.35, price: [1, 2] },
  { name: 'beta', fill: 0.95, price: [1.8, 3.5] },
  { name: 'gamma', fill: 0.9, price: [2, 4] },
  { name: 'delta', fill: 0.6, price: [1.2, 2.5] },
];

/** Picks uniformly; its probabilities are exact. */
function uniformPolicy(seed: number): TargetPolicy {
  const random = createSeededRandom(seed);
  return {
    id: 'uniform',
    version: '1',
    decide: (_context: PolicyContext, candidates: readonly ScoredCandidate[]): PolicyChoice => ({
      index: Math.floor(random() * candidates.length),
      propensity: 1 / candidates.length,
      scores: candidates.map(() => 0),
      policy_id: 'uniform',
      policy_version: '1',
      arm: 'rules',
    }),
    probabilities: (_context, candidates) => candidates.map(() => 1 / candidates.length),
  };
}

/**
 * A stochastic target with full support: a learner trained in another world of the same market,
 * its exploration floor on every candidate (the default top-2 set leaves zeros, a concentrated
 * target whose bootstrap intervals cover less often: 13 of these 16 seeds for DR).
 */
function trainedTarget(): LearningPolicy {
  const policy = new LearningPolicy({ random: createSeededRandom(7), guard: false, temperature: 1, minTemperature: 0.05, explorationTopK: 5 });
  play(new SyntheticWorld({ seed: 1_000, providers, candidates: 5 }), policy, 300);
  return policy;
}

/** The target's true value on the logged contexts: sum_a pi(a|x) E[r | x, a], averaged. */
function trueValue(world: SyntheticWorld, requests: SyntheticRequest[], probabilities: (request: SyntheticRequest) => readonly number[]): number {
  let total = 0;
  for (const request of requests) probabilities(request).forEach((probability, index) => (total += probability * world.expectedReward(request, index)));
  return total / requests.length;
}

const within = (estimate: { ci: [number, number] }, truth: number) => estimate.ci[0] <= truth && truth <= estimate.ci[1];

function variance(values: number[]): number {
  const average = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1);
}

describe('evaluatePolicyOffline', () => {
  it('brackets the true value of a stochastic target with IPS, SNIPS and DR over seeds, DR with less variance than IPS', async () => {
    const target = trainedTarget();
    const seeds = Array.from({ length: 16 }, (_, index) => index + 1);
    const covered = { ips: 0, snips: 0, dr: 0 };
    const estimates = { ips: [] as number[], snips: [] as number[], dr: [] as number[] };
    const errors = { ips: [] as number[], dr: [] as number[] };
    for (const seed of seeds) {
      const world = new SyntheticWorld({ seed, providers, candidates: 5 });
      const { records, requests } = logDecisions(world, new RulePolicy({ epsilon: 0.6, random: createSeededRandom(seed) }), 1_500);
      const truth = trueValue(world, requests, (request) => target.probabilities(request.context, request.candidates));
      const result = await evaluatePolicyOffline({ records, policy: target, seed, bootstrapSamples: 500 });
      expect(result.records).toBe(1_500);
      expect(result.mean_weight).toBeGreaterThan(0.85);
      expect(result.mean_weight).toBeLessThan(1.15);
      for (const name of ['ips', 'snips', 'dr'] as const) {
        if (within(result[name], truth)) covered[name] += 1;
        estimates[name].push(result[name].estimate);
      }
      errors.ips.push(result.ips.estimate - truth);
      errors.dr.push(result.dr.estimate - truth);
    }
    // Nominal 95 %: with 16 seeds, 14 or more covered.
    expect(covered.ips).toBeGreaterThanOrEqual(14);
    expect(covered.snips).toBeGreaterThanOrEqual(14);
    expect(covered.dr).toBeGreaterThanOrEqual(14);
    expect(variance(estimates.dr)).toBeLessThan(variance(estimates.ips));
    // Centred on the truth: the mean error is small against the spread.
    const meanError = errors.dr.reduce((sum, value) => sum + value, 0) / errors.dr.length;
    expect(Math.abs(meanError)).toBeLessThan(0.02);
  });

  it('evaluates a deterministic target from a uniform logger', async () => {
    const world = new SyntheticWorld({ seed: 5, providers, candidates: 4 });
    const { records, requests } = logDecisions(world, uniformPolicy(5), 3_000);
    const rules = new RulePolicy();
    const truth = trueValue(world, requests, (request) => request.candidates.map((_, index) => (index === 0 ? 1 : 0)));
    const result = await evaluatePolicyOffline({ records, policy: rules, seed: 3, bootstrapSamples: 500 });
    expect(within(result.ips, truth)).toBe(true);
    expect(within(result.snips, truth)).toBe(true);
    expect(within(result.dr, truth)).toBe(true);
    // Weights are 4 where the logger agreed with the target and 0 elsewhere.
    expect(result.max_weight).toBe(4);
    const agreed = records.filter((record) => record.chosen_index === 0).length;
    expect(result.effective_sample_size).toBeCloseTo(agreed, 9);
    expect(result.mean_weight).toBeCloseTo((4 * agreed) / 3_000, 12);
    expect(result.warnings).toEqual([]);
    expect(result.logged_mean_reward).toBeCloseTo(records.reduce((sum, record) => sum + record.reward!, 0) / records.length, 12);
  });

  it('warns about missing support when the logger was deterministic and the target is not', async () => {
    const world = new SyntheticWorld({ seed: 6, providers, candidates: 4 });
    const { records } = logDecisions(world, new RulePolicy(), 400);
    const result = await evaluatePolicyOffline({ records, policy: uniformPolicy(1), bootstrapSamples: 200 });
    expect(result.unsupported_share).toBe(1);
    expect(result.warnings).toContainEqual(expect.stringMatching(/^missing support: in 400 of 400 records .*\(mean 0\.750 per record\)/));
  });

  it('finds missing support from logged distributions, and none when the logger explores everywhere', async () => {
    const world = new SyntheticWorld({ seed: 7, providers, candidates: 4 });
    const { records } = logDecisions(world, uniformPolicy(2), 300);
    const clean = await evaluatePolicyOffline({ records, policy: new RulePolicy(), bootstrapSamples: 200 });
    expect(clean.unsupported_share).toBe(0);
    // Pretend the logger never gave the scorer's best a chance.
    const narrowed: DecisionLogRecord[] = records
      .filter((record) => record.chosen_index !== 0)
      .map((record) => ({ ...record, probabilities: [0, 1 / 3, 1 / 3, 1 / 3], propensity: 1 / 3 }));
    const result = await evaluatePolicyOffline({ records: narrowed, policy: new RulePolicy(), bootstrapSamples: 200 });
    expect(result.unsupported_share).toBe(1);
    expect(result.ips.estimate).toBe(0);
    expect(result.warnings).toContainEqual(expect.stringContaining('missing support'));
    expect(result.warnings).toContainEqual(expect.stringContaining('never picks a logged action'));
  });

  it('warns about tiny propensities and clips weights on request', async () => {
    const world = new SyntheticWorld({ seed: 8, providers, candidates: 4 });
    const { records } = logDecisions(world, uniformPolicy(3), 200);
    const tiny = records.map((record, position) =>
      position === 0 ? { ...record, chosen_index: 0, chosen_offer_id: record.candidates[0]!.offer.offer_id, propensity: 0.001, probabilities: undefined } : record,
    );
    const result = await evaluatePolicyOffline({ records: tiny, policy: new RulePolicy(), maxWeight: 50, bootstrapSamples: 200 });
    expect(result.max_weight).toBe(50);
    expect(result.warnings).toContainEqual(expect.stringMatching(/^1 of 200 records were logged with propensity below 0\.01 \(smallest 0\.00100\)/));
    expect(result.warnings).toContainEqual(expect.stringContaining('clipped at 50'));
  });

  it('skips records without outcomes and refuses logs with none', async () => {
    const world = new SyntheticWorld({ seed: 9, providers, candidates: 3 });
    const { records } = logDecisions(world, uniformPolicy(4), 100);
    const open = records.map((record, position) => (position % 4 === 0 ? { ...record, outcome: null, reward: null } : record));
    const result = await evaluatePolicyOffline({ records: open, policy: new RulePolicy(), bootstrapSamples: 200 });
    expect(result).toMatchObject({ records: 75, skipped_records: 25 });
    expect(result.warnings).toContainEqual('25 of 100 records have no outcome or reward yet and were skipped');
    // A record with an outcome but no reward gets it computed.
    const recomputed = records.map((record) => ({ ...record, reward: null }));
    const again = await evaluatePolicyOffline({ records: recomputed, policy: new RulePolicy(), bootstrapSamples: 200 });
    const original = await evaluatePolicyOffline({ records, policy: new RulePolicy(), bootstrapSamples: 200 });
    expect(again.ips).toEqual(original.ips);
    await expect(evaluatePolicyOffline({ records: open.filter((_, position) => position % 4 === 0), policy: new RulePolicy() })).rejects.toSatisfy(
      (error: unknown) => InvalidArgumentError.isInstance(error) && error.issues[0]!.field === 'records',
    );
  });

  it('computes only the estimators asked for, with normal intervals on request', async () => {
    const world = new SyntheticWorld({ seed: 10, providers, candidates: 4 });
    const { records } = logDecisions(world, uniformPolicy(5), 500);
    const result = await evaluatePolicyOffline({ records, policy: new RulePolicy(), estimators: ['ips', 'dm'], interval: 'normal', confidence: 0.9 });
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['ips', 'dm']));
    expect(result).not.toHaveProperty('snips');
    expect(result).not.toHaveProperty('dr');
    const z = 1.6448536269514722;
    expect(result.ips.ci[0]).toBeCloseTo(result.ips.estimate - z * result.ips.standard_error, 9);
    expect(result.ips.ci[1]).toBeCloseTo(result.ips.estimate + z * result.ips.standard_error, 9);
    // IPS's standard error is the spread of w_i r_i over sqrt(n).
    const contributions = records.map((record) => (record.chosen_index === 0 ? 4 : 0) * record.reward!);
    expect(result.ips.standard_error).toBeCloseTo(Math.sqrt(variance(contributions) / 500), 12);
    expect(result).toMatchObject({ interval: 'normal', confidence: 0.9 });
  });

  it('reproduces bootstrap intervals from the seed', async () => {
    const world = new SyntheticWorld({ seed: 11, providers, candidates: 4 });
    const { records } = logDecisions(world, uniformPolicy(6), 300);
    const first = await evaluatePolicyOffline({ records, policy: new RulePolicy(), seed: 42, bootstrapSamples: 300 });
    const second = await evaluatePolicyOffline({ records, policy: new RulePolicy(), seed: 42, bootstrapSamples: 300 });
    const other = await evaluatePolicyOffline({ records, policy: new RulePolicy(), seed: 43, bootstrapSamples: 300 });
    expect(second.ips).toEqual(first.ips);
    expect(other.ips.ci).not.toEqual(first.ips.ci);
    expect(other.ips.estimate).toBe(first.ips.estimate);
  });

  it('estimates the uplift over a baseline on the same records, paired', async () => {
    const world = new SyntheticWorld({ seed: 12, providers, candidates: 4 });
    const { records, requests } = logDecisions(world, uniformPolicy(7), 2_000);
    const avoidAlpha: TargetPolicy = {
      id: 'avoid-alpha',
      version: '1',
      decide: (_context, candidates) => {
        const index = Math.max(0, candidates.findIndex((candidate) => candidate.offer.provider !== 'alpha'));
        return { index, propensity: 1, scores: [], policy_id: 'avoid-alpha', policy_version: '1', arm: 'ai' };
      },
    };
    const firstNonAlpha = (request: SyntheticRequest) => Math.max(0, request.candidates.findIndex((candidate) => candidate.offer.provider !== 'alpha'));
    const truth =
      trueValue(world, requests, (request) => request.candidates.map((_, index) => (index === firstNonAlpha(request) ? 1 : 0))) -
      trueValue(world, requests, (request) => request.candidates.map((_, index) => (index === 0 ? 1 : 0)));
    const result = await evaluatePolicyOffline({ records, policy: avoidAlpha, baseline: new RulePolicy(), seed: 5, bootstrapSamples: 500 });
    const baselineAlone = await evaluatePolicyOffline({ records, policy: new RulePolicy(), seed: 5, bootstrapSamples: 500 });
    expect(truth).toBeGreaterThan(0.1);
    for (const name of ['ips', 'snips', 'dr'] as const) {
      expect(within(result.uplift![name], truth)).toBe(true);
      expect(result.uplift![name].ci[0]).toBeGreaterThan(0);
      expect(result.uplift![name].estimate).toBeCloseTo(result[name].estimate - baselineAlone[name].estimate, 12);
      // Paired: the difference is known more precisely than the two values would suggest on their own.
      const unpaired = Math.hypot(result[name].standard_error, baselineAlone[name].standard_error);
      expect(result.uplift![name].standard_error).toBeLessThan(unpaired);
    }
  });

  it('uses the policy’s own reward model on request, and warns when a target’s picks are only samples', async () => {
    const world = new SyntheticWorld({ seed: 13, providers, candidates: 4 });
    const { records } = logDecisions(world, uniformPolicy(8), 300);
    const target = trainedTarget();
    const own = await evaluatePolicyOffline({ records, policy: target, rewardModel: 'policy', estimators: ['dm'], bootstrapSamples: 200 });
    const direct = records.reduce((sum, record) => {
      const context = { decision_id: record.decision_id, request: record.context.request as never, weights: record.context.weights, now: record.context.now };
      const probabilities = target.probabilities(context, record.candidates);
      const predictions = target.predict(context, record.candidates);
      return sum + probabilities.reduce((inner, probability, index) => inner + probability * predictions[index]!, 0);
    }, 0);
    expect(own.dm.estimate).toBeCloseTo(direct / records.length, 9);
    await expect(evaluatePolicyOffline({ records, policy: new RulePolicy(), rewardModel: 'policy' })).rejects.toThrow(/has no predict/);

    const sampled: TargetPolicy = { ...uniformPolicy(9), probabilities: undefined, id: 'sampled' };
    const result = await evaluatePolicyOffline({ records, policy: sampled, bootstrapSamples: 200 });
    expect(result.warnings).toContainEqual(expect.stringContaining('policy sampled exposes no probabilities'));
  });

  it('rejects invalid options, naming them', async () => {
    await expect(
      evaluatePolicyOffline({ records: [], policy: new RulePolicy(), confidence: 1.5, estimators: ['ips', 'magic' as 'ips'], bootstrapSamples: 5 }),
    ).rejects.toSatisfy(
      (error: unknown) =>
        InvalidArgumentError.isInstance(error) &&
        ['confidence', 'estimators', 'bootstrapSamples'].every((field) => error.issues.some((issue) => issue.field === field)),
    );
  });
});
