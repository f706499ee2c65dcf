import type { FetchFunction } from '@aurora/adapter-utils';
import type { ChooseAkashBid } from './choose-bid';

export type AkashAdapterSettings = {
  /** Console API key. Default: env `AKASH_API_KEY`, or the file named by `AKASH_API_KEY_FILE`. Loaded on first use. */
  apiKey?: string;
  /** Console API base URL. Default: env `AKASH_BASE_URL`, else https://console-api.akash.network. */
  baseURL?: string;
  /** Extra headers on every Console API call. */
  headers?: Record<string, string>;
  /** The fetch used for every Console API call (tests, proxies, instrumentation). */
  fetch?: FetchFunction;
  /** Adapter id; default `akash`. */
  name?: string;
  /** Per HTTP call; default 30 s. */
  timeoutMs?: number;
  /** How long `deploy` waits for an acceptable bid; default 180 s. */
  bidTimeoutMs?: number;
  /** After the first acceptable bid, keep collecting bids this long for a better price; default 5 s. */
  bidWindowMs?: number;
  /** How long `deploy` waits for the lease's services to be ready; default 10 min. 0 = return at `provisioning`. */
  leaseReadyTimeoutMs?: number;
  /** Poll interval for bids and lease status; default 3 s (Console's own example). */
  pollIntervalMs?: number;
  /** Picks the bid to accept; default `chooseCheapestEligibleBid`. */
  chooseBid?: ChooseAkashBid;
  /** Providers below this uptime (0-1) get no offers and no leases; default 0.9. */
  minimumUptime?: number;
  /** Denom of the SDL price ceiling (bids come in the same denom); default `uact`. */
  denom?: 'uact' | 'uakt';
  /** USD deposit sent on create (ignored by Console when managed deposits are on); default 5. */
  depositUsd?: number;
  /** Without `max_price`, the SDL ceiling is the offer price times this; default 1.5. */
  priceCeilingMultiplier?: number;
  /** Resources besides the GPUs, per GPU for CPU and memory. */
  resources?: { cpuUnitsPerGpu?: number; memoryGiPerGpu?: number; storageGi?: number };
  /** Image for requests that name none; default `ubuntu:24.04` running `sleep infinity`. */
  defaultImage?: string;
  /** SDL service name; default `worker`. */
  serviceName?: string;
  /** Reported on offers (Akash publishes no latency figures); default 150 ms. */
  estimatedLatencyMs?: number;
  /** Lifetime of the provider JWT minted for logs, seconds; default 900 (Console allows up to 1800). */
  jwtTtlSeconds?: number;
  /**
   * TLS towards provider gateways (logs). Providers use self-signed certificates, so the default
   * does not verify them, as Console's own proxy does; set `rejectUnauthorized: true` with a `ca` to pin.
   */
  providerTls?: { rejectUnauthorized?: boolean; ca?: string | Buffer | Array<string | Buffer> };
  /** Reconnects of a followed log stream in a row without a line in between; default 5. */
  maxLogReconnects?: number;
  /** How long a provider that failed a lease is avoided by the bid chooser; default 10 min. */
  failedProviderCooldownMs?: number;
  /** How long GET /v1/providers and the AKT price are reused; default 60 s. */
  catalogCacheMs?: number;
  /** Deployments per GET /v1/deployments page in `listDeployments`; default 100. */
  listPageSize?: number;
  /** Environment to read `AKASH_*` from; default `process.env`. */
  environment?: Record<string, string | undefined>;
  /** Milliseconds since the epoch; default `Date.now`. */
  now?: () => number;
};

export type ResolvedAkashSettings = Required<Omit<AkashAdapterSettings, 'apiKey' | 'baseURL' | 'headers' | 'fetch' | 'providerTls' | 'environment' | 'resources'>> & {
  apiKey: string | undefined;
  baseURL: string | undefined;
  headers: Record<string, string>;
  fetch: FetchFunction | undefined;
  providerTls: { rejectUnauthorized: boolean; ca?: string | Buffer | Array<string | Buffer> };
  environment: Record<string, string | undefined> | undefined;
  resources: { cpuUnitsPerGpu: number; memoryGiPerGpu: number; storageGi: number };
};

export const defaultAkashBaseURL = 'https://console-api.akash.network';

/** Settings with defaults filled in. Reads no environment (that happens lazily, per call). */
export function resolveAkashSettings(settings: AkashAdapterSettings, chooseBid: ChooseAkashBid): ResolvedAkashSettings {
  return {
    apiKey: settings.apiKey,
    baseURL: settings.baseURL,
    headers: { ...settings.headers },
    fetch: settings.fetch,
    name: settings.name ?? 'akash',
    timeoutMs: settings.timeoutMs ?? 30_000,
    bidTimeoutMs: settings.bidTimeoutMs ?? 180_000,
    bidWindowMs: settings.bidWindowMs ?? 5_000,
    leaseReadyTimeoutMs: settings.leaseReadyTimeoutMs ?? 600_000,
    pollIntervalMs: settings.pollIntervalMs ?? 3_000,
    chooseBid: settings.chooseBid ?? chooseBid,
    minimumUptime: settings.minimumUptime ?? 0.9,
    denom: settings.denom ?? 'uact',
    depositUsd: settings.depositUsd ?? 5,
    priceCeilingMultiplier: settings.priceCeilingMultiplier ?? 1.5,
    resources: {
      cpuUnitsPerGpu: settings.resources?.cpuUnitsPerGpu ?? 4,
      memoryGiPerGpu: settings.resources?.memoryGiPerGpu ?? 16,
      storageGi: settings.resources?.storageGi ?? 50,
    },
    defaultImage: settings.defaultImage ?? 'ubuntu:24.04',
    serviceName: settings.serviceName ?? 'worker',
    estimatedLatencyMs: settings.estimatedLatencyMs ?? 150,
    jwtTtlSeconds: settings.jwtTtlSeconds ?? 900,
    providerTls: { rejectUnauthorized: settings.providerTls?.rejectUnauthorized ?? false, ...(settings.providerTls?.ca ? { ca: settings.providerTls.ca } : {}) },
    maxLogReconnects: settings.maxLogReconnects ?? 5,
    failedProviderCooldownMs: settings.failedProviderCooldownMs ?? 600_000,
    catalogCacheMs: settings.catalogCacheMs ?? 60_000,
    listPageSize: settings.listPageSize ?? 100,
    environment: settings.environment,
    now: settings.now ?? Date.now,
  };
}
