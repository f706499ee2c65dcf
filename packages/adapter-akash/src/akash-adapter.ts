import {
  AdapterCallError, InvalidArgumentError,
  type CallOptionsV1, type DeployOptionsV1, type DeployResultV1, type DeploymentStatusReportV1, type GetLogsOptionsV1,
  type HealthCheckResultV1, type ListDeploymentsOptionsV1, type ListDeploymentsResultV1, type ListOffersResultV1, type LogLine, type Offer, type ProviderAdapterV1, type RoutingRequest,
} from '@aurora/router';
import { AkashCatalog } from './akash-catalog';
import { AkashClient } from './akash-client';
import { deployOnAkash } from './akash-deploy';
import { toAuroraError } from './akash-errors';
import { checkAkashHealth } from './akash-health';
import { parseAkashListCursor, toListedDeployments } from './akash-list-deployments';
import { streamAkashLogs } from './akash-logs';
import { resolveAkashSettings, type AkashAdapterSettings, type ResolvedAkashSettings } from './akash-settings';
import { mapAkashDeploymentState } from './akash-state';
import { chooseCheapestEligibleBid } from './choose-bid';
import { convertAkashOffers } from './convert-akash-offer';
import { RecentFailures } from './recent-failures';

/** Results of finished deploys kept for idempotent replays within this process. */
const rememberedDeploys = 1_000;

/**
 * Akash Network through the Akash Console API (managed wallet, `x-api-key`). The provider
 * deployment id is the deployment's `dseq`; the lease (gseq, oseq, provider) is looked up from
 * GET /v1/deployments/{dseq} when needed, so ids survive restarts.
 */
export class AkashAdapter implements ProviderAdapterV1 {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  private readonly settings: ResolvedAkashSettings;
  private readonly client: AkashClient;
  private readonly catalog: AkashCatalog;
  private readonly failedProviders: RecentFailures;
  private readonly terminationRequested = new Set<string>();
  private readonly deploys = new Map<string, Promise<DeployResultV1>>();
  private readonly logStreams = new Set<AbortController>();

  constructor(settings: AkashAdapterSettings = {}) {
    this.settings = resolveAkashSettings(settings, chooseCheapestEligibleBid);
    this.name = this.settings.name;
    this.client = new AkashClient(this.settings);
    this.catalog = new AkashCatalog(this.client, this.settings.catalogCacheMs, this.settings.now);
    this.failedProviders = new RecentFailures(this.settings.failedProviderCooldownMs, this.settings.now);
  }

  async listOffers(request: RoutingRequest, options: CallOptionsV1 = {}): Promise<ListOffersResultV1> {
    const operation = 'list_offers';
    try {
      // Discovery is public, but offers we could not deploy are worse than none: check the key first.
      this.client.apiKey();
      const [gpuPrices, providers] = await Promise.all([
        this.client.gpuPrices({ operation, signal: options.signal }),
        this.catalog.providers({ operation, signal: options.signal }),
      ]);
      return convertAkashOffers({
        adapterName: this.name,
        request,
        gpuPrices,
        providers: [...providers.values()].map(({ profile, provider }) => ({ profile, gpuModels: provider.gpuModels ?? [] })),
        minimumUptime: this.settings.minimumUptime,
        estimatedLatencyMs: this.settings.estimatedLatencyMs,
        quotedAt: new Date(this.settings.now()).toISOString(),
      });
    } catch (error) {
      throw toAuroraError(error, this.name, operation, options.signal);
    }
  }

