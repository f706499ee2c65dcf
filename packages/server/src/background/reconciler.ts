import {
  AuroraError, isTerminalStatus, type Deployment, type DeploymentStatusReportV1, type ProviderAdapter, type Router,
} from '@aurora/router';
import type { DeploymentStore } from '../ledger/index';
import { isUnknownAtProvider } from './is-unknown-at-provider';
import type { OrphanSweep } from './orphan-sweep';
import type { OutcomeRecorder } from './outcome-recorder';

export type ReconcilerOptions = {
  router: Router;
  store: DeploymentStore;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  outcomes: OutcomeRecorder;
  clock: { now(): number };
  /** A `pending` record without a provider id younger than this may still be deploying: left alone. */
  gracePeriodMs: number;
  /** The router's attempts per route: the adapter idempotency keys `<deployment_id>-1..N` to look for. */
  maxDeployAttempts: number;
  /** Idempotency keys older than this are purged. */
  idempotencyRetentionMs: number;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** Terminates the deployments of providers.yaml `orphan_sweep` providers that no record has; after the records. */
  orphanSweep?: OrphanSweep;
};

export type ReconcileAction =
  | 'adopted'
  | 'terminated_orphan'
  | 'failed_missing'
  | 'failed_unknown'
  | 'terminated'
  | 'refreshed'
  | 'skipped'
  | 'error';

export type ReconcileReport = { deployment_id: string; action: ReconcileAction; detail?: string };

/**
 * Resolves every non-terminal ledger record against its provider (design.md section 5):
 *
 * - `pending` with no provider id, older than the grace period: the deploy answer was lost (a
 *   crash). The provider is asked for the deployment by the adapter idempotency keys the router
 *   used (`findDeployment`). Found: adopted when the route is still wanted (it has an
 *   idempotency key, so a retry of the request gets it), else terminated at the provider. Not
 *   found, or the adapter cannot look: marked failed.
 * - with a provider id: refreshed through the router; unknown at the provider: marked failed.
 * - `terminating`: terminated again, so nothing we believe terminated keeps running.
 *
 * Then the orphan sweep (when configured) terminates what providers run that no record has.
 */
export class Reconciler {
  private readonly options: ReconcilerOptions;

  constructor(options: ReconcilerOptions) {
    this.options = options;
  }

  async runOnce(signal?: AbortSignal): Promise<ReconcileReport[]> {
    const reports: ReconcileReport[] = [];
    const live = await this.options.store.listLive();
    for (const deployment of live) {
      if (signal?.aborted) break;
      reports.push(await this.reconcile(deployment));
    }
    if (this.options.orphanSweep && !signal?.aborted) await this.options.orphanSweep.runOnce(signal);
    await this.purgeIdempotencyKeys();
    return reports;
  }

  async reconcile(deployment: Deployment): Promise<ReconcileReport> {
    const id = deployment.deployment_id;
    try {
      if (deployment.status === 'terminating') {
        if (deployment.provider_deployment_id === null) return await this.resolveIntent(deployment);
        await this.options.router.terminate(id);
        return { deployment_id: id, action: 'terminated' };
      }
      if (deployment.provider_deployment_id === null) return await this.resolveIntent(deployment);
      return await this.refresh(deployment);
    } catch (error) {
      this.options.log('warn', `reconciler: ${id}: ${(error as Error)?.message ?? String(error)}`, { deployment_id: id, code: AuroraError.isInstance(error) ? error.code : undefined });
      return { deployment_id: id, action: 'error', detail: (error as Error)?.message ?? String(error) };
    }
  }

  private async refresh(deployment: Deployment): Promise<ReconcileReport> {
    const id = deployment.deployment_id;
    try {
      await this.options.router.status(id);
      return { deployment_id: id, action: 'refreshed' };
    } catch (error) {
      if (!isUnknownAtProvider(error)) throw error;
      await this.markFailed(deployment, `the provider has no deployment ${deployment.provider_deployment_id}`);
      return { deployment_id: id, action: 'failed_unknown' };
    }
  }

