import {
  AdapterCallError, InvalidArgumentError, isTerminalStatus, requestDurationHours,
  type CallOptionsV1, type DeployOptionsV1, type DeployResultV1, type DeploymentStatus,
  type DeploymentStatusReportV1, type GetLogsOptionsV1, type HealthCheckResultV1, type ListDeploymentsOptionsV1,
  type ListDeploymentsResultV1, type ListOffersResultV1,
  type LogLine, type Offer, type ProviderAdapterV1, type RoutingRequest,
} from '@aurora/router';
import type { IonetDeploymentDetails } from './ionet-api';
import { IonetCaasClient } from './ionet-caas-client';
import { noReplicasLeft } from './ionet-capacity';
import { buildIonetDeployBody, ionetResourceName } from './ionet-deploy-body';
import { fromProviderDeploymentId, toProviderDeploymentId } from './ionet-deployment-id';
import { parseIonetListCursor, toListedIonetDeployments } from './ionet-list-deployments';
import { ionetDurationHours } from './ionet-duration';
import { classifyDeployFailure, describeError, refineDeployError } from './ionet-error';
import { readIonetLogs } from './ionet-log-follower';
import { openLogStream } from './ionet-log-stream';
import { parseIonetLogLine } from './ionet-logs';
import { readIonetOfferMetadata, type IonetOfferMetadata } from './ionet-offer-metadata';
import { hourlyPriceUsd, roundUsd } from './ionet-price';
import { ionetDefaults, type IonetAdapterSettings } from './ionet-settings';
import { mapIonetState, needsWorkers, normalizeIonetStatus } from './ionet-state';
import { listIonetOffers } from './list-ionet-offers';

/** What `extend` reports: io.net's view of the deployment after buying more hours. */
export type IonetExtendResult = {
  provider_deployment_id: string;
  added_hours: number;
  status: DeploymentStatus;
  provider_status: string;
  /** Everything paid for the deployment so far, per io.net (`amount_paid`), when it says. */
  amount_paid_usd: number | null;
  compute_minutes_served: number | null;
  compute_minutes_remaining: number | null;
};

