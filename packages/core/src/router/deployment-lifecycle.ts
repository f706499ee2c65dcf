import type { ProviderAdapter } from '../adapter/provider-adapter-v1';
import { ConflictError } from '../errors/conflict-error';
import { InvalidResponseDataError } from '../errors/invalid-response-data-error';
import { NotFoundError } from '../errors/not-found-error';
import { deploymentStatusReportSchema, isTerminalStatus, type Deployment, type DeploymentStatusReport } from '../schemas/deployment';
import { logLineSchema, type LogLine } from '../schemas/log-line';
import type { RouterTelemetry } from '../telemetry/router-telemetry';
import {
  ATTR_AURORA_DEPLOYMENT_ID, ATTR_AURORA_DEPLOYMENT_STATUS, ATTR_AURORA_PROVIDER, ATTR_AURORA_PROVIDER_DEPLOYMENT_ID,
  SPAN_AURORA_ADAPTER_GET_STATUS, SPAN_AURORA_ADAPTER_TERMINATE, SPAN_AURORA_TERMINATE,
} from '../telemetry/semconv';
import { callAdapter, toAuroraError } from './call-adapter';
import { withAccruedCost } from './deployment-cost';
import { registryError, saveToRegistry, type DeploymentRegistry } from './deployment-registry';
import type { LogsOptions } from './router';
import type { StatusChangeEvent } from './router-events';
import type { RouterClock } from './router-options';
import { SingleFlight } from './single-flight';

export type DeploymentLifecycleOptions = {
  adapters: ReadonlyMap<string, ProviderAdapter>;
  registry: DeploymentRegistry;
  clock: RouterClock;
  telemetry: RouterTelemetry;
  callTimeoutMs: number;
  /** Every record the lifecycle saves, after the save. */
  onSaved: (deployment: Deployment) => void;
  onStatusChange: (event: StatusChangeEvent) => void;
  /** The first time a deployment is seen running, or failed before it ever ran. */
  onSettled: (deployment: Deployment, filled: boolean) => void;
  /** The route still deploying this deployment, if any: terminate waits for it. */
  routeInFlight: (deploymentId: string) => Promise<unknown> | undefined;
};

/** status(), terminate() and logs() of deployments the router made. */
export class DeploymentLifecycle {
  private readonly options: DeploymentLifecycleOptions;
  private readonly statusFlights = new SingleFlight<Deployment>();
  private readonly terminateFlights = new SingleFlight<Deployment>();

  constructor(options: DeploymentLifecycleOptions) {
    this.options = options;
  }

  async status(deploymentId: string, known?: Deployment): Promise<Deployment> {
    const current = known?.deployment_id === deploymentId ? known : await this.load(deploymentId);
    if (!this.needsPolling(current)) return withAccruedCost(current, this.options.clock.now());
    return this.statusFlights.run(deploymentId, () => this.poll(current));
  }

  terminate(deploymentId: string): Promise<Deployment> {
    return this.terminateFlights.run(deploymentId, () => this.terminateOnce(deploymentId));
  }

