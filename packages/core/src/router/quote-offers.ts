import type { OfferRejection, ScoredCandidate } from '../schemas/decision';
import type { Offer } from '../schemas/offer';
import type { RoutingRequest } from '../schemas/routing-request';
import type { Weights } from '../schemas/weights';
import { rankOffers, type RankResult } from '../scorer/rank-offers';
import type { FilterOptions } from '../scorer/filter-offers';
import type { CircuitBreaker } from './circuit-breaker';
import type { AdapterFailure, GatheredOffers } from './offer-source';

/** What `router.quote()` returns: the ranking of the offers available now. No side effects. */
export type QuoteResult = {
  request: RoutingRequest;
  weights: Weights;
  /** Eligible offers, best first, with scores (at most `limits.max_recorded_candidates`). */
  candidates: ScoredCandidate[];
  /** Rejected offers with their reason (at most `limits.max_recorded_rejections`). */
  rejections: OfferRejection[];
  /** Every rejection counted, also those not listed. */
  rejection_counts: { by_reason: Record<string, number>; by_provider: Record<string, number> };
  adapter_failures: AdapterFailure[];
  warnings: string[];
  /** Valid offers seen, eligible or not. */
  total_offers: number;
  /** Eligible offers, also those not listed. */
  eligible_count: number;
  quoted_at: string;
};

/** A full, unbounded ranking: what `route()` fails over along. */
export type Quote = {
  request: RoutingRequest;
  weights: Weights;
  ranked: RankResult;
  offers: readonly Offer[];
  adapter_failures: AdapterFailure[];
  warnings: string[];
  quoted_at: string;
  filter: FilterOptions;
};

export type RankQuoteOptions = {
  breaker: CircuitBreaker;
  budgetUsd: number | undefined;
  now: number;
  /** Rejection records to build; the rest are only counted. */
  maxRejections?: number;
};

/** Filters and scores the gathered offers. Offers of providers (or provider + GPU type) with an open circuit are rejected. */
export function rankQuote(request: RoutingRequest, weights: Weights, gathered: GatheredOffers, options: RankQuoteOptions): Quote {
  const { breaker } = options;
  const filter: FilterOptions = {
    ...(breaker.allClosed ? {} : { isCircuitOpen: (provider: string, gpuType: string) => !breaker.allows(provider, gpuType) }),
    ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd } : {}),
  };
  return {
    request,
    weights,
    ranked: rankOffers(request, gathered.offers, weights, options.maxRejections === undefined ? filter : { ...filter, maxRejections: options.maxRejections }),
    offers: gathered.offers,
    adapter_failures: gathered.adapter_failures,
    warnings: gathered.warnings,
    quoted_at: new Date(options.now).toISOString(),
    filter,
  };
}

export type RecordLimits = { max_recorded_candidates: number; max_recorded_rejections: number };

/**
 * The bounded view of a quote: the top candidates (plus `keep`, e.g. a policy's pick ranked lower)
 * and the first rejections, with a warning when a list was cut. Counts always cover everything.
 */
export function boundedRecord(
  quote: Quote,
  limits: RecordLimits,
  keep?: ScoredCandidate,
): { candidates: ScoredCandidate[]; rejections: OfferRejection[]; warnings: string[] } {
  const { candidates, rejections } = quote.ranked;
  let warnings = quote.warnings;
  let recordedCandidates = candidates;
  if (candidates.length > limits.max_recorded_candidates) {
    recordedCandidates = candidates.slice(0, limits.max_recorded_candidates);
    if (keep && keep.rank > limits.max_recorded_candidates) recordedCandidates.push(keep);
    warnings = [...warnings, `recorded the top ${limits.max_recorded_candidates} of ${candidates.length} candidates`];
  }
  let recordedRejections = rejections;
  const rejectedCount = Math.max(quote.ranked.rejected_count, rejections.length);
  if (rejectedCount > limits.max_recorded_rejections) {
    recordedRejections = rejections.slice(0, limits.max_recorded_rejections);
    warnings = warnings === quote.warnings ? [...warnings] : warnings;
    warnings.push(`recorded ${limits.max_recorded_rejections} of ${rejectedCount} rejections; rejection_counts covers all`);
  }
  return { candidates: recordedCandidates, rejections: recordedRejections, warnings: warnings === quote.warnings ? [...warnings] : warnings };
}

export function toQuoteResult(quote: Quote, limits: RecordLimits): QuoteResult {
  const recorded = boundedRecord(quote, limits);
  return {
    request: quote.request,
    weights: quote.weights,
    candidates: recorded.candidates,
    rejections: recorded.rejections,
    rejection_counts: quote.ranked.rejection_counts,
    adapter_failures: quote.adapter_failures,
    warnings: recorded.warnings,
    total_offers: quote.offers.length,
    eligible_count: quote.ranked.candidates.length,
    quoted_at: quote.quoted_at,
  };
}
