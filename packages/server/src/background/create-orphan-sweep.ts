import type { ServerConfig } from '../config/server-config';
import { createOrphanCounter } from '../metrics/reconciler-metric-families';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics';
import type { ProviderEntry } from '../providers/provider-entry';
import { OrphanSweep, type OrphanSweepOptions } from './orphan-sweep';

/** The sweep over the providers with `orphan_sweep` on whose adapter can list deployments; none without such a provider. */
export function createOrphanSweep(
  providers: readonly ProviderEntry[],
  context: Pick<OrphanSweepOptions, 'store' | 'adapters' | 'clock' | 'log'> & { config: ServerConfig; meterProvider: PrometheusMetrics['meterProvider'] },
): OrphanSweep | undefined {
  const swept: string[] = [];
  for (const entry of providers.filter((candidate) => candidate.orphanSweep)) {
    if (entry.adapter.listDeployments) swept.push(entry.id);
    else context.log('warn', `provider ${entry.id}: orphan_sweep is on, but its adapter cannot list deployments; no sweep there`, { provider: entry.id });
  }
  if (swept.length === 0) return undefined;
  return new OrphanSweep({
    store: context.store,
    adapters: context.adapters,
    providers: swept,
    clock: context.clock,
    gracePeriodMs: context.config.router.background.reconcile_grace_period_ms,
    callTimeoutMs: context.config.router.limits.adapter_call_timeout_ms,
    orphans: createOrphanCounter(context.meterProvider),
    log: context.log,
  });
}
