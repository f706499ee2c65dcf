import type { DecisionLogRecord } from '../evaluation/decision-log-record';
import { rewardFromScales, rewardOfferValues, rewardScales, type RewardOfferValues, type RewardOptions, type RewardScales } from './learning/compute-reward';
import type { Outcome } from '../schemas/outcome';
import type { Weights } from '../schemas/weights';

/**
 * What joining a later outcome to a logged decision needs, without its candidate list: the
 * request's weights, the reward scales of the candidate set, and the values of the offers an
 * outcome can be about (the pick and the best-ranked candidates, where failover goes). A few
 * hundred bytes where the record holds every candidate, so a server can keep many in memory.
 */
export type RewardBasis = {
  decision_id: string;
  weights: Weights;
  scales: RewardScales;
  /** The kept offers; the pick is first. */
  offers: ReadonlyArray<{ provider: string; offer_id: string; values: RewardOfferValues }>;
};

/** How many of the best-ranked candidates a basis keeps besides the pick (failover goes down the ranking). */
export const defaultRewardBasisCandidates = 8;

export function rewardBasisOf(record: DecisionLogRecord, keep = defaultRewardBasisCandidates): RewardBasis {
  const kept = [record.chosen_index, ...record.candidates.slice(0, keep).map((_, index) => index).filter((index) => index !== record.chosen_index)];
  return {
    decision_id: record.decision_id,
    weights: record.context.weights,
    scales: rewardScales(record.candidates),
    offers: kept.map((index) => {
      const { offer } = record.candidates[index]!;
      return { provider: offer.provider, offer_id: offer.offer_id, values: rewardOfferValues(offer) };
    }),
  };
}

/**
 * The reward of `outcome` (`computeReward`, as `attachOutcome` gives it) from a basis: for the
 * offer the outcome names when the basis kept it, else for the pick.
 */
export function rewardFromBasis(basis: RewardBasis, outcome: Outcome, options: RewardOptions = {}): number {
  const used = basis.offers.find((offer) => offer.offer_id === outcome.offer_id && offer.provider === outcome.provider) ?? basis.offers[0]!;
  return rewardFromScales(outcome, used.values, basis.scales, basis.weights, options);
}