/** The io.net adapter: `ProviderAdapterV1` plus io.net's prepaid-time extension. */
export type IonetAdapter = ProviderAdapterV1 & {
  /** Buys `hours` more whole hours for a running deployment (`POST /deployment/{id}/extend`). */
  extend(providerDeploymentId: string, hours: number, options?: CallOptionsV1): Promise<IonetExtendResult>;
  /** The deployment created with this idempotency key (found by its unique `resource_private_name`). */
  findDeployment(idempotencyKey: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1 | undefined>;
  /** The account's deployments that have not ended, a `/deployments` page at a time. */
  listDeployments(options?: ListDeploymentsOptionsV1): Promise<ListDeploymentsResultV1>;
};

/**
 * An adapter for io.net's Enterprise CaaS API. Nothing is read or opened until the first call: the
 * key comes from `settings.apiKey`, `IONET_API_KEY` or the file named by `IONET_API_KEY_FILE`.
 */
export function createIonet(settings: IonetAdapterSettings = {}): IonetAdapter {
  return new IonetCaasAdapter(settings);
}

const knownDeploymentStatuses = new Set([
  'deployment requested', 'deploying', 'running', 'termination requested', 'destroyed', 'completed', 'failed', 'unpaid', 'terminated',
]);

class IonetCaasAdapter implements IonetAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  private readonly client: IonetCaasClient;
  private readonly clock: { now(): number };

  constructor(private readonly settings: IonetAdapterSettings) {
    this.name = settings.name ?? ionetDefaults.name;
    this.client = new IonetCaasClient(this.name, settings);
    this.clock = settings.clock ?? Date;
  }

  listOffers(request: RoutingRequest, options?: CallOptionsV1): Promise<ListOffersResultV1> {
    return listIonetOffers(
      {
        provider: this.name,
        client: this.client,
        reputation: this.settings.reputation ?? ionetDefaults.reputation,
        estimatedLatencyMs: this.settings.estimatedLatencyMs ?? ionetDefaults.estimatedLatencyMs,
        maxPriceQuotes: this.settings.maxPriceQuotes ?? ionetDefaults.maxPriceQuotes,
        quoteConcurrency: this.settings.quoteConcurrency ?? ionetDefaults.quoteConcurrency,
        defaultImage: this.settings.defaultImage,
        now: () => this.clock.now(),
      },
      request,
      options?.signal,
    );
  }

  /**
   * Prepays `ceil(gpu_hours / gpu_count)` hours (at least 1) of the offer's hardware and location.
   * Looks for a deployment with the same idempotency key first, and again when the answer to
   * `POST /deploy` is lost, since io.net's deploy is not idempotent.
   */
  async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    const { signal, idempotency_key: idempotencyKey } = options;
    const placement = readIonetOfferMetadata(offer, this.name);
    const durationHours = ionetDurationHours(request, this.settings.defaultDurationHours ?? ionetDefaults.defaultDurationHours);
    const name = ionetResourceName(idempotencyKey);
    const body = buildIonetDeployBody(request, placement, {
      name,
      durationHours,
      defaultTrafficPort: this.settings.defaultTrafficPort ?? ionetDefaults.defaultTrafficPort,
      defaultImage: this.settings.defaultImage,
      secretEnvPattern: this.settings.secretEnvPattern ?? ionetDefaults.secretEnvPattern,
    });

    const earlier = await this.client.findDeploymentByName(name, { signal });
    if (earlier) return this.adopt(earlier.id, name, signal);

    const price = await this.client.price(
      { hardwareId: placement.hardware_id, locationId: placement.location_id, durationHours, gpusPerContainer: placement.gpus_per_container, replicaCount: placement.replica_count },
      { signal, operation: 'deploy' },
    );
    if (noReplicasLeft(price.available_replica_count, placement.replica_count)) {
      throw new AdapterCallError({
        message: `${this.name} deploy: no free replica of ${placement.hardware_name ?? `hardware ${placement.hardware_id}`} in location ${placement.location_id} any more`,
        adapterId: this.name,
        operation: 'deploy',
        isRetryable: true,
        scope: 'offer',
        reason: 'no_capacity',
      });
    }

    let answer: { deployment_id: string; status?: string | null };
    try {
      answer = await this.client.deploy(body, { signal });
    } catch (error) {
      if (!AdapterCallError.isInstance(error)) throw error;
      const kind = classifyDeployFailure(error);
      if (kind === 'duplicate_name' || isAmbiguous(error)) {
        const found = await this.client.findDeploymentByName(name, { signal }).catch(() => undefined);
        if (found) return this.adopt(found.id, name, signal);
      }
      throw kind ? refineDeployError(error, kind) : error;
    }

    const total = roundUsd(price.total_cost_usdc);
    const pricePerHour = roundUsd(hourlyPriceUsd(price.total_cost_usdc, durationHours));
    const providerStatus = answer.status ?? 'deployment requested';
    return {
      provider_deployment_id: toProviderDeploymentId(answer.deployment_id),
      status: deployAnswerStatus(providerStatus),
      provider_status: providerStatus,
      endpoint: null,
      price_usd_per_hour: pricePerHour,
      // Paid up front for whole hours (providers/ionet.md): the cost from the first minute.
      committed_cost_usd: total,
      provider_metadata: {
        ...placementMetadata(placement, name),
        requested_hours: requestDurationHours(request) ?? null,
        prepaid_hours: durationHours,
        prepaid_total_usd: total,
        billing: 'prepaid',
        refund_on_early_termination: 'unconfirmed',
      },
    };
  }

  async getStatus(providerDeploymentId: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1> {
    const deploymentId = fromProviderDeploymentId(providerDeploymentId);
    const details = await this.client.deployment(deploymentId, { signal: options?.signal });
    return this.report(deploymentId, details, options?.signal);
  }

  async *getLogs(providerDeploymentId: string, options: GetLogsOptionsV1 = {}): AsyncGenerator<LogLine, void, undefined> {
    const deploymentId = fromProviderDeploymentId(providerDeploymentId);
    const logs = { ...ionetDefaults.logs, ...this.settings.logs };
    const timeoutMs = this.settings.timeoutMs ?? ionetDefaults.timeoutMs;
    yield* readIonetLogs(
      {
        listWorkers: (signal) => this.client.containers(deploymentId, { signal, operation: 'get_logs' }),
        isFinished: async (signal) => {
          const details = await this.client.deployment(deploymentId, { signal, operation: 'get_logs' });
          return isTerminalStatus(mapIonetState(details).status);
        },
        openStream: (containerId, stream, signal) => {
          const { url, headers } = this.client.logStreamRequest(deploymentId, containerId, stream);
          return openLogStream({
            adapterId: this.name,
            url,
            headers,
            fetch: this.settings.fetch,
            signal,
            connectTimeoutMs: timeoutMs,
            idleTimeoutMs: logs.idleTimeoutMs,
            isContent: (raw, framing) => parseIonetLogLine(raw, { framing, stream, source: containerId, receivedAt: '' }) !== undefined,
          });
        },
        now: () => this.clock.now(),
      },
      { ...options, ...logs },
    );
  }

  /** Idempotent: a deployment that is unknown, already ending or ended resolves. */
  async terminate(providerDeploymentId: string, options?: CallOptionsV1): Promise<void> {
    const deploymentId = fromProviderDeploymentId(providerDeploymentId);
    const signal = options?.signal;
    try {
      await this.client.delete(deploymentId, { signal });
    } catch (error) {
      // io.net may refuse to delete what is already gone; whether and how is unconfirmed, so ask.
      if (!AdapterCallError.isInstance(error) || !isClientRefusal(error.statusCode)) throw error;
      const details = await this.client.deployment(deploymentId, { signal, operation: 'terminate' }).catch((lookupError: unknown) => {
        if (AdapterCallError.isInstance(lookupError) && lookupError.statusCode === 404) return undefined;
        throw error;
      });
      if (!details) return;
      const { status } = mapIonetState(details);
      if (status === 'terminating' || isTerminalStatus(status)) return;
      throw error;
    }
  }

  async healthCheck(options?: CallOptionsV1): Promise<HealthCheckResultV1> {
    const started = this.clock.now();
    try {
      const { hardware } = await this.client.hardware({ signal: options?.signal, operation: 'health_check' });
      return { healthy: true, latency_ms: Math.max(0, this.clock.now() - started), message: `${hardware.length} hardware types listed` };
    } catch (error) {
      if (AdapterCallError.isInstance(error) && error.reason === 'aborted') throw error;
      return { healthy: false, latency_ms: Math.max(0, this.clock.now() - started), message: describeError(error) };
    }
  }

  async extend(providerDeploymentId: string, hours: number, options?: CallOptionsV1): Promise<IonetExtendResult> {
    if (!Number.isInteger(hours) || hours < 1) {
      throw new InvalidArgumentError({ issues: [{ field: 'hours', reason: `must be a whole number of hours >= 1 (io.net sells whole hours), got ${hours}` }] });
    }
    const deploymentId = fromProviderDeploymentId(providerDeploymentId);
    const details = await this.client.extend(deploymentId, hours, { signal: options?.signal });
    const mapped = await this.report(deploymentId, details, options?.signal);
    return {
      provider_deployment_id: toProviderDeploymentId(deploymentId),
      added_hours: hours,
      status: mapped.status,
      provider_status: mapped.provider_status,
      amount_paid_usd: details.amount_paid ?? null,
      compute_minutes_served: details.compute_minutes_served ?? null,
      compute_minutes_remaining: details.compute_minutes_remaining ?? null,
    };
  }

  async findDeployment(idempotencyKey: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1 | undefined> {
    const found = await this.client.findDeploymentByName(ionetResourceName(idempotencyKey), { signal: options?.signal });
    return found ? this.getStatus(found.id, options) : undefined;
  }

  /** One page of `/deployments`, without the ended ones; the cursor is the next page number. */
  async listDeployments(options: ListDeploymentsOptionsV1 = {}): Promise<ListDeploymentsResultV1> {
    const page = parseIonetListCursor(options.cursor);
    const result = await this.client.deploymentPage(page, { signal: options.signal });
    return toListedIonetDeployments(result.deployments, result.hasMore ? page + 1 : undefined);
  }

  async close(): Promise<void> {
    // Nothing pooled: every call opens and ends its own request.
  }

  private async report(deploymentId: string, details: IonetDeploymentDetails, signal: AbortSignal | undefined): Promise<DeploymentStatusReportV1> {
    const workers = needsWorkers(details.status) ? await this.client.containers(deploymentId, { signal }) : [];
    const mapped = mapIonetState(details, workers);
    return {
      provider_deployment_id: toProviderDeploymentId(deploymentId),
      status: mapped.status,
      provider_status: mapped.provider_status,
      endpoint: mapped.endpoint,
      ...(mapped.message !== undefined ? { message: mapped.message } : {}),
      ...(details.started_at ? { started_at: details.started_at } : {}),
    };
  }

  /** A deployment created earlier under the same idempotency key, reported as the deploy result. */
  private async adopt(deploymentId: string, name: string, signal: AbortSignal | undefined): Promise<DeployResultV1> {
    const details = await this.client.deployment(deploymentId, { signal, operation: 'deploy' });
    const mapped = mapIonetState(details);
    return {
      provider_deployment_id: toProviderDeploymentId(deploymentId),
      status: mapped.status,
      provider_status: mapped.provider_status,
      endpoint: null,
      ...(typeof details.amount_paid === 'number' ? { committed_cost_usd: roundUsd(details.amount_paid) } : {}),
      provider_metadata: {
        resource_private_name: name,
        adopted: true,
        hardware_id: details.hardware_id ?? null,
        location_id: details.locations?.[0]?.id ?? null,
        gpus_per_container: details.gpus_per_container ?? null,
        prepaid_total_usd: details.amount_paid ?? null,
        billing: 'prepaid',
        refund_on_early_termination: 'unconfirmed',
      },
    };
  }
}

function placementMetadata(placement: IonetOfferMetadata, name: string) {
  return {
    resource_private_name: name,
    hardware_id: placement.hardware_id,
    location_id: placement.location_id,
    gpus_per_container: placement.gpus_per_container,
    replica_count: placement.replica_count,
  };
}

/** The deploy answer's `status` is an undocumented string; map it only when it is a known state. */
function deployAnswerStatus(status: string): DeploymentStatus {
  return knownDeploymentStatuses.has(normalizeIonetStatus(status)) ? mapIonetState({ status }).status : 'pending';
}

/** The request may have reached io.net although we saw no answer: worth a look by name. */
function isAmbiguous(error: AdapterCallError): boolean {
  return error.reason === 'timeout' || error.reason === 'network' || (error.statusCode !== undefined && error.statusCode >= 500);
}

function isClientRefusal(statusCode: number | undefined): boolean {
  return statusCode !== undefined && statusCode >= 400 && statusCode < 500 && ![401, 403, 408, 429].includes(statusCode);
}
