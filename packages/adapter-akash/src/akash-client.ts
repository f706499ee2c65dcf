import { createJsonClient, loadApiKey, loadOptionalSetting, type JsonClient } from '@aurora/adapter-utils';
import type { AdapterErrorScope } from '@aurora/router';
import {
  blockchainStatusResponseSchema, closeDeploymentResponseSchema, createDeploymentResponseSchema,
  createJwtTokenResponseSchema, deploymentResponseSchema, gpuPricesResponseSchema, healthzResponseSchema,
  listBidsResponseSchema, listDeploymentsResponseSchema, marketDataResponseSchema, providerListResponseSchema, providerSchema,
} from './akash-api';
import { defaultAkashBaseURL, type ResolvedAkashSettings } from './akash-settings';
import { VERSION } from './version';

export type AkashCallOptions = { operation: string; signal?: AbortSignal };

export type AkashLeaseRequest = { dseq: string; gseq: number; oseq: number; provider: string };

/**
 * Typed calls to the Akash Console API. The base URL and the API key are read on first use, never
 * at construction. Every call goes through `@aurora/adapter-utils` (timeout, abort, typed errors).
 */
export class AkashClient {
  private client: JsonClient | undefined;

  constructor(private readonly settings: ResolvedAkashSettings) {}

  /** Throws `ConfigurationError` when no API key is configured. */
  apiKey(): string {
    return loadApiKey({
      value: this.settings.apiKey,
      environmentVariableName: 'AKASH_API_KEY',
      description: 'Akash Console API key',
      environment: this.settings.environment,
    });
  }

  baseURL(): string {
    return this.json().url('/').replace(/\/$/, '');
  }

  gpuPrices(options: AkashCallOptions) {
    return this.get('/v1/gpu-prices', gpuPricesResponseSchema, options);
  }

  providers(options: AkashCallOptions) {
    return this.get('/v1/providers', providerListResponseSchema, options, { scope: 'all' });
  }

  provider(address: string, options: AkashCallOptions) {
    return this.get(`/v1/providers/${encodeURIComponent(address)}`, providerSchema, options);
  }

  marketData(options: AkashCallOptions) {
    return this.get('/v1/market-data', marketDataResponseSchema, options);
  }

  /** POST /v1/deployments with the wrapped body the console code requires. */
  createDeployment(sdl: string, depositUsd: number, options: AkashCallOptions) {
    return this.value(this.json().post('/v1/deployments', { data: { sdl, deposit: depositUsd } }, createDeploymentResponseSchema, this.callOptions(options)));
  }

  listBids(dseq: string, options: AkashCallOptions) {
    return this.get('/v1/bids', listBidsResponseSchema, options, { dseq }).then((value) => value.data);
  }

  /** POST /v1/leases: creates the lease and sends the manifest. The body is not wrapped in `data`. */
  createLease(manifest: string, lease: AkashLeaseRequest, options: AkashCallOptions) {
    return this.value(this.json().post('/v1/leases', { manifest, leases: [lease] }, deploymentResponseSchema, this.callOptions(options))).then((value) => value.data);
  }

  getDeployment(dseq: string, options: AkashCallOptions) {
    return this.get(`/v1/deployments/${encodeURIComponent(dseq)}`, deploymentResponseSchema, options).then((value) => value.data);
  }

  /** GET /v1/deployments: one page of the account's active deployments. */
  listDeployments(page: { skip: number; limit: number }, options: AkashCallOptions) {
    return this.get('/v1/deployments', listDeploymentsResponseSchema, options, { skip: String(page.skip), limit: String(page.limit) }).then((value) => value.data);
  }

  /** DELETE /v1/deployments/{dseq}; resolves to the HTTP status (404 is not an error here). */
  async closeDeployment(dseq: string, options: AkashCallOptions): Promise<number> {
    const result = await this.json().delete(`/v1/deployments/${encodeURIComponent(dseq)}`, closeDeploymentResponseSchema, { ...this.callOptions(options), acceptStatuses: [404] });
    return result.status;
  }

  /** A provider JWT for `scope` on one provider's leases (granular access). */
  createJwtToken(provider: string, scope: readonly string[], ttlSeconds: number, options: AkashCallOptions) {
    const body = { data: { ttl: ttlSeconds, leases: { access: 'granular', permissions: [{ provider, access: 'scoped', scope }] } } };
    return this.value(this.json().post('/v1/create-jwt-token', body, createJwtTokenResponseSchema, this.callOptions(options))).then((value) => value.data.token);
  }

  /** GET /v1/healthz/{liveness|readiness}, public; 500/503 answers are read, not thrown. */
  async healthz(kind: 'liveness' | 'readiness', options: AkashCallOptions) {
    const result = await this.json().get(`/v1/healthz/${kind}`, healthzResponseSchema, { ...this.publicCallOptions(options), acceptStatuses: [500, 503] });
    return { status: result.status, checks: result.value.data ?? {} };
  }

  blockchainStatus(options: AkashCallOptions) {
    return this.value(this.json().get('/v1/blockchain-status', blockchainStatusResponseSchema, this.publicCallOptions(options)));
  }

  private get<Schema extends Parameters<JsonClient['get']>[1]>(path: string, schema: Schema, options: AkashCallOptions, query?: Record<string, string>) {
    return this.value(this.json().get(path, schema, { ...this.callOptions(options), ...(query ? { query } : {}) }));
  }

  private async value<T>(call: Promise<{ value: T }>): Promise<T> {
    return (await call).value;
  }

  private callOptions(options: AkashCallOptions) {
    return { ...this.publicCallOptions(options), headers: { 'x-api-key': this.apiKey() } };
  }

  private publicCallOptions(options: AkashCallOptions) {
    return { operation: options.operation, signal: options.signal, scopeForStatus };
  }

  private json(): JsonClient {
    if (!this.client) {
      const baseURL = this.settings.baseURL
        ?? loadOptionalSetting({ environmentVariableName: 'AKASH_BASE_URL', description: 'Akash Console API base URL', environment: this.settings.environment })
        ?? defaultAkashBaseURL;
      this.client = createJsonClient({
        adapterId: this.settings.name,
        baseURL,
        headers: () => ({ 'user-agent': `aurora-router/adapter-akash ${VERSION}`, ...this.settings.headers }),
        fetch: this.settings.fetch,
        timeoutMs: this.settings.timeoutMs,
      });
    }
    return this.client;
  }
}

/** Credentials and rate limits concern every call to Akash, so the router blocks the whole provider. */
function scopeForStatus(status: number): AdapterErrorScope | undefined {
  return status === 401 || status === 403 || status === 429 ? 'provider' : undefined;
}
