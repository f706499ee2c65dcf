import { InvalidArgumentError } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock/manual-clock';
import { simulatedProviderIds } from './profiles/provider-profile';
import { createSimulatedFleet, isSimulatedProviderId } from './simulated-fleet';

function invalidArgument(build: () => unknown): boolean {
  try {
    build();
  } catch (error) {
    return InvalidArgumentError.isInstance(error);
  }
  return false;
}

describe('createSimulatedFleet', () => {
  it('builds one simulated adapter per seed provider on one shared clock', () => {
    const clock = createManualClock();
    const fleet = createSimulatedFleet({ seed: 1, clock });
    expect(fleet.map((adapter) => adapter.name)).toEqual([...simulatedProviderIds]);
    for (const adapter of fleet) {
      expect(adapter.simulated).toBe(true);
      expect(adapter.specificationVersion).toBe('v1');
      expect(adapter.clock).toBe(clock);
    }
  });

  it('builds a subset in the order asked', () => {
    const fleet = createSimulatedFleet({ seed: 1, providers: ['runpod', 'akash'] });
    expect(fleet.map((adapter) => adapter.name)).toEqual(['runpod', 'akash']);
  });

  it('gives each provider the same world whether or not the others are in the fleet', async () => {
    const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'h100' });
    const full = createSimulatedFleet({ seed: 5, clock: createManualClock(), apiLatency: false });
    const alone = createSimulatedFleet({ seed: 5, clock: createManualClock(), apiLatency: false, providers: ['vastai'] });
    const vast = full.find((adapter) => adapter.name === 'vastai')!;
    expect(await vast.listOffers(request)).toEqual(await alone[0]!.listOffers(request));
  });

  it('passes the failure multiplier on to every adapter', () => {
    const fleet = createSimulatedFleet({ seed: 1, failureRateMultiplier: 0 });
    for (const adapter of fleet) expect(Object.values(adapter.failureRates).every((rate) => rate === 0)).toBe(true);
  });

  it('refuses unknown or repeated providers, and timeScale with a clock', () => {
    expect(invalidArgument(() => createSimulatedFleet({ seed: 1, providers: ['aws'] }))).toBe(true);
    expect(invalidArgument(() => createSimulatedFleet({ seed: 1, providers: ['salad', 'salad'] }))).toBe(true);
    expect(invalidArgument(() => createSimulatedFleet({ seed: 1, clock: createManualClock(), timeScale: 10 }))).toBe(true);
    expect(invalidArgument(() => createSimulatedFleet({ seed: 1, timeScale: 0 }))).toBe(true);
  });

  it('recognises the simulated provider ids', () => {
    expect(isSimulatedProviderId('ionet')).toBe(true);
    expect(isSimulatedProviderId('io.net')).toBe(false);
  });
});