  /**
   * Creates the deployment, waits for bids, leases the chosen bid and waits until the services are
   * ready. Concurrent or repeated calls with the same idempotency key share one deployment.
   */
  deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    const key = options.idempotency_key;
    const existing = this.deploys.get(key);
    if (existing) return existing;
    const context = { client: this.client, catalog: this.catalog, settings: this.settings, failedProviders: this.failedProviders };
    const attempt = deployOnAkash(context, request, offer, options.signal);
    this.deploys.set(key, attempt);
    attempt.then(
      () => this.forgetOldestDeploys(),
      () => this.deploys.delete(key),
    );
    return attempt;
  }

  async getStatus(providerDeploymentId: string, options: CallOptionsV1 = {}): Promise<DeploymentStatusReportV1> {
    const dseq = parseDseq(providerDeploymentId);
    try {
      const deployment = await this.client.getDeployment(dseq, { operation: 'get_status', signal: options.signal });
      const report = mapAkashDeploymentState(deployment, { terminationRequested: this.terminationRequested.has(dseq) });
      return {
        provider_deployment_id: providerDeploymentId,
        status: report.status,
        provider_status: report.provider_status,
        endpoint: report.endpoint,
        ...(report.message ? { message: report.message } : {}),
      };
    } catch (error) {
      throw toAuroraError(error, this.name, 'get_status', options.signal);
    }
  }

  getLogs(providerDeploymentId: string, options: GetLogsOptionsV1 = {}): AsyncIterable<LogLine> {
    const context = { client: this.client, catalog: this.catalog, settings: this.settings };
    const streams = this.logStreams;
    const name = this.name;
    return {
      async *[Symbol.asyncIterator]() {
        const stop = new AbortController();
        const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
        streams.add(stop);
        try {
          yield* streamAkashLogs(context, parseDseq(providerDeploymentId), { ...options, signal });
        } catch (error) {
          if (stop.signal.aborted) return;
          throw toAuroraError(error, name, 'get_logs', options.signal);
        } finally {
          streams.delete(stop);
        }
      },
    };
  }

  /** DELETE /v1/deployments/{dseq}. Idempotent: an unknown or closed deployment resolves. */
  async terminate(providerDeploymentId: string, options: CallOptionsV1 = {}): Promise<void> {
    const dseq = parseDseq(providerDeploymentId);
    const operation = 'terminate';
    this.terminationRequested.add(dseq);
    try {
      await this.client.closeDeployment(dseq, { operation, signal: options.signal });
    } catch (error) {
      if (await this.alreadyClosed(dseq, error, options.signal)) return;
      this.terminationRequested.delete(dseq);
      throw toAuroraError(error, this.name, operation, options.signal);
    }
  }

  /** GET /v1/deployments?skip=&limit=: the account's active deployments, a page at a time. */
  async listDeployments(options: ListDeploymentsOptionsV1 = {}): Promise<ListDeploymentsResultV1> {
    const operation = 'list_deployments';
    const skip = parseAkashListCursor(options.cursor);
    try {
      const page = await this.client.listDeployments({ skip, limit: this.settings.listPageSize }, { operation, signal: options.signal });
      return toListedDeployments(page, skip, (dseq) => this.terminationRequested.has(dseq));
    } catch (error) {
      throw toAuroraError(error, this.name, operation, options.signal);
    }
  }

  async healthCheck(options: CallOptionsV1 = {}): Promise<HealthCheckResultV1> {
    return checkAkashHealth(this.client, this.settings, options.signal);
  }

  /** Ends open log streams. */
  async close(): Promise<void> {
    for (const stream of this.logStreams) stream.abort();
    this.logStreams.clear();
  }

  /** A 4xx on DELETE of a deployment that is already closed (or gone) means the work is done. */
  private async alreadyClosed(dseq: string, error: unknown, signal: AbortSignal | undefined): Promise<boolean> {
    if (!AdapterCallError.isInstance(error) || error.statusCode === undefined || error.statusCode < 400 || error.statusCode >= 500) return false;
    if ([401, 403, 429].includes(error.statusCode)) return false;
    try {
      const deployment = await this.client.getDeployment(dseq, { operation: 'terminate', signal, });
      return deployment.deployment.state.toLowerCase() === 'closed';
    } catch (lookupError) {
      return AdapterCallError.isInstance(lookupError) && lookupError.statusCode === 404;
    }
  }

  private forgetOldestDeploys(): void {
    while (this.deploys.size > rememberedDeploys) {
      const oldest = this.deploys.keys().next().value;
      if (oldest === undefined) return;
      this.deploys.delete(oldest);
    }
  }
}

/** Same as `new AkashAdapter(settings)`; reads no environment until the first call. */
export function createAkash(settings: AkashAdapterSettings = {}): AkashAdapter {
  return new AkashAdapter(settings);
}

/** `1234567` or `akash:1234567` -> `1234567`. */
export function parseDseq(providerDeploymentId: string): string {
  const dseq = providerDeploymentId.trim().replace(/^akash:/, '');
  if (!/^\d{1,20}$/.test(dseq)) {
    throw new InvalidArgumentError({ issues: [{ field: 'provider_deployment_id', reason: `"${providerDeploymentId}" is not an Akash dseq` }] });
  }
  return dseq;
}
