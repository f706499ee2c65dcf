import { createManualClock, createSimulatedAdapter, providerProfiles } from '@aurora/simulator';
import { createMockAdapter } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../__fixtures__/test-server';
import { fleetClock } from './fleet-clock';

describe('fleetClock', () => {
  const simulated = (clock = createManualClock()) => createSimulatedAdapter(providerProfiles.runpod, { seed: 'fleet-clock', clock, apiLatency: false });

  it('is the clock every simulated adapter shares', () => {
    const clock = createManualClock();
    expect(fleetClock([simulated(clock), simulated(clock)])).toBe(clock);
  });

  it('is found on prepared entries too', () => {
    const clock = createManualClock();
    const adapter = simulated(clock);
    expect(fleetClock([{ id: adapter.name, adapter, simulated: true, reason: 'test', catalog: null, healthCheckIntervalMs: undefined, orphanSweep: false }])).toBe(clock);
  });

  it('is undefined with a real provider, with simulated adapters on different clocks, or with none', () => {
    const clock = createManualClock();
    expect(fleetClock([simulated(clock), createMockAdapter({ name: 'real', simulated: false })])).toBeUndefined();
    expect(fleetClock([simulated(clock), simulated(createManualClock())])).toBeUndefined();
    expect(fleetClock([])).toBeUndefined();
  });
});

describe('a server over a simulated fleet', () => {
  it('runs on the fleet clock: deployments are stamped in simulated time', async () => {
    const clock = createManualClock({ startAt: Date.UTC(2030, 0, 1) });
    const fleet = [createSimulatedAdapter(providerProfiles.runpod, { seed: 'fleet-clock', clock, apiLatency: false, failureRateMultiplier: 0 })];
    const server = await startTestServer({ adapters: fleet });
    try {
      const routed = await server.request('POST', '/route', { body: { workload_type: 'llm_inference', gpu_type: 'a100', region: 'global' } });
      expect(routed.status).toBe(201);
      expect(routed.body.created_at).toBe('2030-01-01T00:00:00.000Z');
      expect((await server.store.get(routed.body.deployment_id))?.updated_at).toBe('2030-01-01T00:00:00.000Z');
    } finally {
      await server.close();
    }
  });
});
