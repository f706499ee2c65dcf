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
 * The scalar reward of one decision, following the request's own weights and measured outcomes:
 *
 *   not filled: failureReward (default -1)
 *   filled:     sum_c w_c * u_c,  c in {price, latency, reputation, availability}, u_c in (-1, 1]
 *
 *   u_price        = u((max_p - p_obs) / s_p)   p = USD per GPU-hour; p_obs = cost_usd /
 *                                               gpu_hours_delivered when both are known (a bill with
 *                                               nothing delivered scores -1), else the offer's price
 *   u_latency      = u((max_l - l_obs) / s_l)   l_obs = achieved_latency_ms, else advertised
 *   u_reputation   = 1 if the deployment ran without interruption, 0 if it carries a failure_reason:
 *                    the reliability that reputation advertises, as measured
 *   u_availability = T / (T + time_to_running_ms)   1 if the time is unknown; 0 if the outcome
 *                                                   also carries a failure_reason
 *   u(g)           = min(g, 1) for g >= 0, g / (1 - g) below: an overrun past the worst candidate
 *                    falls smoothly toward -1, so a bill 10x the list price still scores below 2x
 *
 * min/max/mean are over the request's candidates and s = max(max - min, 0.25 * mean): with a wide
 * spread the best candidate's advertised value scores 1 and the worst 0, like the scorer's
 * normalisation; with a narrow spread small differences stay small.
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
  const utilityPrice = priceUtility(outcome, offer, scales.price);
  const observedLatency = outcome.achieved_latency_ms ?? offer.latencyMs;
  const utilityLatency = utility((scales.latency.max - observedLatency) / scales.latency.scale);
  const interrupted = outcome.failure_reason !== undefined;
  const utilityReputation = interrupted ? 0 : 1;
  const utilityAvailability = interrupted
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
  const ranges = [Infinity, -Infinity, 0, Infinity, -Infinity, 0, Infinity, -Infinity, 0];
  for (const { offer } of candidates) {
    accumulate(ranges, 0, offer.price_usd_per_hour / offer.gpu_count);
    accumulate(ranges, 3, offer.estimated_latency_ms);
    accumulate(ranges, 6, offer.reputation);
  }
  return rewardScalesFromRanges(ranges, candidates.length);
}

/** Min, max and sum of one criterion at `ranges[at..at + 2]`. */
function accumulate(ranges: number[], at: number, value: number): void {
  if (value < ranges[at]!) ranges[at] = value;
  if (value > ranges[at + 1]!) ranges[at + 1] = value;
  ranges[at + 2]! += value;
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

/** Utility of the real cost per delivered GPU-hour; the advertised price until the bill is known. */
function priceUtility(outcome: RewardInput['outcome'], offer: RewardOfferValues, price: CriterionScale): number {
  const { cost_usd: cost, gpu_hours_delivered: delivered } = outcome;
  if (cost !== undefined && delivered !== undefined) {
    if (delivered > 0) return utility((price.max - cost / delivered) / price.scale);
    // Billed for nothing delivered (work lost before its first checkpoint): as bad as it gets.
    if (cost > 0) return -1;
  }
  return utility((price.max - offer.pricePerGpuHour) / price.scale);
}

/** A normalised gap as a utility: capped at 1 above, falling smoothly toward -1 below zero. */
function utility(gap: number): number {
  return gap >= 1 ? 1 : gap >= 0 ? gap : gap / (1 - gap);
}
