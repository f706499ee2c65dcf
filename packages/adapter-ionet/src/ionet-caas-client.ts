import { createJsonClient, loadApiKey, loadOptionalSetting, type JsonClient } from '@aurora/adapter-utils';
import { z } from 'zod';
import {
  ionetAvailableReplicasResponseSchema, ionetContainersResponseSchema, ionetDeployResponseSchema,
  ionetDeploymentListResponseSchema, ionetDeploymentResponseSchema, ionetHardwareListResponseSchema,
  ionetPriceResponseSchema, type IonetId, type IonetWorker,
} from './ionet-api';
import { ionetScopeForStatus } from './ionet-error';
import { defaultIonetBaseURL, ionetDefaults, type IonetAdapterSettings } from './ionet-settings';
import { VERSION } from './version';

export type IonetPriceQuery = {
  hardwareId: IonetId;
  locationId: IonetId;
  durationHours: number;
  gpusPerContainer: number;
  replicaCount: number;
};

type Call = { signal?: AbortSignal };

const pageSize = 100;
const maximumPages = 20;

/**
 * Typed calls to the io.net Enterprise CaaS API, one per endpoint of the reference. The key and the
 * base URL are read on the first call, never at construction.
 */
export class IonetCaasClient {
  private json: JsonClient | undefined;

  constructor(
    private readonly adapterId: string,
    private readonly settings: IonetAdapterSettings,
  ) {}

  hardware({ signal, operation = 'list_offers' }: Call & { operation?: string } = {}) {
    return this.get(operation, '/hardware/max-gpus-per-container', ionetHardwareListResponseSchema, {}, signal);
  }

  availableReplicas(hardwareId: IonetId, gpusPerContainer: number, { signal }: Call = {}) {
    return this.get('list_offers', '/available-replicas', ionetAvailableReplicasResponseSchema, { hardware_id: hardwareId, hardware_qty: gpusPerContainer }, signal);
  }

  /**
   * Sends the documented parameters (`location_ids` as a JSON array in the query) plus the ones a
   * widely used third-party client sends (`currency`, `duration_type`, `duration_qty`,
   * `hardware_qty`): which of the two the API really needs is unconfirmed, and FastAPI ignores
   * query parameters it does not declare.
   */
  price(query: IonetPriceQuery, { signal, operation = 'list_offers' }: Call & { operation?: string } = {}) {
    return this.get(operation, '/price', ionetPriceResponseSchema, {
      location_ids: JSON.stringify([query.locationId]),
      hardware_id: query.hardwareId,
      duration_hours: query.durationHours,
      gpus_per_container: query.gpusPerContainer,
      replica_count: query.replicaCount,
      currency: 'usdc',
      duration_type: 'hourly',
      duration_qty: query.durationHours,
      hardware_qty: query.gpusPerContainer,
    }, signal);
  }

  async deploy(body: unknown, { signal }: Call = {}) {
    const { value } = await this.client().post('/deploy', body, ionetDeployResponseSchema, this.options('deploy', signal));
    return value;
  }

  async deployment(deploymentId: string, { signal, operation = 'get_status' }: Call & { operation?: string } = {}) {
    return this.get(operation, `/deployment/${encodeURIComponent(deploymentId)}`, ionetDeploymentResponseSchema, {}, signal);
  }

  /** Every container (worker) of a deployment, across pages. */
  async containers(deploymentId: string, { signal, operation = 'get_status' }: Call & { operation?: string } = {}): Promise<IonetWorker[]> {
    const workers: IonetWorker[] = [];
    for (let page = 0; page < maximumPages; page++) {
      const value = await this.get(operation, `/deployment/${encodeURIComponent(deploymentId)}/containers`, ionetContainersResponseSchema, { page, page_size: pageSize }, signal);
      const batch = value.workers ?? [];
      workers.push(...batch);
      const total = value.total ?? workers.length;
      if (batch.length < pageSize || workers.length >= total) break;
    }
    return workers;
  }

  /** Looks through `/deployments` for the one named `name` (our idempotency key). */
  async findDeploymentByName(name: string, { signal }: Call = {}) {
    let seen = 0;
    for (let page = 0; page < maximumPages; page++) {
      const value = await this.get('find_deployment', '/deployments', ionetDeploymentListResponseSchema, { page, page_size: pageSize }, signal);
      const batch = value.deployments ?? [];
      const match = batch.find((deployment) => deployment.name === name);
      if (match) return match;
      seen += batch.length;
      if (batch.length < pageSize || (value.total !== null && value.total !== undefined && seen >= value.total)) break;
    }
    return undefined;
  }

  /** One page of `/deployments` (0-based), every status. */
  deploymentPage(page: number, { signal }: Call = {}) {
    return this.get('list_deployments', '/deployments', ionetDeploymentListResponseSchema, { page, page_size: pageSize }, signal).then((value) => ({
      deployments: value.deployments ?? [],
      hasMore: (value.deployments ?? []).length === pageSize && (value.total === null || value.total === undefined || (page + 1) * pageSize < value.total),
    }));
  }

  async extend(deploymentId: string, durationHours: number, { signal }: Call = {}) {
    const { value } = await this.client().post(
      `/deployment/${encodeURIComponent(deploymentId)}/extend`,
      { duration_hours: durationHours },
      ionetDeploymentResponseSchema,
      this.options('extend', signal),
    );
    return value;
  }

  /** `DELETE /deployment/{id}`; a 404 resolves with `found: false`. */
  async delete(deploymentId: string, { signal }: Call = {}) {
    const { status } = await this.client().delete(`/deployment/${encodeURIComponent(deploymentId)}`, z.unknown(), {
      ...this.options('terminate', signal),
      acceptStatuses: [404],
    });
    return { found: status !== 404 };
  }

  /** URL and headers of one container's log stream (read with the raw fetch: it is not JSON). */
  logStreamRequest(deploymentId: string, containerId: string, stream: 'stdout' | 'stderr') {
    return {
      url: this.client().url(`/deployment/${encodeURIComponent(deploymentId)}/log/${encodeURIComponent(containerId)}`, { stream }),
      headers: this.headers(),
    };
  }

  private async get<Schema extends z.ZodType>(
    operation: string,
    path: string,
    schema: Schema,
    query: Record<string, string | number | boolean | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<z.output<Schema>> {
    const { value } = await this.client().get(path, schema, { ...this.options(operation, signal), query });
    return value;
  }

  private options(operation: string, signal: AbortSignal | undefined) {
    return { operation, signal, scopeForStatus: ionetScopeForStatus };
  }

  private headers(): Record<string, string> {
    const apiKey = loadApiKey({
      value: this.settings.apiKey,
      environmentVariableName: 'IONET_API_KEY',
      description: 'io.net API key',
      environment: this.settings.environment,
    });
    return { 'user-agent': `aurora-router/adapter-ionet/${VERSION}`, ...this.settings.headers, 'x-api-key': apiKey };
  }

  private client(): JsonClient {
    if (this.json) return this.json;
    const baseURL =
      this.settings.baseURL ??
      loadOptionalSetting({ environmentVariableName: 'IONET_BASE_URL', description: 'io.net base URL', environment: this.settings.environment }) ??
      defaultIonetBaseURL;
    this.json = createJsonClient({
      adapterId: this.adapterId,
      baseURL,
      headers: () => this.headers(),
      fetch: this.settings.fetch,
      timeoutMs: this.settings.timeoutMs ?? ionetDefaults.timeoutMs,
    });
    return this.json;
  }
}
