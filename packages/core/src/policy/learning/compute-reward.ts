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
/** A candidate set's spread counts as at least this share of its mean, so near-ties stay near-ties. */
const minimumRelativeScale = 0.25;

/** Range and scale of one criterion over a candidate set. */
export type CriterionScale = { min: number; max: number; scale: number };
export type RewardScales = { price: CriterionScale; latency: CriterionScale; reputation: CriterionScale };
/** The advertised values of the offer that ran. */
export type RewardOfferValues = { pricePerGpuHour: number; latencyMs: number; reputation: number };

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
 * min/max/mean are over the request's candidates and s = max(max - min, 0.25 * mean): with a wide
 * spread the best candidate's advertised value scores 1 and the worst 0, like the scorer's
 * normalisation; with a narrow spread small differences stay small. A bill above every
 * candidate's price, or a latency above every estimate, goes negative down to -1.
 */
export function computeReward(input: RewardInput, options: RewardOptions = {}): number {
  const { outcome, offer, candidates, weights } = input;
  if (candidates.length === 0) throw new InvalidArgumentError({ issues: [{ field: 'candidates', reason: 'must not be empty' }] });
  const total = weights.price + weights.latency + weights.reputation + weights.availability;
  if (!(total > 0)) throw new InvalidArgumentError({ issues: [{ field: 'weights', reason: 'must have a positive sum' }] });
  return rewardFromScales(outcome, rewardOfferValues(offer), rewardScales(candidates), weights, options);
}

/** `computeReward` from precomputed scales: what a policy keeps per pending decision. */
export function rewardFromScales(
  outcome: RewardInput['outcome'],
  offer: RewardOfferValues,
  scales: RewardScales,
  weights: Weights,
  options: RewardOptions = {},
): number {
  if (!outcome.filled) return options.failureReward ?? defaultFailureReward;
  const reference = options.timeToRunningReferenceMs ?? defaultTimeToRunningReferenceMs;
  const observedPrice =
    outcome.cost_usd !== undefined && outcome.gpu_hours_delivered !== undefined && outcome.gpu_hours_delivered > 0
      ? outcome.cost_usd / outcome.gpu_hours_delivered
      : offer.pricePerGpuHour;
  const observedLatency = outcome.achieved_latency_ms ?? offer.latencyMs;
  const utilityPrice = clamp((scales.price.max - observedPrice) / scales.price.scale);
  const utilityLatency = clamp((scales.latency.max - observedLatency) / scales.latency.scale);
  const utilityReputation = clamp((offer.reputation - scales.reputation.min) / scales.reputation.scale);
  const utilityAvailability =
    outcome.failure_reason !== undefined
      ? 0
      : outcome.time_to_running_ms === undefined
        ? 1
        : reference / (reference + outcome.time_to_running_ms);
  const total = weights.price + weights.latency + weights.reputation + weights.availability;
  return (
    (weights.price * utilityPrice +
      weights.latency * utilityLatency +
      weights.reputation * utilityReputation +
      weights.availability * utilityAvailability) /
    total
  );
}

/** Min, max and scale of price per GPU-hour, latency and reputation over the candidates, in one pass. */
export function rewardScales(candidates: readonly ScoredCandidate[]): RewardScales {
  const ranges = new Float64Array(9);
  ranges.set([Infinity, -Infinity, 0, Infinity, -Infinity, 0, Infinity, -Infinity, 0]);
  for (const candidate of candidates) {
    const offer = candidate.offer;
    const values = [offer.price_usd_per_hour / offer.gpu_count, offer.estimated_latency_ms, offer.reputation];
    values.forEach((value, criterion) => {
      ranges[criterion * 3] = Math.min(ranges[criterion * 3]!, value);
      ranges[criterion * 3 + 1] = Math.max(ranges[criterion * 3 + 1]!, value);
      ranges[criterion * 3 + 2]! += value;
    });
  }
  return rewardScalesFromRanges(ranges, candidates.length);
}

/**
 * Scales from `ranges`: min, max and sum of price per GPU-hour, latency and reputation (9 numbers,
 * starting at `offset`) over `count` candidates.
 */
export function rewardScalesFromRanges(ranges: ArrayLike<number>, count: number, offset = 0): RewardScales {
  const scale = (criterion: number) => criterionScale(ranges[offset + criterion * 3]!, ranges[offset + criterion * 3 + 1]!, ranges[offset + criterion * 3 + 2]! / count);
  return { price: scale(0), latency: scale(1), reputation: scale(2) };
}

export function rewardOfferValues(offer: Offer): RewardOfferValues {
  return { pricePerGpuHour: offer.price_usd_per_hour / offer.gpu_count, latencyMs: offer.estimated_latency_ms, reputation: offer.reputation };
}

function criterionScale(min: number, max: number, mean: number): CriterionScale {
  return { min, max, scale: Math.max(max - min, minimumRelativeScale * Math.abs(mean), 1e-9) };
}

function clamp(value: number): number {
  return value < -1 ? -1 : value > 1 ? 1 : value;
}