  async *logs(deploymentId: string, options: LogsOptions = {}): AsyncGenerator<LogLine> {
    const deployment = await this.load(deploymentId);
    const adapter = this.options.adapters.get(deployment.provider);
    if (deployment.provider_deployment_id === null || !adapter) return;
    const lines = adapter.getLogs(deployment.provider_deployment_id, {
      ...(options.follow !== undefined ? { follow: options.follow } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      for await (const line of lines) {
        const parsed = logLineSchema.safeParse(line);
        if (parsed.success) yield parsed.data;
      }
    } catch (error) {
      throw toAuroraError(error, deployment.provider, 'get_logs');
    }
  }

  private async load(deploymentId: string): Promise<Deployment> {
    const deployment = await this.find(deploymentId);
    if (!deployment) throw new NotFoundError({ resource: 'deployment', id: deploymentId });
    return deployment;
  }

  private async find(deploymentId: string): Promise<Deployment | undefined> {
    try {
      return await this.options.registry.get(deploymentId);
    } catch (error) {
      throw registryError(error, `get ${deploymentId}`);
    }
  }

  private needsPolling(deployment: Deployment): boolean {
    return (
      !isTerminalStatus(deployment.status) &&
      deployment.status !== 'terminating' &&
      deployment.provider_deployment_id !== null &&
      this.options.adapters.has(deployment.provider)
    );
  }

  private async poll(snapshot: Deployment): Promise<Deployment> {
    const { adapters, clock, telemetry, callTimeoutMs } = this.options;
    const adapter = adapters.get(snapshot.provider)!;
    const providerId = snapshot.provider_deployment_id!;
    const report = await telemetry.span(
      SPAN_AURORA_ADAPTER_GET_STATUS,
      { [ATTR_AURORA_PROVIDER]: snapshot.provider, [ATTR_AURORA_DEPLOYMENT_ID]: snapshot.deployment_id, [ATTR_AURORA_PROVIDER_DEPLOYMENT_ID]: providerId },
      async (span) => {
        const answer = await callAdapter(
          { provider: snapshot.provider, operation: 'get_status', timeoutMs: callTimeoutMs, clock, telemetry },
          (signal) => adapter.getStatus(providerId, { signal }),
        );
        const parsed = deploymentStatusReportSchema.safeParse(answer);
        if (!parsed.success) {
          throw new InvalidResponseDataError({
            message: `${snapshot.provider}.getStatus returned an invalid report`,
            adapterId: snapshot.provider,
            issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
          });
        }
        span.setAttribute(ATTR_AURORA_DEPLOYMENT_STATUS, parsed.data.status);
        return parsed.data;
      },
    );

    // Re-read: a terminate may have moved the record on while the provider answered.
    const latest = await this.load(snapshot.deployment_id);
    if (!this.needsPolling(latest)) return withAccruedCost(latest, clock.now());
    const now = clock.now();
    const next = applyReport(latest, report, now);
    if (next === latest) return withAccruedCost(latest, now);
    await this.save(next);
    if (next.status !== latest.status) {
      this.options.onStatusChange({ deployment_id: next.deployment_id, provider: next.provider, from: latest.status, to: next.status });
      if (next.status === 'running' && latest.started_at === null) this.options.onSettled(next, true);
      else if (next.status === 'failed' && latest.started_at === null) this.options.onSettled(next, false);
    }
    return next;
  }

  private async terminateOnce(deploymentId: string): Promise<Deployment> {
    const { clock, telemetry } = this.options;
    let current = await this.find(deploymentId);
    if (current === undefined || current.provider_deployment_id === null) {
      // A route still deploying it: wait for its verdict, then terminate what it deployed.
      const route = this.options.routeInFlight(deploymentId);
      if (route) {
        await route.catch(() => {});
        current = await this.find(deploymentId);
      }
    }
    if (current === undefined) throw new NotFoundError({ resource: 'deployment', id: deploymentId });
    if (isTerminalStatus(current.status)) return withAccruedCost(current, clock.now());
    if (current.provider_deployment_id === null) {
      throw new ConflictError({
        message: `Deployment ${deploymentId} has no provider deployment id yet; it cannot be terminated until it is reconciled`,
        details: { deployment_id: deploymentId, status: current.status },
      });
    }
    const adapter = this.options.adapters.get(current.provider);
    if (!adapter) {
      throw new ConflictError({
        message: `Deployment ${deploymentId} is on provider ${current.provider}, which this router has no adapter for`,
        details: { deployment_id: deploymentId, provider: current.provider },
      });
    }
    const providerId = current.provider_deployment_id;

    const provider = current.provider;
    let record: Deployment = current;

    return telemetry.span(
      SPAN_AURORA_TERMINATE,
      { [ATTR_AURORA_PROVIDER]: provider, [ATTR_AURORA_DEPLOYMENT_ID]: deploymentId, [ATTR_AURORA_PROVIDER_DEPLOYMENT_ID]: providerId },
      async () => {
        if (record.status !== 'terminating') {
          const terminating: Deployment = { ...record, status: 'terminating', updated_at: new Date(clock.now()).toISOString() };
          await this.save(terminating);
          this.options.onStatusChange({ deployment_id: deploymentId, provider, from: record.status, to: 'terminating' });
          record = terminating;
        }
        // On failure the record stays `terminating`; the next terminate() tries again.
        await telemetry.span(SPAN_AURORA_ADAPTER_TERMINATE, { [ATTR_AURORA_PROVIDER]: provider }, () =>
          callAdapter(
            { provider, operation: 'terminate', timeoutMs: this.options.callTimeoutMs, clock, telemetry },
            (signal) => adapter.terminate(providerId, { signal }),
          ),
        );
        const now = clock.now();
        const endedAt = record.ended_at ?? new Date(now).toISOString();
        const terminated = withAccruedCost({ ...record, status: 'terminated', ended_at: endedAt, updated_at: new Date(now).toISOString() }, now);
        await this.save(terminated);
        this.options.onStatusChange({ deployment_id: deploymentId, provider, from: 'terminating', to: 'terminated' });
        return terminated;
      },
    );
  }

  private async save(deployment: Deployment): Promise<void> {
    await saveToRegistry(this.options.registry, deployment);
    this.options.onSaved(deployment);
  }
}

/** The record after a provider's report; the same object when nothing changed but the cost. */
function applyReport(current: Deployment, report: DeploymentStatusReport, now: number): Deployment {
  const nowIso = new Date(now).toISOString();
  const status = report.status;
  const startedAt = current.started_at ?? (status === 'running' ? validIso(report.started_at) ?? nowIso : null);
  const endedAt = current.ended_at ?? (isTerminalStatus(status) ? nowIso : null);
  const endpoint = report.endpoint ?? current.endpoint;
  const error = status === 'failed' ? (report.message ?? current.error ?? `provider reported ${report.provider_status}`) : current.error;
  if (
    status === current.status &&
    report.provider_status === current.provider_status &&
    endpoint === current.endpoint &&
    startedAt === current.started_at &&
    endedAt === current.ended_at
  ) {
    return current;
  }
  return withAccruedCost(
    { ...current, status, provider_status: report.provider_status, endpoint, started_at: startedAt, ended_at: endedAt, error, updated_at: nowIso },
    now,
  );
}

function validIso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
