import type { Offer, RoutingRequest } from '@aurora/router';
import type { AkashProviderProfile } from './akash-provider-profile';

/** One open bid, with its price converted to USD per hour (whole placement group). */
export type AkashBidCandidate = {
  dseq: string;
  gseq: number;
  oseq: number;
  bseq?: number;
  provider: string;
  denom: string;
  /** Micro-units per block, as the API sends it. */
  amount: string;
  price_usd_per_hour: number;
};

export type AkashBidChoiceContext = {
  request: RoutingRequest;
  offer: Offer;
  /** Open bids only. */
  bids: readonly AkashBidCandidate[];
  /** Provider profiles by address (from GET /v1/providers); a bidder may be missing. */
  providers: ReadonlyMap<string, AkashProviderProfile>;
  /** Akash providers that recently failed a lease for this adapter; avoid them when possible. */
  recentlyFailedProviders: ReadonlySet<string>;
  /** 0-1, from the adapter settings. */
  minimumUptime: number;
};

/** Picks the bid to accept, or `undefined` to keep waiting for better bids (until the bid timeout). */
export type ChooseAkashBid = (context: AkashBidChoiceContext) => AkashBidCandidate | undefined | Promise<AkashBidCandidate | undefined>;

/**
 * The default: among bids from providers that are known, online, in the request's region (any for
 * `global`), at or above the request's `min_reputation` and the minimum uptime, and within
 * `max_price`, take the cheapest. Ties and preferences, in order: providers that have not failed
 * recently, providers in the chosen offer's region, higher reputation, then the provider address.
 */
export const chooseCheapestEligibleBid: ChooseAkashBid = (context) => {
  const eligible = context.bids.filter((bid) => isEligible(bid, context));
  eligible.sort((a, b) => compareBids(a, b, context));
  return eligible[0];
};

export function isEligible(bid: AkashBidCandidate, context: AkashBidChoiceContext): boolean {
  const profile = context.providers.get(bid.provider);
  if (!profile || !profile.isOnline) return false;
  const { request } = context;
  if (request.region !== 'global' && profile.region !== request.region) return false;
  if (request.min_reputation !== undefined && profile.reputation < request.min_reputation) return false;
  if ((profile.uptime ?? 0) < context.minimumUptime) return false;
  if (request.max_price !== undefined && bid.price_usd_per_hour > request.max_price) return false;
  return true;
}

function compareBids(a: AkashBidCandidate, b: AkashBidCandidate, context: AkashBidChoiceContext): number {
  const failedA = context.recentlyFailedProviders.has(a.provider) ? 1 : 0;
  const failedB = context.recentlyFailedProviders.has(b.provider) ? 1 : 0;
  if (failedA !== failedB) return failedA - failedB;
  const offerRegion = context.offer.region;
  if (offerRegion !== 'global') {
    const inA = context.providers.get(a.provider)?.region === offerRegion ? 0 : 1;
    const inB = context.providers.get(b.provider)?.region === offerRegion ? 0 : 1;
    if (inA !== inB) return inA - inB;
  }
  if (a.price_usd_per_hour !== b.price_usd_per_hour) return a.price_usd_per_hour - b.price_usd_per_hour;
  const reputationA = context.providers.get(a.provider)?.reputation ?? 0;
  const reputationB = context.providers.get(b.provider)?.reputation ?? 0;
  if (reputationA !== reputationB) return reputationB - reputationA;
  return a.provider.localeCompare(b.provider);
}
