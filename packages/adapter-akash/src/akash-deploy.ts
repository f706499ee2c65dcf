import { AdapterCallError, type DeployResultV1, type Offer, type RoutingRequest } from '@aurora/router';
import { abortableSleep } from './abortable-sleep';
import type { AkashDeployment } from './akash-api';
import type { AkashCatalog } from './akash-catalog';
import type { AkashClient } from './akash-client';
import { akashFailure, toAuroraError } from './akash-errors';
import { akashSdlForRequest } from './akash-sdl-for-request';
import type { ResolvedAkashSettings } from './akash-settings';
import { mapAkashDeploymentState, type AkashStateReport } from './akash-state';
import { awaitAkashBid } from './await-akash-bid';
import type { AkashBidCandidate } from './choose-bid';
import { pollUntil } from './poll-until';
import type { RecentFailures } from './recent-failures';

export type AkashDeployContext = {
  client: AkashClient;
  catalog: AkashCatalog;
  settings: ResolvedAkashSettings;
  failedProviders: RecentFailures;
};

const operation = 'deploy';

/**
 * The happy path of the reference: POST /v1/deployments (SDL) -> poll bids -> choose one ->
 * POST /v1/leases (lease tx + manifest) -> poll GET /v1/deployments/{dseq} until the services are
 * ready. Any failure after the deployment exists closes it (DELETE) before the error is thrown, so
 * a half-made deployment never keeps billing; the caller's abort does not stop that cleanup.
 */
export async function deployOnAkash(context: AkashDeployContext, request: RoutingRequest, offer: Offer, signal?: AbortSignal): Promise<DeployResultV1> {
  const { client, settings } = context;
  try {
    const aktUsd = settings.denom === 'uakt' ? await context.catalog.aktUsd({ operation, signal }) : undefined;
    const sdl = akashSdlForRequest(request, offer, settings, aktUsd);
    const created = await client.createDeployment(sdl.yaml, settings.depositUsd, { operation, signal });
    try {
      return await placeDeployment(context, request, offer, created.dseq, created.manifest, signal);
    } catch (error) {
      throw await closeAfterFailure(context, created.dseq, toAuroraError(error, settings.name, operation, signal));
    }
  } catch (error) {
    throw toAuroraError(error, settings.name, operation, signal);
  }
}

async function placeDeployment(
  context: AkashDeployContext,
  request: RoutingRequest,
  offer: Offer,
  dseq: string,
  manifest: string | undefined,
  signal: AbortSignal | undefined,
): Promise<DeployResultV1> {
  const { settings } = context;
  if (!manifest) {
    throw akashFailure({
      adapterId: settings.name, operation, reason: 'manifest_missing', scope: 'provider',
      message: `akash: POST /v1/deployments answered without a manifest for deployment ${dseq}; a lease cannot be created`,
    });
  }
  const bid = await awaitAkashBid({ ...context, request, offer, dseq, signal });
  const leased = await acceptBid(context, dseq, manifest, bid, signal);
  const report = await awaitLeaseReady(context, dseq, bid, leased, signal);
  return {
    provider_deployment_id: dseq,
    status: report.status,
    provider_status: report.provider_status,
    endpoint: report.endpoint,
    price_usd_per_hour: bid.price_usd_per_hour,
    provider_metadata: {
      akash: {
        dseq, gseq: bid.gseq, oseq: bid.oseq, bseq: bid.bseq ?? null, provider: bid.provider,
        price: { denom: bid.denom, amount: bid.amount },
      },
    },
  };
}

/**
 * POST /v1/leases. When it fails, the lease may exist anyway (the server is idempotent and may have
 * timed out after the transaction), or the bid may have gone: look before deciding.
 */
