import { describe, expect, it } from 'vitest';
import { createDecisionLogRecord, attachOutcome } from '../../evaluation/create-decision-log-record';
import { createSeededRandom } from '../../evaluation/seeded-random';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { PolicyError } from '../../errors/policy-error';
import { RulePolicy } from '../rule-policy';
import { meanExpected, play, SyntheticWorld, type SyntheticProvider } from './__fixtures__/synthetic-world';
import { LearningPolicy } from './learning-policy';

const hour = 3_600_000;

/** Rules like alpha (cheapest) but it rarely starts; beta and gamma are dearer and reliable. */
const trapProviders: SyntheticProvider[] = [
  { name: 'alpha', fill: 0.35, price: [1, 2] },
  { name: 'beta', fill: 0.95, price: [1.8, 3.5] },
  { name: 'gamma', fill: 0.9, price: [2, 4] },
  { name: 'delta', fill: 0.6, price: [1.2, 2.5] },
];

/** A learner trained for `steps` decisions in the trap world (no guard, so it acts at once). */
function trainedPolicy(steps: number, options: ConstructorParameters<typeof LearningPolicy>[0] = {}): { policy: LearningPolicy; world: SyntheticWorld } {
  const world = new SyntheticWorld({ seed: 11, providers: trapProviders, candidates: 6 });
  const policy = new LearningPolicy({ random: createSeededRandom(5), guard: false, ...options });
  play(world, policy, steps);
  return { policy, world };
}

