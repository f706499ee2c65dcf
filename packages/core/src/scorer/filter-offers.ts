import type { Offer } from '../schemas/offer';
import type { OfferRejection, RejectionReason } from '../schemas/decision';
import type { RoutingRequest } from '../schemas/routing-request';
import { requestDurationHours } from '../schemas/routing-request';

export type FilterOptions = {
  /** True when the provider (or provider + GPU type) circuit is open. */
  isCircuitOpen?: (provider: string, gpuType: string) => boolean;
  /** Most the whole request may cost in USD (price x duration); undefined = no limit. */
  budgetUsd?: number;
  /** Offers (`provider/offer_id`) or providers (`provider`) already failed for this request. */
  blocked?: ReadonlySet<string>;
  /**
   * Build at most this many rejection records (counts still cover every offer). With 100,000
   * offers, records nobody reads are most of the garbage a quote makes.
   */
  maxRejections?: number;
};

export type FilterResult = {
  eligible: Offer[];
  /** The rejected offers with their reason, the first `maxRejections` of them when that is set. */
  rejections: OfferRejection[];
  /** How many offers were rejected in all. */
  rejected_count: number;
};

export type RejectionTally = { by_reason: Record<string, number>; by_provider: Record<string, number> };

/** Hard constraints. Every offer ends up eligible or rejected with exactly one reason code. */
export function filterOffers(request: RoutingRequest, offers: readonly Offer[], options: FilterOptions = {}): FilterResult {
  return filterAndCount(request, offers, options, undefined);
}

/**
 * `filterOffers`, also counting the rejections by reason and provider into `counts` in the same
 * pass (for `rankOffers`, which needs both).
 */
export function filterAndCount(
  request: RoutingRequest,
  offers: readonly Offer[],
  options: FilterOptions,
  counts: RejectionTally | undefined,
): FilterResult {
  const eligible: Offer[] = [];
  const rejections: OfferRejection[] = [];
  const maxRejections = options.maxRejections ?? Infinity;
  let rejectedCount = 0;
  const hours = requestDurationHours(request);
  for (const offer of offers) {
    const reason = firstViolation(request, offer, options, hours);
    if (reason === undefined) {
      eligible.push(offer);
      continue;
    }
    rejectedCount += 1;
    if (rejections.length < maxRejections) {
      rejections.push({ provider: offer.provider, offer_id: offer.offer_id, reason, detail: describeViolation(reason, request, offer, options, hours) });
    }
    if (counts) {
      counts.by_reason[reason] = (counts.by_reason[reason] ?? 0) + 1;
      counts.by_provider[offer.provider] = (counts.by_provider[offer.provider] ?? 0) + 1;
    }
  }
  return { eligible, rejections, rejected_count: rejectedCount };
}

function firstViolation(request: RoutingRequest, offer: Offer, options: FilterOptions, hours: number | undefined): RejectionReason | undefined {
  if (options.blocked && (options.blocked.has(offer.provider) || options.blocked.has(`${offer.provider}/${offer.offer_id}`))) {
    return 'blocked_after_failure';
  }
  if (options.isCircuitOpen?.(offer.provider, offer.gpu_type)) return 'circuit_open';
  if (offer.gpu_type !== request.gpu_type) return 'gpu_type_mismatch';
  if (offer.gpu_count < request.gpu_count) return 'gpu_count_mismatch';
  if (offer.capacity < 1 || offer.availability <= 0) return 'gpu_unavailable';
  if (request.gpu_memory_gb !== undefined && (offer.gpu_memory_gb ?? 0) < request.gpu_memory_gb) return 'gpu_memory_below_min';
  if (request.region !== 'global' && offer.region !== request.region) return 'region_mismatch';
  if (!request.allow_interruptible && offer.interruptible) return 'interruptible_not_allowed';
  if (request.max_price !== undefined && offer.price_usd_per_hour > request.max_price) return 'price_above_max';
  if (request.max_latency_ms !== undefined && offer.estimated_latency_ms > request.max_latency_ms) return 'latency_above_max';
  if (request.min_reputation !== undefined && offer.reputation < request.min_reputation) return 'reputation_below_min';
  if (options.budgetUsd !== undefined && hours !== undefined && offer.price_usd_per_hour * hours > options.budgetUsd) return 'over_budget';
  return undefined;
}

function describeViolation(
  reason: RejectionReason,
  request: RoutingRequest,
  offer: Offer,
  options: FilterOptions,
  hours: number | undefined,
): string {
  switch (reason) {
    case 'blocked_after_failure':
      return 'a deploy on this offer or provider already failed for this request';
    case 'circuit_open':
      return `circuit for ${offer.provider} is open`;
    case 'gpu_type_mismatch':
      return `offers ${offer.gpu_type}, request needs ${request.gpu_type}`;
    case 'gpu_count_mismatch':
      return `offers ${offer.gpu_count} GPU(s), request needs ${request.gpu_count}`;
    case 'gpu_unavailable':
      return 'no capacity available now';
    case 'gpu_memory_below_min':
      return `${offer.gpu_memory_gb ?? 'unknown'} GB per GPU, request needs ${request.gpu_memory_gb} GB`;
    case 'region_mismatch':
      return `in ${offer.region}, request needs ${request.region}`;
    case 'interruptible_not_allowed':
      return 'interruptible capacity, request does not allow it';
    case 'price_above_max':
      return `${offer.price_usd_per_hour} USD/h above max_price ${request.max_price}`;
    case 'latency_above_max':
      return `${offer.estimated_latency_ms} ms above max_latency_ms ${request.max_latency_ms}`;
    case 'reputation_below_min':
      return `reputation ${offer.reputation} below min_reputation ${request.min_reputation}`;
    case 'over_budget': {
      const cost = offer.price_usd_per_hour * (hours ?? 0);
      return `${cost.toFixed(2)} USD for ${hours} h exceeds budget ${options.budgetUsd} USD`;
    }
  }
}

/** Rejections counted by reason and by provider, for `NoEligibleOfferError` and the decision. */
export function countRejections(rejections: readonly OfferRejection[]): RejectionTally {
  const byReason: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  for (const rejection of rejections) {
    byReason[rejection.reason] = (byReason[rejection.reason] ?? 0) + 1;
    byProvider[rejection.provider] = (byProvider[rejection.provider] ?? 0) + 1;
  }
  return { by_reason: byReason, by_provider: byProvider };
}
