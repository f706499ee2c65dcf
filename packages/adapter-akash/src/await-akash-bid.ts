import type { Offer, RoutingRequest } from '@aurora/router';
import type { AkashBid } from './akash-api';
import type { AkashCatalog } from './akash-catalog';
import type { AkashClient } from './akash-client';
import { akashFailure } from './akash-errors';
import { akashDenomKind, akashPricePerBlockToUsdPerHour } from './akash-price';
import type { ResolvedAkashSettings } from './akash-settings';
import type { AkashBidCandidate } from './choose-bid';
import { pollUntil } from './poll-until';
import type { RecentFailures } from './recent-failures';

export type AwaitAkashBidInput = {
  client: AkashClient;
  catalog: AkashCatalog;
  settings: ResolvedAkashSettings;
  failedProviders: RecentFailures;
  request: RoutingRequest;
  offer: Offer;
  dseq: string;
  signal?: AbortSignal;
};

const operation = 'deploy';

/**
 * Polls GET /v1/bids until the chooser accepts a bid. After the first acceptable bid it keeps
 * collecting for `bidWindowMs` (better prices often arrive seconds later), never past the bid
 * timeout. Throws `no_bids` / `no_acceptable_bid` (retryable, scope provider) when time runs out.
 */
export async function awaitAkashBid(input: AwaitAkashBidInput): Promise<AkashBidCandidate> {
  const { client, settings, dseq, signal } = input;
  const started = settings.now();
  const deadline = started + settings.bidTimeoutMs;
  let sawOpenBid = false;
  let best: AkashBidCandidate | undefined;
  let firstAcceptableAt: number | undefined;

  const chosen = await pollUntil({
    intervalMs: settings.pollIntervalMs,
    timeoutMs: settings.bidTimeoutMs,
    now: settings.now,
    signal,
    check: async () => {
      const bids = await client.listBids(dseq, { operation, signal });
      const open = bids.filter((bid) => bid.state.toLowerCase() === 'open');
      if (open.length === 0) return undefined;
      sawOpenBid = true;
      const candidates = await toCandidates(input, open);
      const providers = await input.catalog.profiles(candidates.map((candidate) => candidate.provider), { operation, signal });
      const choice = await settings.chooseBid({
        request: input.request,
        offer: input.offer,
        bids: candidates,
        providers,
        recentlyFailedProviders: input.failedProviders.current(),
        minimumUptime: settings.minimumUptime,
      });
      if (!choice) return undefined;
      best = choice;
      firstAcceptableAt ??= settings.now();
      const windowOver = settings.now() - firstAcceptableAt >= settings.bidWindowMs;
      const noTimeForAnotherLook = settings.now() + settings.pollIntervalMs >= deadline;
      return windowOver || noTimeForAnotherLook ? choice : undefined;
    },
  });
  const result = chosen ?? best;
  if (result) return result;
  const seconds = Math.round(settings.bidTimeoutMs / 100) / 10;
  throw akashFailure({
    adapterId: settings.name,
    operation,
    reason: sawOpenBid ? 'no_acceptable_bid' : 'no_bids',
    scope: 'provider',
    url: client.baseURL() + `/v1/bids?dseq=${dseq}`,
    message: sawOpenBid
      ? `akash: no bid for deployment ${dseq} met the request (region, reputation, uptime, price) within ${seconds} s`
      : `akash: no provider bid on deployment ${dseq} within ${seconds} s`,
  });
}

/** Open bids with their price in USD per hour; bids in a denom we cannot price are left out. */
async function toCandidates(input: AwaitAkashBidInput, bids: readonly AkashBid[]): Promise<AkashBidCandidate[]> {
  const needsAkt = bids.some((bid) => akashDenomKind(bid.price.denom) === 'akt');
  const aktUsd = needsAkt ? await input.catalog.aktUsd({ operation, signal: input.signal }) : undefined;
  const candidates: AkashBidCandidate[] = [];
  for (const bid of bids) {
    if (akashDenomKind(bid.price.denom) === undefined) continue;
    const price = Number(bid.price.amount);
    if (!Number.isFinite(price) || price < 0) continue;
    candidates.push({
      dseq: bid.id.dseq,
      gseq: bid.id.gseq,
      oseq: bid.id.oseq,
      ...(bid.id.bseq !== null && bid.id.bseq !== undefined ? { bseq: bid.id.bseq } : {}),
      provider: bid.id.provider,
      denom: bid.price.denom,
      amount: bid.price.amount,
      price_usd_per_hour: akashPricePerBlockToUsdPerHour(price, bid.price.denom, { aktUsd }),
    });
  }
  return candidates;
}
