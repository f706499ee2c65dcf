import { NoEligibleOfferError } from '../errors/no-eligible-offer-error';
import type { OfferRejection, ScoredCandidate } from '../schemas/decision';
import type { Offer } from '../schemas/offer';
import type { RoutingRequest } from '../schemas/routing-request';
import type { Weights } from '../schemas/weights';
import { filterAndCount, type FilterOptions, type RejectionTally } from './filter-offers';
import { scoreOffers } from './score-offers';

export type RankResult = {
  candidates: ScoredCandidate[];
  rejections: OfferRejection[];
  /** Every rejected offer, also those beyond `maxRejections` that have no record. */
  rejected_count: number;
  rejection_counts: RejectionTally;
};

/** Filter, then score: the whole pure decision path before the policy. */
export function rankOffers(request: RoutingRequest, offers: readonly Offer[], weights: Weights, options: FilterOptions = {}): RankResult {
  const counts: RejectionTally = { by_reason: {}, by_provider: {} };
  const { eligible, rejections, rejected_count } = filterAndCount(request, offers, options, counts);
  return { candidates: scoreOffers(eligible, weights), rejections, rejected_count, rejection_counts: counts };
}

/** Throws `NoEligibleOfferError` with the counts when a ranking has no candidate. */
export function assertEligible(result: RankResult, totalOffers: number): void {
  if (result.candidates.length > 0) return;
  throw new NoEligibleOfferError({ rejections: { total_offers: totalOffers, ...result.rejection_counts } });
}
