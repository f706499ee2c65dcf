import { createSeededRandom } from '../../../evaluation/seeded-random';
import type { ScoredCandidate } from '../../../schemas/decision';
import type { Offer } from '../../../schemas/offer';
import type { Outcome } from '../../../schemas/outcome';
import { createRoutingRequest } from '../../../testkit/offer-builders';
import { defaultWeights } from '../../../schemas/weights';
import { scoreOffers } from '../../../scorer/score-offers';
import type { PolicyContext } from '../../policy';
import { attachOutcome, createDecisionLogRecord } from '../../../evaluation/create-decision-log-record';
import type { DecisionLogRecord } from '../../../evaluation/decision-log-record';
import { computeReward } from '../compute-reward';

export type SyntheticProvider = {
  name: string;
  /** Probability that a deployment on this provider starts. */
  fill: number;
  /** Advertised price range in USD per GPU-hour. */
  price: [number, number];
};

export type SyntheticWorldOptions = {
  seed: number;
  providers: SyntheticProvider[];
  /** Candidates per request. */
  candidates: number;
  /** Milliseconds between decisions. Default one minute. */
  stepMs?: number;
};

export type SyntheticRequest = { context: PolicyContext; candidates: ScoredCandidate[] };

const start = Date.parse('2026-01-05T00:00:00.000Z');
const timeToRunningMs = 30_000;

/**
 * A seeded marketplace with a known truth: each provider fills with a fixed probability (changeable
 * to simulate drift), offers get random prices, latencies and reputations, and the expected reward
 * of any candidate is computable exactly: fill * reward(filled) + (1 - fill) * reward(not filled).
 */
export class SyntheticWorld {
  private readonly random: () => number;
  private readonly providers: SyntheticProvider[];
  private readonly count: number;
  private readonly stepMs: number;
  private step = 0;

  constructor(options: SyntheticWorldOptions) {
    this.random = createSeededRandom(options.seed);
    this.providers = options.providers.map((provider) => ({ ...provider }));
    this.count = options.candidates;
    this.stepMs = options.stepMs ?? 60_000;
  }

  setFill(provider: string, fill: number): void {
    this.providers.find((candidate) => candidate.name === provider)!.fill = fill;
  }

  fillOf(provider: string): number {
    return this.providers.find((candidate) => candidate.name === provider)!.fill;
  }

  /** The next request: a context one step later and freshly drawn, ranked candidates. */
  next(): SyntheticRequest {
    const step = this.step++;
    const offers: Offer[] = [];
    for (let index = 0; index < this.count; index++) {
      const provider = this.providers[index % this.providers.length]!;
      const [low, high] = provider.price;
      offers.push({
        provider: provider.name,
        offer_id: `${provider.name}-${step}-${index}`,
        gpu_type: 'a100',
        gpu_count: 1,
        region: 'us-west',
        price_usd_per_hour: round(low + this.random() * (high - low)),
        estimated_latency_ms: Math.round(20 + this.random() * 280),
        reputation: Math.round(60 + this.random() * 40),
        availability: round(0.5 + this.random() * 0.5),
        capacity: 4,
        interruptible: false,
        quoted_at: '2026-01-01T00:00:00.000Z',
        provider_metadata: {},
      });
    }
    const context: PolicyContext = {
      decision_id: `dec-${step}`,
      request: createRoutingRequest(),
      weights: defaultWeights,
      now: start + step * this.stepMs,
    };
    return { context, candidates: scoreOffers(offers, defaultWeights) };
  }

  expectedReward(request: SyntheticRequest, index: number): number {
    const offer = request.candidates[index]!.offer;
    const fill = this.fillOf(offer.provider);
    return fill * this.rewardIf(request, index, true) + (1 - fill) * this.rewardIf(request, index, false);
  }

  /** Draws whether the deployment starts and returns the outcome the router would report. */
  outcome(request: SyntheticRequest, index: number): Outcome {
    const offer = request.candidates[index]!.offer;
    const filled = this.random() < this.fillOf(offer.provider);
    return {
      decision_id: request.context.decision_id,
      provider: offer.provider,
      offer_id: offer.offer_id,
      filled,
      observed_at: new Date(request.context.now + timeToRunningMs).toISOString(),
      ...(filled ? { time_to_running_ms: timeToRunningMs } : { failure_reason: 'capacity' }),
    };
  }

  rewardIf(request: SyntheticRequest, index: number, filled: boolean): number {
    const offer = request.candidates[index]!.offer;
    const outcome = filled ? { filled, time_to_running_ms: timeToRunningMs } : { filled, failure_reason: 'capacity' };
    return computeReward({ outcome, offer, candidates: request.candidates, weights: request.context.weights });
  }

  /** The index with the highest expected reward. */
  bestIndex(request: SyntheticRequest): number {
    let best = 0;
    for (let index = 1; index < request.candidates.length; index++) {
      if (this.expectedReward(request, index) > this.expectedReward(request, best)) best = index;
    }
    return best;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export type PlayedDecision = { request: SyntheticRequest; index: number; greedy: number | undefined; expected: number; best: number };

type PlayablePolicy = {
  decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): { index: number; greedy_index?: number } | Promise<{ index: number }>;
  observe?(outcome: Outcome): void | Promise<void>;
};

/**
 * Runs `steps` decisions of `policy` in `world`, feeding each outcome back at once, and returns
 * what was picked with its expected reward and the best expected reward available.
 */
export function play(world: SyntheticWorld, policy: PlayablePolicy, steps: number, beforeStep?: (step: number) => void): PlayedDecision[] {
  const played: PlayedDecision[] = [];
  for (let step = 0; step < steps; step++) {
    beforeStep?.(step);
    const request = world.next();
    const choice = policy.decide(request.context, request.candidates) as { index: number; greedy_index?: number };
    played.push({ request, index: choice.index, greedy: choice.greedy_index, expected: world.expectedReward(request, choice.index), best: world.expectedReward(request, world.bestIndex(request)) });
    void policy.observe?.(world.outcome(request, choice.index));
  }
  return played;
}

export function meanExpected(played: readonly PlayedDecision[]): number {
  return played.reduce((sum, decision) => sum + decision.expected, 0) / played.length;
}

/**
 * `steps` decisions of `policy` in `world`, logged as decision records with their outcomes joined
 * (and the policy's distribution when it has `probabilities()`); the policy does not learn from them.
 */
export function logDecisions(
  world: SyntheticWorld,
  policy: {
    decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): unknown;
    probabilities?(context: PolicyContext, candidates: readonly ScoredCandidate[]): readonly number[];
  },
  steps: number,
): { records: DecisionLogRecord[]; requests: SyntheticRequest[] } {
  const records: DecisionLogRecord[] = [];
  const requests: SyntheticRequest[] = [];
  for (let step = 0; step < steps; step++) {
    const request = world.next();
    const choice = policy.decide(request.context, request.candidates) as Parameters<typeof createDecisionLogRecord>[0]['choice'];
    const probabilities = policy.probabilities?.(request.context, request.candidates);
    const record = createDecisionLogRecord({ context: request.context, candidates: request.candidates, choice, ...(probabilities ? { probabilities } : {}) });
    records.push(attachOutcome(record, world.outcome(request, choice.index)));
    requests.push(request);
  }
  return { records, requests };
}
