import { AuroraError, type ListedDeploymentV1, type ProviderAdapter } from '@aurora/router';
import type { DeploymentStore } from '../ledger/index';
import type { OrphanCounter } from '../metrics/reconciler-metric-families';

export type OrphanSweepOptions = {
  store: DeploymentStore;
  adapters: ReadonlyMap<string, ProviderAdapter>;
  /** Providers whose account this Aurora deployment owns alone (providers.yaml `orphan_sweep`). */
  providers: readonly string[];
  clock: { now(): number };
  /** A listed deployment younger than this may be a deploy whose ledger write is still to come: left alone. */
  gracePeriodMs: number;
  /** Per adapter call (each listing page, each terminate). */
  callTimeoutMs: number;
  orphans: OrphanCounter;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
};

export type OrphanSweepAction = 'terminated' | 'too_young' | 'error';

export type OrphanSweepReport = { provider: string; provider_deployment_id?: string; action: OrphanSweepAction; detail?: string };

/** Far more pages than any account has; stops an adapter whose cursor never ends. */
const maximumPages = 1_000;

/**
 * Terminates orphans (design.md section 5): deployments a provider lists as live that no ledger
 * record has, left when the process died between the provider accepting a deploy and the ledger
 * write of its id. Only for providers whose account is used by this Aurora deployment alone.
 *
 * A deployment is an orphan only once it is older than the grace period, counted from the
 * provider's `created_at` or, when the provider gives none, from the first time this sweep saw it
 * listed: a deployment being placed right now is never touched.
 */
export class OrphanSweep {
  private readonly options: OrphanSweepOptions;
  /** Per provider: when each unknown deployment was first seen listed. */
  private readonly firstSeen = new Map<string, Map<string, number>>();

  constructor(options: OrphanSweepOptions) {
    this.options = options;
  }

  async runOnce(signal?: AbortSignal): Promise<OrphanSweepReport[]> {
    const reports: OrphanSweepReport[] = [];
    for (const provider of this.options.providers) {
      if (signal?.aborted) break;
      const adapter = this.options.adapters.get(provider);
      if (!adapter?.listDeployments) continue;
      reports.push(...(await this.sweep(provider, adapter, signal)));
    }
    return reports;
  }

  private async sweep(provider: string, adapter: ProviderAdapter, signal: AbortSignal | undefined): Promise<OrphanSweepReport[]> {
    let listed: ListedDeploymentV1[];
    try {
      listed = await this.listAll(adapter, signal);
    } catch (error) {
      this.options.log('warn', `orphan sweep: listing the deployments of ${provider} failed: ${messageOf(error)}`, { provider, code: codeOf(error) });
      return [{ provider, action: 'error', detail: messageOf(error) }];
    }

    const now = this.options.clock.now();
    const previouslySeen = this.firstSeen.get(provider) ?? new Map<string, number>();
    const seen = new Map<string, number>();
    this.firstSeen.set(provider, seen);
    const reports: OrphanSweepReport[] = [];
    for (const deployment of listed) {
      if (signal?.aborted) break;
      const id = deployment.provider_deployment_id;
      try {
        if (await this.options.store.findByProviderDeploymentId(provider, id)) continue;
        const since = createdAt(deployment) ?? previouslySeen.get(id) ?? now;
        if (now - since < this.options.gracePeriodMs) {
          seen.set(id, since);
          reports.push({ provider, provider_deployment_id: id, action: 'too_young' });
          continue;
        }
        await adapter.terminate(id, { signal: this.callSignal(signal) });
        this.options.orphans.add(provider);
        this.options.log('warn', `orphan sweep: terminated ${id} at ${provider}: live at the provider, unknown to the ledger`, {
          provider,
          provider_deployment_id: id,
        });
        reports.push({ provider, provider_deployment_id: id, action: 'terminated' });
      } catch (error) {
        seen.set(id, previouslySeen.get(id) ?? now);
        this.options.log('warn', `orphan sweep: ${id} at ${provider}: ${messageOf(error)}`, { provider, provider_deployment_id: id, code: codeOf(error) });
        reports.push({ provider, provider_deployment_id: id, action: 'error', detail: messageOf(error) });
      }
    }
    return reports;
  }

  private async listAll(adapter: ProviderAdapter, signal: AbortSignal | undefined): Promise<ListedDeploymentV1[]> {
    const listed: ListedDeploymentV1[] = [];
    let cursor: string | undefined;
    for (let page = 1; page <= maximumPages; page++) {
      const result = await adapter.listDeployments!({ signal: this.callSignal(signal), ...(cursor === undefined ? {} : { cursor }) });
      listed.push(...result.deployments);
      if (result.next_cursor === undefined || result.next_cursor === cursor) return listed;
      cursor = result.next_cursor;
    }
    throw new Error(`more than ${maximumPages} pages of deployments`);
  }

  private callSignal(signal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.callTimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}

function createdAt(deployment: ListedDeploymentV1): number | undefined {
  if (deployment.created_at === undefined) return undefined;
  const time = Date.parse(deployment.created_at);
  return Number.isFinite(time) ? time : undefined;
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

function codeOf(error: unknown): string | undefined {
  return AuroraError.isInstance(error) ? error.code : undefined;
}