describe('LearningPolicy propensities', () => {
  it('returns a distribution that sums to 1, whose entry for the pick is the propensity', () => {
    const { policy, world } = trainedPolicy(200);
    for (let step = 0; step < 50; step++) {
      const request = world.next();
      const choice = policy.decide(request.context, request.candidates);
      expect(choice.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
      expect(choice.propensity).toBe(choice.probabilities[choice.index]);
      expect(choice.probabilities).toEqual(policy.probabilities(request.context, request.candidates));
      expect(choice.scores).toEqual(policy.predict(request.context, request.candidates));
      // The floor goes to the exploration set: the top explorationTopK by optimistic score plus the rule pick.
      const floor = policy.explorationFloor / (policy.explorationTopK + 1);
      expect(choice.probabilities[0]).toBeGreaterThanOrEqual(floor - 1e-15);
      expect(choice.probabilities.filter((probability) => probability >= floor - 1e-15).length).toBeGreaterThanOrEqual(policy.explorationTopK);
    }
  });

  it('spends the exploration floor on the exploration set only: the top-k optimistic candidates and the rule pick', () => {
    const world = new SyntheticWorld({ seed: 8, providers: trapProviders, candidates: 10 });
    // Guarded (no evidence yet): the rule pick gets 1 - floor, the floor is shared by the set.
    const policy = new LearningPolicy({ random: createSeededRandom(8), explorationFloor: 0.2, explorationTopK: 3 });
    for (let step = 0; step < 20; step++) {
      const request = world.next();
      const probabilities = policy.probabilities(request.context, request.candidates);
      const members = probabilities.filter((probability) => probability > 0).length;
      expect(members === 3 || members === 4).toBe(true);
      expect(probabilities[0]).toBeCloseTo(0.8 + 0.2 / members, 12);
      for (const probability of probabilities.slice(1)) expect([0, 0.2 / members]).toContainEqual(expect.closeTo(probability, 12));
      expect(probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    }
  });

  it('picks each candidate about as often as its propensity says', () => {
    const { policy, world } = trainedPolicy(60, { temperature: 2 });
    const request = world.next();
    const probabilities = policy.probabilities(request.context, request.candidates);
    // A spread-out distribution, so that the check means something.
    expect(Math.max(...probabilities)).toBeLessThan(0.9);
    const draws = 40_000;
    const counts = new Array<number>(probabilities.length).fill(0);
    for (let draw = 0; draw < draws; draw++) counts[policy.decide({ ...request.context, decision_id: `draw-${draw}` }, request.candidates).index]! += 1;
    probabilities.forEach((probability, index) => {
      const tolerance = 4.5 * Math.sqrt((probability * (1 - probability)) / draws);
      expect(Math.abs(counts[index]! / draws - probability)).toBeLessThanOrEqual(tolerance);
    });
  });

  it('gives a single candidate probability 1', () => {
    const { policy, world } = trainedPolicy(20);
    const request = world.next();
    const choice = policy.decide(request.context, request.candidates.slice(0, 1));
    expect(choice).toMatchObject({ index: 0, propensity: 1, probabilities: [1] });
  });

  it('throws PolicyError without candidates', () => {
    const { policy, world } = trainedPolicy(1);
    const request = world.next();
    expect(() => policy.decide(request.context, [])).toThrow(expect.objectContaining({ code: 'AURORA_ERR_POLICY' }));
    try {
      policy.probabilities(request.context, []);
    } catch (error) {
      expect(PolicyError.isInstance(error)).toBe(true);
    }
  });
});

describe('LearningPolicy exploration', () => {
  it('explores less as evidence grows but never below the floor', () => {
    const world = new SyntheticWorld({ seed: 3, providers: trapProviders, candidates: 8 });
    const policy = new LearningPolicy({ random: createSeededRandom(3), guard: false, halfLifeMs: Infinity, explorationFloor: 0.04 });
    const played = play(world, policy, 6_000);
    expect(played).toHaveLength(6_000);
    const exploration = (from: number, to: number) => {
      const probe = new SyntheticWorld({ seed: 99, providers: trapProviders, candidates: 8 });
      let sum = 0;
      for (let step = from; step < to; step++) {
        const request = probe.next();
        sum += policy.decide(request.context, request.candidates).exploration_probability;
      }
      return sum / (to - from);
    };
    const late = exploration(0, 500);
    // At least the floor's share off the intended pick: 0.04 x (1 - 1/|set|), |set| >= 2.
    const floorExploration = 0.04 / 2;
    expect(late).toBeGreaterThanOrEqual(floorExploration - 1e-12);
    expect(policy.diagnostics().temperature).toBe(policy.minTemperature);
    const fresh = new LearningPolicy({ random: createSeededRandom(3), guard: false, explorationFloor: 0.04 });
    const probe = new SyntheticWorld({ seed: 99, providers: trapProviders, candidates: 8 });
    let early = 0;
    for (let step = 0; step < 500; step++) {
      const request = probe.next();
      early += fresh.probabilities(request.context, request.candidates).reduce((sum, value) => Math.max(sum, value), 0);
    }
    // A fresh policy's most likely pick is far less certain than a trained one's.
    expect(1 - early / 500).toBeGreaterThan(late + 0.2);
    for (let step = 0; step < 100; step++) {
      const request = world.next();
      const probabilities = policy.probabilities(request.context, request.candidates);
      expect(probabilities[0]).toBeGreaterThanOrEqual(0.04 / 3 - 1e-15);
      expect(probabilities.filter((probability) => probability >= 0.04 / 3 - 1e-15).length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('LearningPolicy learning', () => {
  it('learns the world and beats the fixed rule (seeded, paired worlds)', () => {
    for (const seed of [1, 2, 3]) {
      const steps = 3_000;
      const rules = play(new SyntheticWorld({ seed, providers: trapProviders, candidates: 8 }), new RulePolicy(), steps);
      const learner = play(new SyntheticWorld({ seed, providers: trapProviders, candidates: 8 }), new LearningPolicy({ random: createSeededRandom(seed + 100) }), steps);
      const lastRules = meanExpected(rules.slice(-1_000));
      const lastLearner = meanExpected(learner.slice(-1_000));
      const oracle = learner.slice(-1_000).reduce((sum, decision) => sum + decision.best, 0) / 1_000;
      expect(lastLearner).toBeGreaterThan(lastRules + 0.3);
      // It closes most of the rules-to-oracle gap, exploration included.
      expect((lastLearner - lastRules) / (oracle - lastRules)).toBeGreaterThan(0.8);
    }
  });

  it('follows a drifted world: with forgetting it switches to the new best provider within a few hundred decisions', () => {
    const providers: SyntheticProvider[] = [
      { name: 'alpha', fill: 0.95, price: [1.5, 3] },
      { name: 'beta', fill: 0.3, price: [1.5, 3] },
    ];
    const switchAt = 2_000;
    const followAfter = (halfLifeMs: number, seed: number): number => {
      const world = new SyntheticWorld({ seed, providers, candidates: 4 });
      const policy = new LearningPolicy({ random: createSeededRandom(seed), halfLifeMs });
      const greedyBeta: number[] = [];
      const played = play(world, policy, 5_000, (step) => {
        if (step === switchAt) {
          world.setFill('alpha', 0.3);
          world.setFill('beta', 0.95);
        }
      });
      for (const decision of played.slice(switchAt)) greedyBeta.push(decision.request.candidates[decision.greedy!]!.offer.provider === 'beta' ? 1 : 0);
      for (let end = 100; end <= greedyBeta.length; end++) {
        if (greedyBeta.slice(end - 100, end).reduce((sum, value) => sum + value, 0) >= 90) return end;
      }
      return Infinity;
    };
    for (const seed of [1, 2]) {
      const forgetting = followAfter(4 * hour, seed);
      const remembering = followAfter(Infinity, seed);
      expect(forgetting).toBeLessThanOrEqual(400);
      expect(remembering).toBeGreaterThan(forgetting);
    }
  });

  it('warm-starts from the rule policy’s logs and then avoids what the rules could not', () => {
    const world = new SyntheticWorld({ seed: 21, providers: trapProviders, candidates: 6 });
    const rules = new RulePolicy({ epsilon: 0.2, random: createSeededRandom(8) });
    const records = [];
    for (let step = 0; step < 1_500; step++) {
      const request = world.next();
      const choice = rules.decide(request.context, request.candidates);
      records.push(attachOutcome(createDecisionLogRecord({ context: request.context, candidates: request.candidates, choice }), world.outcome(request, choice.index)));
    }
    const pending = createDecisionLogRecord({ context: world.next().context, candidates: records[0]!.candidates, choice: { ...rules.decide(world.next().context, records[0]!.candidates), index: 0 } });
    const policy = new LearningPolicy({ random: createSeededRandom(1) });
    expect(policy.warmStart([...records, pending])).toEqual({ used: 1_500, skipped: 1 });
    expect(policy.diagnostics().observations).toBe(1_500);
    const next = play(world, policy, 500);
    const alphaShare = next.filter((decision) => decision.request.candidates[decision.index]!.offer.provider === 'alpha').length / next.length;
    const rulesNext = play(new SyntheticWorld({ seed: 22, providers: trapProviders, candidates: 6 }), new RulePolicy(), 500);
    const rulesAlphaShare = rulesNext.filter((decision) => decision.request.candidates[decision.index]!.offer.provider === 'alpha').length / rulesNext.length;
    expect(alphaShare).toBeLessThan(rulesAlphaShare / 2);
  });
});

describe('LearningPolicy guard', () => {
  it('hands a fresh policy’s decisions to the rule pick, with only the exploration floor on top', () => {
    const world = new SyntheticWorld({ seed: 4, providers: trapProviders, candidates: 5 });
    const policy = new LearningPolicy({ random: createSeededRandom(4), explorationFloor: 0.1, explorationTopK: 4 });
    const request = world.next();
    const choice = policy.decide(request.context, request.candidates);
    expect(choice.guarded).toBe(true);
    expect(choice.rule_index).toBe(0);
    // Top 4 of 5 plus the rule pick: either all five or four when the rule pick is among the top.
    const members = choice.probabilities.filter((value) => value > 0).length;
    expect(members).toBeGreaterThanOrEqual(4);
    expect(choice.probabilities[0]).toBeCloseTo(0.9 + 0.1 / members, 12);
    expect(choice.exploration_probability).toBeCloseTo(0.1 - 0.1 / members, 12);
  });

  it('falls back while the lower confidence bound of its advantage is below zero, and lets the learner act once it is not', () => {
    const world = new SyntheticWorld({ seed: 6, providers: trapProviders, candidates: 6 });
    const learner = new LearningPolicy({ random: createSeededRandom(6), guard: false });
    play(world, learner, 400);
    const state = learner.toJSON();
    const strict = LearningPolicy.fromJSON({ ...state, options: { ...state.options, guard: { enabled: true, confidence: 1_000, min_evidence: 0 } } });
    const lenient = LearningPolicy.fromJSON({ ...state, options: { ...state.options, guard: { enabled: true, confidence: 0, min_evidence: 0 } } });
    const unsure = LearningPolicy.fromJSON({ ...state, options: { ...state.options, guard: { enabled: true, confidence: 1.645, min_evidence: 1_000_000 } } });
    const floor = learner.explorationFloor;
    let disagreements = 0;
    let acted = 0;
    for (let step = 0; step < 200; step++) {
      const request = world.next();
      const strictChoice = strict.decide(request.context, request.candidates);
      const lenientChoice = lenient.decide(request.context, request.candidates);
      expect(unsure.decide(request.context, request.candidates).guarded).toBe(true);
      if (strictChoice.greedy_index === 0) continue;
      disagreements += 1;
      // An advantage no evidence can prove at z = 1000: the rule pick stands, the floor on top.
      const members = strictChoice.probabilities.filter((value) => value > 0).length;
      expect(strictChoice.guarded).toBe(true);
      expect(strictChoice.probabilities[0]).toBeCloseTo(1 - floor + floor / members, 12);
      // At z = 0 the point estimate decides: the greedy pick, when it is in the exploration set,
      // is admitted and gets the learner's mass rather than the floor alone.
      const greedy = strictChoice.greedy_index;
      if (strictChoice.probabilities[greedy]! === 0) continue;
      acted += 1;
      expect(lenientChoice.guarded).toBe(false);
      expect(lenientChoice.probabilities[greedy]!).toBeGreaterThan(strictChoice.probabilities[greedy]!);
    }
    expect(disagreements).toBeGreaterThan(50);
    expect(acted).toBeGreaterThan(disagreements / 2);
  });
});

describe('LearningPolicy outcomes', () => {
  it('ignores outcomes of decisions it never made or offers it never offered, and counts them', () => {
    const { policy, world } = trainedPolicy(10);
    const before = policy.diagnostics().observations;
    policy.observe({ decision_id: 'unknown', provider: 'alpha', offer_id: 'x', filled: true, observed_at: '2026-01-05T00:00:00.000Z' });
    const request = world.next();
    policy.decide(request.context, request.candidates);
    policy.observe({ decision_id: request.context.decision_id, provider: 'alpha', offer_id: 'not-a-candidate', filled: true, observed_at: '2026-01-05T00:00:00.000Z' });
    expect(policy.diagnostics()).toMatchObject({ observations: before, unmatched_outcomes: 2 });
  });

  it('learns from the offer the outcome names (failover), and a second outcome replaces the first reward', () => {
    const { policy, world } = trainedPolicy(10);
    const request = world.next();
    policy.decide(request.context, request.candidates);
    const used = request.candidates[3]!.offer;
    const outcome = { decision_id: request.context.decision_id, provider: used.provider, offer_id: used.offer_id, observed_at: new Date(request.context.now + 1_000).toISOString() };
    policy.observe({ ...outcome, filled: false });
    const afterFirst = policy.diagnostics().observations;
    const failedPrediction = policy.predict(request.context, request.candidates)[3]!;
    policy.observe({ ...outcome, filled: true, time_to_running_ms: 1_000 });
    expect(policy.diagnostics().observations).toBe(afterFirst);
    expect(policy.predict(request.context, request.candidates)[3]!).toBeGreaterThan(failedPrediction);
  });

  it('keeps the pick and the rule’s top 8 for outcomes, and ignores outcomes for other offers', () => {
    const world = new SyntheticWorld({ seed: 2, providers: trapProviders, candidates: 20 });
    // Every candidate in the exploration set, so that the last one can be drawn.
    const policy = new LearningPolicy({ random: () => 0.999_999, explorationTopK: 20 });
    const request = world.next();
    // u close to 1 draws the last candidate: index 19, outside the top 8.
    expect(policy.decide(request.context, request.candidates).index).toBe(19);
    policy.observe(world.outcome(request, 12));
    expect(policy.diagnostics()).toMatchObject({ observations: 0, unmatched_outcomes: 1 });
    policy.observe(world.outcome(request, 7));
    expect(policy.diagnostics()).toMatchObject({ observations: 1, unmatched_outcomes: 1 });
    const other = world.next();
    policy.decide(other.context, other.candidates);
    policy.observe(world.outcome(other, 19));
    expect(policy.diagnostics().observations).toBe(2);
  });

  it('forgets the oldest pending decisions beyond maxPendingDecisions', () => {
    const world = new SyntheticWorld({ seed: 1, providers: trapProviders, candidates: 3 });
    const policy = new LearningPolicy({ random: createSeededRandom(1), maxPendingDecisions: 2 });
    const requests = [world.next(), world.next(), world.next()];
    for (const request of requests) policy.decide(request.context, request.candidates);
    expect(policy.diagnostics().pending_decisions).toBe(2);
    policy.observe(world.outcome(requests[0]!, 0));
    policy.observe(world.outcome(requests[2]!, 0));
    expect(policy.diagnostics()).toMatchObject({ observations: 1, unmatched_outcomes: 1 });
  });
});

describe('LearningPolicy options', () => {
  it.each([
    [{ explorationFloor: 0 }, 'explorationFloor'],
    [{ explorationFloor: 1 }, 'explorationFloor'],
    [{ explorationTopK: 0 }, 'explorationTopK'],
    [{ explorationTopK: 2.5 }, 'explorationTopK'],
    [{ temperature: -1 }, 'temperature'],
    [{ halfLifeMs: 0 }, 'halfLifeMs'],
    [{ hashBuckets: 100 }, 'hashBuckets'],
    [{ ridge: Number.NaN }, 'ridge'],
    [{ guard: { confidence: -1 } }, 'guard.confidence'],
    [{ reward: { timeToRunningReferenceMs: 0 } }, 'reward.timeToRunningReferenceMs'],
    [{ maxPendingDecisions: 1.5 }, 'maxPendingDecisions'],
  ])('rejects %j', (options, field) => {
    try {
      new LearningPolicy(options as ConstructorParameters<typeof LearningPolicy>[0]);
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).issues).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('records its id, version and arm on every choice', () => {
    const world = new SyntheticWorld({ seed: 1, providers: trapProviders, candidates: 3 });
    const request = world.next();
    const choice = new LearningPolicy({ id: 'bandit', version: '9.9.9', arm: 'shadow', random: createSeededRandom(1) }).decide(request.context, request.candidates);
    expect(choice).toMatchObject({ policy_id: 'bandit', policy_version: '9.9.9', arm: 'shadow' });
  });
});
