import { createJsonClient, type JsonClient } from '@aurora/adapter-utils';
import {
  AdapterCallError, AuroraError,
  type CallOptionsV1, type DeployOptionsV1, type DeployResultV1, type DeploymentStatusReportV1, type GetLogsOptionsV1,
  type HealthCheckResultV1, type ListOffersResultV1, type LogLine, type Offer, type OfferInput, type ProviderAdapterV1,
  type RoutingRequest,
} from '@aurora/router';
import { convertLumenMachine } from './convert-lumen-machine';
import {
  lumenHealthSchema, lumenInstanceResponseSchema, lumenLogPageSchema, lumenMachineListSchema,
  lumenTerminateResponseSchema, type LumenInstance, type LumenLogPage,
} from './lumen-api';
import type { LumenConfig } from './lumen-config';
import { mapLumenState } from './map-lumen-state';

/**
 * Aurora adapter for Lumen GPU Cloud. It fetches and normalises; the router filters, scores and
 * decides. Nothing happens at construction: the base URL and API key are read on the first call.
 */
export class LumenAdapter implements ProviderAdapterV1 {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  private jsonClient: JsonClient | undefined;

  constructor(private readonly config: LumenConfig) {
    this.name = config.name;
  }

  async listOffers(request: RoutingRequest, options: CallOptionsV1 = {}): Promise<ListOffersResultV1> {
    const { value } = await this.client().get('/machines', lumenMachineListSchema, {
      operation: 'list_offers',
      signal: options.signal,
      query: { gpu: request.gpu_type, min_gpus: request.gpu_count },
    });
    const quotedAt = new Date().toISOString();
    const offers: OfferInput[] = [];
    const warnings: string[] = [];
    for (const machine of value.machines) {
      const converted = convertLumenMachine(machine, request, this.name, quotedAt);
      if (converted.offer) offers.push(converted.offer);
      else warnings.push(converted.warning);
    }
    return { offers, warnings };
  }

  async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    const body = {
      machine_id: offer.offer_id,
      image: request.image,
      env: request.env,
      ports: request.ports,
      command: request.command,
      // Lumen deduplicates creates by client_token, so a retried deploy never rents twice.
      client_token: options.idempotency_key,
    };
    try {
      const { value } = await this.client().post('/instances', body, lumenInstanceResponseSchema, { operation: 'deploy', signal: options.signal });
      const instance = value.instance;
      return {
        provider_deployment_id: instance.id,
        status: mapLumenState(instance.state),
        provider_status: instance.state,
        endpoint: instance.public_url ?? null,
        ...(instance.hourly_usd != null ? { price_usd_per_hour: instance.hourly_usd } : {}),
      };
    } catch (error) {
      throw machineTakenAsCapacityError(error, this.name);
    }
  }

  async getStatus(providerDeploymentId: string, options: CallOptionsV1 = {}): Promise<DeploymentStatusReportV1> {
    const { value } = await this.client().get(`/instances/${encodeURIComponent(providerDeploymentId)}`, lumenInstanceResponseSchema, {
      operation: 'get_status',
      signal: options.signal,
    });
    return toStatusReport(value.instance);
  }

  async *getLogs(providerDeploymentId: string, options: GetLogsOptionsV1 = {}): AsyncIterable<LogLine> {
    const { signal } = options;
    const path = `/instances/${encodeURIComponent(providerDeploymentId)}/logs`;
    let page = await this.logPage(path, { tail: options.tail, since: options.since }, signal);
    yield* toLogLines(page);
    if (!options.follow) return;
    // Lumen has no streaming endpoint: follow by polling from the last cursor until the instance
    // stops or the caller aborts (which ends the iteration quietly).
    while (!page.ended) {
      if (!(await pause(this.config.logPollIntervalMs, signal))) return;
      try {
        page = await this.logPage(path, { after: page.next_cursor ?? undefined }, signal);
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
      yield* toLogLines(page);
    }
  }

  async terminate(providerDeploymentId: string, options: CallOptionsV1 = {}): Promise<void> {
    // 404: Lumen no longer knows the instance, which is what terminate wants.
    await this.client().delete(`/instances/${encodeURIComponent(providerDeploymentId)}`, lumenTerminateResponseSchema, {
      operation: 'terminate',
      signal: options.signal,
      acceptStatuses: [404],
    });
  }

  async healthCheck(options: CallOptionsV1 = {}): Promise<HealthCheckResultV1> {
    const started = performance.now();
    try {
      const { value } = await this.client().get('/health', lumenHealthSchema, { operation: 'health_check', signal: options.signal });
      const latency = Math.round(performance.now() - started);
      return value.status === 'ok'
        ? { healthy: true, latency_ms: latency }
        : { healthy: false, latency_ms: latency, message: `Lumen reports status "${value.status}"` };
    } catch (error) {
      // A failing provider is an answer ("unhealthy"); the caller giving up is not.
      if (options.signal?.aborted || !AuroraError.isInstance(error)) throw error;
      return { healthy: false, message: error.message };
    }
  }

  private client(): JsonClient {
    this.jsonClient ??= createJsonClient({
      adapterId: this.name,
      baseURL: this.config.baseURL(),
      headers: this.config.headers,
      fetch: this.config.fetch,
      timeoutMs: this.config.timeoutMs,
    });
    return this.jsonClient;
  }

  private async logPage(path: string, query: Record<string, string | number | undefined>, signal: AbortSignal | undefined): Promise<LumenLogPage> {
    const { value } = await this.client().get(path, lumenLogPageSchema, { operation: 'get_logs', signal, query });
    return value;
  }
}

function toStatusReport(instance: LumenInstance): DeploymentStatusReportV1 {
  return {
    provider_deployment_id: instance.id,
    status: mapLumenState(instance.state),
    provider_status: instance.state,
    endpoint: instance.public_url ?? null,
    ...(instance.message ? { message: instance.message } : {}),
    ...(instance.started_at ? { started_at: instance.started_at } : {}),
  };
}

function toLogLines(page: LumenLogPage): LogLine[] {
  return page.lines.map((line) => ({
    timestamp: line.ts,
    stream: line.stream === 'err' ? 'stderr' : line.stream === 'system' ? 'system' : 'stdout',
    message: line.text,
    source: 'lumen',
  }));
}

/** Lumen answers 409 `machine_taken` when someone rented the machine first: try the next offer. */
function machineTakenAsCapacityError(error: unknown, adapterId: string): unknown {
  if (!AdapterCallError.isInstance(error) || error.statusCode !== 409 || !error.responseBody?.includes('machine_taken')) return error;
  return new AdapterCallError({
    message: `${adapterId}: the machine was rented by someone else before the deploy`,
    adapterId,
    operation: 'deploy',
    url: error.url,
    statusCode: 409,
    responseBody: error.responseBody,
    isRetryable: true,
    scope: 'offer',
    reason: 'no_capacity',
    cause: error,
  });
}

/** Waits `ms`; false when the signal aborted first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