  /** A recorded intent whose deploy answer never arrived. */
  private async resolveIntent(deployment: Deployment): Promise<ReconcileReport> {
    const id = deployment.deployment_id;
    const age = this.options.clock.now() - Date.parse(deployment.updated_at);
    if (!(age >= this.options.gracePeriodMs)) return { deployment_id: id, action: 'skipped', detail: 'within the grace period' };

    const adapter = this.options.adapters.get(deployment.provider);
    if (!adapter) {
      await this.markFailed(deployment, `provider ${deployment.provider} is not configured; the deploy cannot be resolved`);
      return { deployment_id: id, action: 'failed_missing' };
    }
    const found = await this.findAtProvider(adapter, id);
    if (!found) {
      await this.markFailed(deployment, 'the deploy was interrupted and the provider has no deployment for it');
      return { deployment_id: id, action: 'failed_missing' };
    }
    const wanted = deployment.status === 'pending' && deployment.idempotency_key !== null;
    if (wanted && !isTerminalStatus(found.status)) {
      await this.adopt(deployment, found);
      return { deployment_id: id, action: 'adopted', detail: found.provider_deployment_id };
    }
    await adapter.terminate(found.provider_deployment_id);
    const now = new Date(this.options.clock.now()).toISOString();
    await this.options.store.save({
      ...deployment,
      provider_deployment_id: found.provider_deployment_id,
      provider_status: found.provider_status,
      status: 'terminated',
      ended_at: deployment.ended_at ?? now,
      updated_at: now,
      error: 'an interrupted deploy left this deployment running; the reconciler terminated it (no idempotency key, so no client could claim it)',
    });
    await this.options.outcomes.recordUnfilled(deployment, 'orphan_terminated');
    this.options.log('warn', `reconciler: terminated orphan ${found.provider_deployment_id} of ${id} at ${deployment.provider}`, { deployment_id: id });
    return { deployment_id: id, action: 'terminated_orphan', detail: found.provider_deployment_id };
  }

  private async findAtProvider(adapter: ProviderAdapter, deploymentId: string): Promise<DeploymentStatusReportV1 | undefined> {
    if (!adapter.findDeployment) return undefined;
    // The router's adapter idempotency key is `<deployment_id>-<attempt>`; the latest attempt is
    // the one the record describes, so look from the last attempt back.
    for (let attempt = this.options.maxDeployAttempts; attempt >= 1; attempt--) {
      const found = await adapter.findDeployment(`${deploymentId}-${attempt}`);
      if (found) return found;
    }
    return undefined;
  }

  private async adopt(deployment: Deployment, found: DeploymentStatusReportV1): Promise<void> {
    const now = this.options.clock.now();
    const nowIso = new Date(now).toISOString();
    const adopted: Deployment = {
      ...deployment,
      provider_deployment_id: found.provider_deployment_id,
      status: found.status,
      provider_status: found.provider_status,
      endpoint: found.endpoint ?? deployment.endpoint,
      started_at: found.status === 'running' ? (validIso(found.started_at) ?? nowIso) : deployment.started_at,
      updated_at: nowIso,
    };
    await this.options.store.save(adopted);
    this.options.log('info', `reconciler: adopted ${found.provider_deployment_id} at ${deployment.provider} for ${deployment.deployment_id}`, {
      deployment_id: deployment.deployment_id,
    });
  }

  private async markFailed(deployment: Deployment, reason: string): Promise<void> {
    const nowIso = new Date(this.options.clock.now()).toISOString();
    await this.options.store.save({ ...deployment, status: 'failed', error: reason, ended_at: deployment.ended_at ?? nowIso, updated_at: nowIso });
    if (deployment.started_at === null) await this.options.outcomes.recordUnfilled(deployment, 'reconciled_failed');
    else await this.options.outcomes.recordFinal(deployment.deployment_id, 'reconciled_failed');
    this.options.log('warn', `reconciler: marked ${deployment.deployment_id} failed: ${reason}`, { deployment_id: deployment.deployment_id });
  }

  private async purgeIdempotencyKeys(): Promise<void> {
    const olderThan = new Date(this.options.clock.now() - this.options.idempotencyRetentionMs).toISOString();
    await this.options.store.purgeIdempotencyKeys(olderThan);
  }
}

function validIso(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
