import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import type { ScoredCandidate } from '../../schemas/decision';
import type { Offer } from '../../schemas/offer';
import type { Outcome } from '../../schemas/outcome';
import type { Weights } from '../../schemas/weights';

export type RewardOptions = {
  /** Reward of a decision whose deployment never ran. Default -1, the floor of every filled reward. */
  failureReward?: number;
  /** Time to running at which the availability utility is 1/2. Default 120,000 ms. */
  timeToRunningReferenceMs?: number;
};

export type RewardInput = {
  /** What happened. Only these fields are read. */
  outcome: Pick<Outcome, 'filled' | 'time_to_running_ms' | 'cost_usd' | 'gpu_hours_delivered' | 'achieved_latency_ms' | 'failure_reason'>;
  /** The offer the work ran on (after failover this can differ from the policy's pick). */
  offer: Offer;
  /** The request's candidate set: the scale every utility is measured against. */
  candidates: readonly ScoredCandidate[];
  /** The request's criterion weights (normalised to sum 1 here if they do not). */
  weights: Weights;
};

export const defaultFailureReward = -1;
export const defaultTimeToRunningReferenceMs = 120_000;
/** A candidate set's spread counts as at least this share of its median, so near-ties stay near-ties. */
const minimumRelativeScale = 0.25;

/**
 * The scalar reward of one decision, following the request's own weights:
 *
 *   not filled: failureReward (default -1)
 *   filled:     sum_c w_c * u_c,  c in {price, latency, reputation, availability}, u_c in [-1, 1]
 *
 *   u_price        = clamp((max_p - p_obs) / s_p, -1, 1)   p = USD per GPU-hour; p_obs = cost_usd /
 *                                                         gpu_hours_delivered when both are known,
 *                                                         else the offer's advertised price
 *   u_latency      = clamp((max_l - l_obs) / s_l, -1, 1)   l_obs = achieved_latency_ms, else advertised
 *   u_reputation   = clamp((rep - min_rep) / s_rep, -1, 1)  reputation is not observed per decision
 *   u_availability = T / (T + time_to_running_ms)         1 if the time is unknown; 0 if the outcome
 *                                                         also carries a failure_reason
 *
 * min/max are over the request's candidates and s = max(max - min, 0.25 * median): with a wide
 * spread the best candidate's advertised value scores 1 and the worst 0, like the scorer's
 * normalisation; with a narrow spread small differences stay small. A bill above every
 * candidate's price, or a latency above every estimate, goes negative down to -1.
 */
export function computeReward(input: RewardInput, options: RewardOptions = {}): number {
  const failureReward = options.failureReward ?? defaultFailureReward;
  const reference = options.timeToRunningReferenceMs ?? defaultTimeToRunningReferenceMs;
  const { outcome, offer, candidates, weights } = input;
  if (candidates.length === 0) throw new InvalidArgumentError({ issues: [{ field: 'candidates', reason: 'must not be empty' }] });
  if (!outcome.filled) return failureReward;

  const total = weights.price + weights.latency + weights.reputation + weights.availability;
  if (!(total > 0)) throw new InvalidArgumentError({ issues: [{ field: 'weights', reason: 'must have a positive sum' }] });

  const prices = candidates.map((candidate) => pricePerGpuHour(candidate.offer));
  const latencies = candidates.map((candidate) => candidate.offer.estimated_latency_ms);
  const reputations = candidates.map((candidate) => candidate.offer.reputation);

  const observedPrice =
    outcome.cost_usd !== undefined && outcome.gpu_hours_delivered !== undefined && outcome.gpu_hours_delivered > 0
      ? outcome.cost_usd / outcome.gpu_hours_delivered
      : pricePerGpuHour(offer);
  const observedLatency = outcome.achieved_latency_ms ?? offer.estimated_latency_ms;

  const priceScale = robustScale(prices);
  const latencyScale = robustScale(latencies);
  const reputationScale = robustScale(reputations);
  const utilityPrice = clamp((priceScale.max - observedPrice) / priceScale.scale);
  const utilityLatency = clamp((latencyScale.max - observedLatency) / latencyScale.scale);
  const utilityReputation = clamp((offer.reputation - reputationScale.min) / reputationScale.scale);
  const utilityAvailability =
    outcome.failure_reason !== undefined
      ? 0
      : outcome.time_to_running_ms === undefined
        ? 1
        : reference / (reference + outcome.time_to_running_ms);

  return (
    (weights.price * utilityPrice +
      weights.latency * utilityLatency +
      weights.reputation * utilityReputation +
      weights.availability * utilityAvailability) /
    total
  );
}

function pricePerGpuHour(offer: Offer): number {
  return offer.price_usd_per_hour / offer.gpu_count;
}

function robustScale(values: number[]): { min: number; max: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min, max, scale: Math.max(max - min, minimumRelativeScale * Math.abs(median), 1e-9) };
}

function clamp(value: number): number {
  return value < -1 ? -1 : value > 1 ? 1 : value;
}