async function acceptBid(context: AkashDeployContext, dseq: string, manifest: string, bid: AkashBidCandidate, signal: AbortSignal | undefined): Promise<AkashDeployment> {
  const { client, settings } = context;
  try {
    return await client.createLease(manifest, { dseq, gseq: bid.gseq, oseq: bid.oseq, provider: bid.provider }, { operation, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    const current = await client.getDeployment(dseq, { operation, signal }).catch(() => undefined);
    const lease = current?.leases.find((entry) => entry.id.provider === bid.provider && entry.state.toLowerCase() === 'active');
    if (current && lease) return current;
    if (AdapterCallError.isInstance(error) && [401, 403, 429].includes(error.statusCode ?? 0)) throw error;
    const bids = await client.listBids(dseq, { operation, signal }).catch(() => undefined);
    const stillOpen = bids?.some(
      (entry) => entry.id.provider === bid.provider && entry.id.gseq === bid.gseq && entry.id.oseq === bid.oseq && entry.state.toLowerCase() === 'open',
    );
    if (bids && !stillOpen) {
      context.failedProviders.add(bid.provider);
      throw akashFailure({
        adapterId: settings.name, operation, reason: 'bid_vanished', cause: error,
        message: `akash: the bid of ${bid.provider} on deployment ${dseq} was no longer open when the lease was created`,
      });
    }
    throw error;
  }
}

/** Polls the deployment until its services are ready; `lease_not_ready` after `leaseReadyTimeoutMs`. */
async function awaitLeaseReady(
  context: AkashDeployContext,
  dseq: string,
  bid: AkashBidCandidate,
  leased: AkashDeployment,
  signal: AbortSignal | undefined,
): Promise<AkashStateReport> {
  const { client, settings } = context;
  const initial = mapAkashDeploymentState(leased, { terminationRequested: false });
  if (initial.status === 'running' || (settings.leaseReadyTimeoutMs <= 0 && initial.status !== 'failed')) return initial;
  let last = initial;
  const settled = initial.status === 'failed' ? initial : await pollUntil<AkashStateReport>({
    intervalMs: settings.pollIntervalMs,
    timeoutMs: settings.leaseReadyTimeoutMs,
    now: settings.now,
    signal,
    check: async () => {
      last = mapAkashDeploymentState(await client.getDeployment(dseq, { operation, signal }), { terminationRequested: false });
      return ['running', 'failed', 'terminated'].includes(last.status) ? last : undefined;
    },
  });
  if (settled?.status === 'running') return settled;
  context.failedProviders.add(bid.provider);
  if (settled) {
    throw akashFailure({
      adapterId: settings.name, operation, reason: 'lease_failed',
      scope: /funds/i.test(settled.message ?? '') ? 'provider' : 'offer',
      message: `akash: the lease of deployment ${dseq} with ${bid.provider} ended before it was ready (${settled.message ?? settled.provider_status})`,
    });
  }
  throw akashFailure({
    adapterId: settings.name, operation, reason: 'lease_not_ready',
    message: `akash: the lease of deployment ${dseq} with ${bid.provider} was not ready within ${Math.round(settings.leaseReadyTimeoutMs / 100) / 10} s (${last.provider_status})`,
  });
}

/** Closes the deployment (up to 3 tries, not bound to the caller's signal) and returns `failure`, annotated when closing failed. */
async function closeAfterFailure(context: AkashDeployContext, dseq: string, failure: ReturnType<typeof toAuroraError>) {
  failure.details['akash_dseq'] = dseq;
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await context.client.closeDeployment(dseq, { operation: 'deploy_cleanup' });
      failure.details['cleanup'] = 'closed';
      return failure;
    } catch (error) {
      lastError = error;
      if (AdapterCallError.isInstance(error) && !error.isRetryable) break;
      if (attempt < 3) await abortableSleep(Math.min(1_000, context.settings.pollIntervalMs));
    }
  }
  failure.details['cleanup'] = 'failed';
  failure.message += ` (closing deployment ${dseq} failed too: ${lastError instanceof Error ? lastError.message : String(lastError)}; it may still be open)`;
  return failure;
}
