import type { MeterProvider } from '@opentelemetry/api';
import { VERSION } from '../version';

/** The reconciler's metric families, announced with HELP and TYPE before they have samples. */
export const reconcilerMetricFamilies = [
  { name: 'aurora_orphans_terminated_total', type: 'counter', help: 'Deployments the orphan sweep terminated: live at the provider, unknown to the ledger' },
] as const;

export type OrphanCounter = { add(provider: string): void };

/** `aurora_orphans_terminated_total{provider}` on `meterProvider` (meter `@aurora/server`). */
export function createOrphanCounter(meterProvider: MeterProvider): OrphanCounter {
  const counter = meterProvider.getMeter('@aurora/server', VERSION).createCounter('aurora.orphans.terminated', {
    description: reconcilerMetricFamilies[0].help,
  });
  return { add: (provider) => counter.add(1, { provider }) };
}
