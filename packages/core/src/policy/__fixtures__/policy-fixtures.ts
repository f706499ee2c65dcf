import type { ScoredCandidate } from '../../schemas/decision';
import type { Outcome } from '../../schemas/outcome';
import { defaultWeights } from '../../schemas/weights';
import { scoreOffers } from '../../scorer/score-offers';
import { createOffers, createRoutingRequest } from '../../testkit/offer-builders';
import { createSeededRandom } from '../../evaluation/seeded-random';
import type { Policy, PolicyChoice, PolicyContext } from '../policy';

/** A seeded PRNG so randomised policies are reproducible in tests. */
export const seededRandom = createSeededRandom;

export function rankedCandidates(count: number): ScoredCandidate[] {
  return scoreOffers(createOffers(count), defaultWeights);
}

export function policyContext(overrides: Partial<PolicyContext> = {}): PolicyContext {
  return {
    decision_id: 'dec-1',
    request: createRoutingRequest(),
    weights: defaultWeights,
    now: Date.parse('2026-01-01T00:00:00.000Z'),
    ...overrides,
  };
}

export function outcome(overrides: Partial<Outcome> = {}): Outcome {
  return {
    decision_id: 'dec-1',
    provider: 'mock',
    offer_id: 'offer-1',
    filled: true,
    observed_at: '2026-01-01T00:01:00.000Z',
    ...overrides,
  };
}

/** A policy that always picks `index` with `propensity` and remembers what it observed. */
export class FixedPolicy implements Policy {
  readonly version = '1.0.0';
  readonly observed: Outcome[] = [];
  decisions = 0;

  constructor(
    readonly id: string,
    private readonly index: number,
    private readonly propensity = 1,
    private readonly failObserve = false,
  ) {}

  decide(_context: PolicyContext, candidates: readonly ScoredCandidate[]): PolicyChoice {
    this.decisions += 1;
    return {
      index: Math.min(this.index, candidates.length - 1),
      propensity: this.propensity,
      scores: candidates.map((candidate) => candidate.score),
      policy_id: this.id,
      policy_version: this.version,
      arm: 'rules',
    };
  }

  observe(value: Outcome): void {
    this.observed.push(value);
    if (this.failObserve) throw new Error(`${this.id} cannot observe`);
  }
}
