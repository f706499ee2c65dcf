import { InvalidArgumentError } from '@aurora/router';
import { createRealTimeClock } from './clock/real-time-clock';
import type { SimulationClock } from './clock/simulation-clock';
import { providerProfiles } from './profiles/index';
import { simulatedProviderIds, type SimulatedProviderId } from './profiles/provider-profile';
import type { Seed } from './seeded-random';
import { createSimulatedAdapter, type SimulatedAdapter } from './simulated-adapter';

export type SimulatedFleetOptions = {
  seed: Seed;
  /** One clock shared by every adapter; default a real-time clock running at `timeScale`. */
  clock?: SimulationClock;
  /** Provider ids to include, in this order; default all eight. */
  providers?: readonly string[];
  /** Speed-up of the default real-time clock (50: a 60 s start takes 1.2 s). Not with `clock`. */
  timeScale?: number;
  failureRateMultiplier?: number;
  apiLatency?: boolean;
};

/** True for the ids of the eight simulated seed providers. */
export function isSimulatedProviderId(id: string): id is SimulatedProviderId {
  return (simulatedProviderIds as readonly string[]).includes(id);
}

/**
 * Simulated adapters for the seed providers, all on one clock and one seed (each provider draws
 * from its own stream of it, so adding or removing a provider leaves the others unchanged).
 */
export function createSimulatedFleet(options: SimulatedFleetOptions): SimulatedAdapter[] {
  if (options.clock && options.timeScale !== undefined) {
    throw new InvalidArgumentError({ issues: [{ field: 'timeScale', reason: 'give timeScale or clock, not both (scale the clock itself)' }] });
  }
  const providers = options.providers ?? simulatedProviderIds;
  const unknown = providers.filter((id) => !isSimulatedProviderId(id));
  const duplicates = providers.filter((id, index) => providers.indexOf(id) !== index);
  if (unknown.length > 0 || duplicates.length > 0) {
    throw new InvalidArgumentError({
      issues: [
        ...unknown.map((id) => ({ field: 'providers', reason: `unknown provider "${id}"; known: ${simulatedProviderIds.join(', ')}` })),
        ...[...new Set(duplicates)].map((id) => ({ field: 'providers', reason: `"${id}" is listed twice` })),
      ],
    });
  }
  const clock = options.clock ?? createRealTimeClock(options.timeScale !== undefined ? { timeScale: options.timeScale } : {});
  return providers.map((id) =>
    createSimulatedAdapter(providerProfiles[id as SimulatedProviderId], {
      seed: options.seed,
      clock,
      ...(options.failureRateMultiplier !== undefined ? { failureRateMultiplier: options.failureRateMultiplier } : {}),
      ...(options.apiLatency !== undefined ? { apiLatency: options.apiLatency } : {}),
    }),
  );
}
