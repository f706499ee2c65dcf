import { AdapterCallError, InvalidArgumentError, offerSchema, type Offer } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { createTestProfile } from './__fixtures__/test-profile';
import type { SimulationClock } from './clock/simulation-clock';
import type { FailureRates, ProviderProfile } from './profiles/provider-profile';
import { createSimulatedAdapter, outageWindowMs, type SimulatedAdapter } from './simulated-adapter';

const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'a100' });
const hourMs = 3_600_000;

/** A clock the test sets directly: statistics need many instants, not waiting. */
function createSteppedClock(start = Date.UTC(2026, 0, 1)): SimulationClock & { time: number } {
  const clock = { time: start, now: () => clock.time, sleep: async () => undefined };
  return clock;
}

function createAdapter(profile: ProviderProfile, clock: SimulationClock, failureRateMultiplier?: number): SimulatedAdapter {
  return createSimulatedAdapter(profile, {
    seed: 'failure-rates',
    clock,
    apiLatency: false,
    ...(failureRateMultiplier !== undefined ? { failureRateMultiplier } : {}),
  });
}

/**
 * Deploys `trials` times on one offer with ample capacity. Returns how many were refused with
 * no_capacity and the ids of those placed.
 */
async function deployMany(adapter: SimulatedAdapter, trials: number): Promise<{ refused: number; placed: string[] }> {
  const { offers } = await adapter.listOffers(request);
  const offer: Offer = offerSchema.parse(offers[0]);
  let refused = 0;
  const placed: string[] = [];
  for (let trial = 0; trial < trials; trial++) {
    try {
      placed.push((await adapter.deploy(request, offer, { idempotency_key: `trial-${trial}` })).provider_deployment_id);
    } catch (error) {
      if (!AdapterCallError.isInstance(error) || error.reason !== 'no_capacity') throw error;
      refused += 1;
    }
  }
  return { refused, placed };
}

/** |observed - expected| within 4.5 standard errors of a binomial proportion (seeded, so stable). */
function expectRate(observed: number, expected: number, trials: number): void {
  const standardError = Math.sqrt((expected * (1 - expected)) / trials);
  expect(Math.abs(observed - expected), `observed ${observed.toFixed(4)}, expected ${expected}`).toBeLessThanOrEqual(4.5 * standardError + 1e-9);
}

function profileWith(rates: Partial<FailureRates>, extra: Partial<ProviderProfile> = {}): ProviderProfile {
  return createTestProfile({ rates, ...extra });
}

describe('failure injection rates', () => {
  it('refuses deploys with no_capacity at the fill-failure rate', async () => {
    const clock = createSteppedClock();
    const { refused } = await deployMany(createAdapter(profileWith({ fillFailure: 0.2 }), clock), 3_000);
    expectRate(refused / 3_000, 0.2, 3_000);
  });

  it('fails placed deployments before they run at the start-failure rate', async () => {
    const clock = createSteppedClock();
    const adapter = createAdapter(profileWith({ startFailure: 0.15 }), clock);
    const { placed } = await deployMany(adapter, 3_000);
    clock.time += hourMs;
    let failed = 0;
    for (const id of placed) {
      const status = await adapter.getStatus(id);
      if (status.status === 'failed') failed += 1;
      else expect(status.status).toBe('running');
    }
    expectRate(failed / placed.length, 0.15, placed.length);
  });

  it('keeps the API down for the health-failure share of outage windows', async () => {
    const clock = createSteppedClock();
    const adapter = createAdapter(profileWith({ healthFailure: 0.1 }), clock);
    let unhealthy = 0;
    const windows = 4_000;
    for (let window = 0; window < windows; window++) {
      clock.time += outageWindowMs;
      if (!(await adapter.healthCheck()).healthy) unhealthy += 1;
    }
    expectRate(unhealthy / windows, 0.1, windows);
  });

  it('preempts interruptible deployments at the preemption hazard', async () => {
    const clock = createSteppedClock();
    const adapter = createAdapter(profileWith({ preemptionPerHour: 0.5 }, { interruptibleOnly: true }), clock);
    const { placed } = await deployMany(adapter, 2_000);
    // Running 60 s after placement; one hour of running later, P(preempted) = 1 - e^-0.5.
    clock.time += 60_000 + hourMs;
    let preempted = 0;
    for (const id of placed) {
      const status = await adapter.getStatus(id);
      if (status.provider_status === 'preempted') preempted += 1;
    }
    expectRate(preempted / placed.length, 1 - Math.exp(-0.5), placed.length);
  });

  it('loses hosts under non-interruptible deployments at the runtime hazard', async () => {
    const clock = createSteppedClock();
    const adapter = createAdapter(profileWith({ runtimeFailurePerHour: 0.2 }), clock);
    const { placed } = await deployMany(adapter, 2_000);
    clock.time += 60_000 + 2 * hourMs;
    let failed = 0;
    for (const id of placed) {
      const status = await adapter.getStatus(id);
      if (status.status === 'failed') {
        failed += 1;
        expect(status.provider_status).not.toBe('preempted');
      }
    }
    expectRate(failed / placed.length, 1 - Math.exp(-0.4), placed.length);
  });

  it('scales every rate with failureRateMultiplier, and 0 turns failures off', async () => {
    const doubled = createAdapter(profileWith({ fillFailure: 0.1 }), createSteppedClock(), 2);
    expect(doubled.failureRates.fillFailure).toBeCloseTo(0.2, 10);
    expectRate((await deployMany(doubled, 3_000)).refused / 3_000, 0.2, 3_000);

    const clock = createSteppedClock();
    const quiet = createAdapter(profileWith({ fillFailure: 0.3, startFailure: 0.3, healthFailure: 0.3, runtimeFailurePerHour: 5 }), clock, 0);
    const { refused, placed } = await deployMany(quiet, 500);
    expect(refused).toBe(0);
    clock.time += 10 * hourMs;
    for (const id of placed) expect((await quiet.getStatus(id)).status).toBe('running');
    expect((await quiet.healthCheck()).healthy).toBe(true);
  });

  it('makes quotes occasionally slow (vast.ai: ~3% of calls 5-20x the usual latency)', async () => {
    const { vastaiProfile } = await import('./profiles/vastai');
    const adapter = createSimulatedAdapter(vastaiProfile, { seed: 'latency', clock: createSteppedClock(), apiLatency: false, failureRateMultiplier: 0 });
    const latencies: number[] = [];
    for (let call = 0; call < 4_000; call++) latencies.push((await adapter.healthCheck()).latency_ms ?? 0);
    const verySlow = latencies.filter((latency) => latency > 4 * vastaiProfile.apiLatency.p90Ms).length / latencies.length;
    expect(verySlow).toBeGreaterThan(0.01);
    expect(verySlow).toBeLessThan(0.05);
  });

  it('refuses invalid failure settings with InvalidArgumentError', () => {
    const attempts = [
      () => createAdapter(createTestProfile(), createSteppedClock(), -1),
      () => createAdapter(createTestProfile(), createSteppedClock(), Number.NaN),
      () => createSimulatedAdapter(createTestProfile(), { seed: 1, failureRates: { fillFailure: 1.5 } }),
      () => createSimulatedAdapter(createTestProfile(), { seed: 1, failureRates: { preemptionPerHour: -2 } }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    }
  });
});
