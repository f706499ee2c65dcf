import type { ProviderAdapter } from '@aurora/router';
import type { ProviderEntry } from '../providers/provider-entry';

type Clock = { now(): number };

/**
 * The clock of an all-simulated fleet, when every simulated adapter shares one (a fleet made with
 * `time_scale` != 1 runs on its own scaled clock): the server must run on it too, or deployments
 * would start in the simulated future and cost nothing. `undefined` when there is a real provider
 * (real providers live in real time), no simulated one, or the simulated ones disagree.
 */
export function fleetClock(items: ReadonlyArray<ProviderEntry | ProviderAdapter>): Clock | undefined {
  let shared: Clock | undefined;
  for (const item of items) {
    const adapter = 'adapter' in item ? item.adapter : item;
    const simulated = 'adapter' in item ? item.simulated : adapter.simulated === true;
    if (!simulated) return undefined;
    const clock = clockOf(item) ?? clockOf(adapter);
    if (clock === undefined || (shared !== undefined && clock !== shared)) return undefined;
    shared = clock;
  }
  return shared;
}

function clockOf(value: object): Clock | undefined {
  const clock = (value as { clock?: unknown }).clock;
  return typeof clock === 'object' && clock !== null && typeof (clock as Clock).now === 'function' ? (clock as Clock) : undefined;
}
