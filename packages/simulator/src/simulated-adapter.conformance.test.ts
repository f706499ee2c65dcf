import * as vitest from 'vitest';
import { describeAdapterConformance, type AdapterFault } from '@aurora/router/testkit';
import { createRealTimeClock } from './clock/real-time-clock';
import { providerProfiles } from './profiles/index';
import type { ProviderProfile } from './profiles/provider-profile';
import type { SimulatedFault } from './simulated-fault';
import { createSimulatedAdapter } from './simulated-adapter';

/**
 * The kit polls on real timers (25 ms apart, 40 times), so the simulated clock runs 100 000 times
 * faster than the wall clock: Salad's half-hour cold start takes ~20 ms.
 */
const timeScale = 100_000;

/**
 * The kit checks the contract, not the failure model: random failures are off, and every pool is
 * large enough that the first offer it picks can always be placed.
 */
function withAmpleCapacity(profile: ProviderProfile): ProviderProfile {
  return { ...profile, gpus: profile.gpus.map((offering) => ({ ...offering, gpusPerRegion: 100_000 })) };
}

/** The simulated provider itself misbehaves as the kit asks; a slow answer is slow in wall time. */
function toSimulatedFault(fault: AdapterFault | undefined): SimulatedFault | undefined {
  switch (fault?.type) {
    case undefined:
      return undefined;
    case 'http-status':
      return { type: 'http-status', status: fault.status, ...(fault.retryAfterSeconds !== undefined ? { retryAfterMs: fault.retryAfterSeconds * 1000 } : {}) };
    case 'slow':
      return { type: 'slow', delayMs: fault.delayMs * timeScale };
    case 'malformed-json':
      return { type: 'malformed-response' };
  }
}

for (const profile of Object.values(providerProfiles)) {
  const firstOffering = profile.gpus[0]!;
  describeAdapterConformance(vitest, {
    name: `simulated ${profile.id}`,
    // Simulated providers need no API key.
    skip: ['credentials'],
    request: { workload_type: 'llm_inference', gpu_type: firstOffering.gpuType, gpu_count: Math.min(...firstOffering.gpuCounts) },
    createAdapter: ({ fault, recordProviderCall }) =>
      createSimulatedAdapter(withAmpleCapacity(profile), {
        seed: 'conformance',
        clock: createRealTimeClock({ timeScale, startAt: Date.UTC(2026, 0, 1) }),
        failureRateMultiplier: 0,
        fault: toSimulatedFault(fault),
        onProviderCall: () => recordProviderCall(),
      }),
    timeouts: { slowResponseMs: 5_000 },
  });
}
