import type { DeploymentStatus } from '../schemas/deployment';
import type { LogLine } from '../schemas/log-line';
import type { Offer, OfferInput } from '../schemas/offer';
import type { RoutingRequest } from '../schemas/routing-request';

export type CallOptionsV1 = { signal?: AbortSignal };

export type ListOffersResultV1 = {
  /** Offers for this request, normalised; the router validates each one with `offerSchema`. */
  offers: OfferInput[];
  /** Records the adapter skipped (malformed, unknown GPU, ...), said in words. Never thrown. */
  warnings?: string[];
};

export type DeployOptionsV1 = CallOptionsV1 & {
  /** Stable for one logical deployment across retries; adapters pass it on where the API allows. */
  idempotency_key: string;
};

export type DeployResultV1 = {
  provider_deployment_id: string;
  status: DeploymentStatus;
  provider_status: string;
  endpoint?: string | null;
  /** The price the provider really charges, when it differs from the offer (e.g. an auction). */
  price_usd_per_hour?: number;
  /**
   * USD the placement costs whatever the running time: a prepaid term (io.net bills whole hours up
   * front), a minimum charge. The deployment's cost starts at this amount, and running time only
   * adds to it once price x running time exceeds it.
   */
  committed_cost_usd?: number;
  provider_metadata?: Record<string, unknown>;
};

export type DeploymentStatusReportV1 = {
  provider_deployment_id: string;
  status: DeploymentStatus;
  /** The provider's own state, unmapped, for people and debugging. */
  provider_status: string;
  endpoint?: string | null;
  message?: string;
  started_at?: string;
};

export type ListDeploymentsOptionsV1 = CallOptionsV1 & {
  /** The `next_cursor` of the previous page; absent for the first page. */
  cursor?: string;
};

/** One live deployment of the provider account, as `listDeployments` reports it. */
export type ListedDeploymentV1 = {
  provider_deployment_id: string;
  status: DeploymentStatus;
  /** The provider's own state, unmapped. */
  provider_status: string;
  /** ISO timestamp of the deployment's creation, when the provider tells it (not a block height). */
  created_at?: string;
};

export type ListDeploymentsResultV1 = {
  deployments: ListedDeploymentV1[];
  /** Present when more pages follow: pass it as `cursor` to get the next one. */
  next_cursor?: string;
};

export type GetLogsOptionsV1 = CallOptionsV1 & {
  follow?: boolean;
  /** ISO timestamp: only lines at or after it. */
  since?: string;
  /** Only the last N lines before following. */
  tail?: number;
};

export type HealthCheckResultV1 = { healthy: boolean; latency_ms?: number; message?: string };

/**
 * Specification v1 of a provider adapter. Adapters fetch and normalise; the core filters, scores
 * and decides. Every method throws only Aurora errors (`AdapterCallError`,
 * `InvalidResponseDataError`, `ConfigurationError`). Nothing happens at import or construction:
 * credentials load on first call.
 */
export type ProviderAdapterV1 = {
  readonly specificationVersion: 'v1';
  /** Stable, kebab-case provider id: 'akash', 'ionet'. */
  readonly name: string;
  /** True for simulated providers, shown in /providers. */
  readonly simulated?: boolean;
  listOffers(request: RoutingRequest, options?: CallOptionsV1): Promise<ListOffersResultV1>;
  deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1>;
  getStatus(providerDeploymentId: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1>;
  getLogs(providerDeploymentId: string, options?: GetLogsOptionsV1): AsyncIterable<LogLine>;
  /** Idempotent: terminating a terminated or unknown deployment resolves. */
  terminate(providerDeploymentId: string, options?: CallOptionsV1): Promise<void>;
  healthCheck(options?: CallOptionsV1): Promise<HealthCheckResultV1>;
  /**
   * Finds the deployment created with this idempotency key, if the provider can tell (e.g. by a
   * unique name). Lets the reconciler resolve an intent whose deploy answer was lost in a crash.
   * Optional: without it such intents are marked failed after a grace period.
   */
  findDeployment?(idempotencyKey: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1 | undefined>;
  /**
   * One page of the account's live deployments (closed or terminated ones are left out), whoever
   * created them. Lets the reconciler find orphans: deployments the provider runs and bills that
   * the ledger does not know, left by a crash between the provider accepting a deploy and the
   * ledger write. Optional: without it orphans cannot be swept on this provider.
   */
  listDeployments?(options?: ListDeploymentsOptionsV1): Promise<ListDeploymentsResultV1>;
  /** Releases sockets and timers. */
  close?(): Promise<void>;
};

/** The adapter versions this router accepts. */
export type ProviderAdapter = ProviderAdapterV1;
