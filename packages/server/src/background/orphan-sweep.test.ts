import { AdapterCallError, offerSchema, type Offer } from '@aurora/router';
import { createOffer, createRoutingRequest } from '@aurora/router/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ListableMockAdapter, type ListableMockAdapterOptions } from '../__fixtures__/listable-mock-adapter';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';
import type { ProviderEntry } from '../providers/provider-entry';

const gracePeriodMs = 180_000;
const request = createRoutingRequest({ gpu_type: 'a100', region: 'us-west' });

type Clock = { time: number; now(): number; advance(ms: number): void };

function manualClock(): Clock {
  const clock: Clock = {
    time: Date.parse('2026-04-01T12:00:00.000Z'),
    now: () => clock.time,
    advance: (ms) => void (clock.time += ms),
  };
  return clock;
}

function entry(adapter: ListableMockAdapter, orphanSweep: boolean): ProviderEntry {
  return { id: adapter.name, adapter, simulated: true, reason: 'test', catalog: null, healthCheckIntervalMs: undefined, orphanSweep };
}

describe('the orphan sweep (reconciler)', () => {
  let server: TestServer | undefined;
  let logs: string[];
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(providers: Array<{ adapter: ListableMockAdapter; orphanSweep: boolean }>, clock: Clock) {
    logs = [];
    server = await startTestServer({
      clock,
      router: { background: { enabled: false, reconcile_grace_period_ms: gracePeriodMs }, server: { log_level: 'warn' } },
      buildOptions: {
        providers: providers.map((provider) => entry(provider.adapter, provider.orphanSweep)),
        logger: undefined,
        logDestination: { write: (line) => void logs.push(line) },
      },
    });
    return server;
  }

  function mockProvider(name: string, clock: Clock, options: ListableMockAdapterOptions = {}) {
    return new ListableMockAdapter({ name, clock, offers: [createOffer({ provider: name, offer_id: `${name}-a100`, region: 'us-west' })], ...options });
  }

  async function offerOf(adapter: ListableMockAdapter): Promise<Offer> {
    const { offers } = await adapter.listOffers(request);
    return offerSchema.parse(offers[0]);
  }

  function warnings(): string[] {
    return logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40).map((line) => line.msg);
  }

  it('terminates an orphan older than the grace period, and leaves a younger one and the ones the ledger knows', async () => {
    const clock = manualClock();
    const adapter = mockProvider('mock', clock);
    const app = await start([{ adapter, orphanSweep: true }], clock);
    const old = await adapter.placeBehindTheLedger(request, await offerOf(adapter), 'lost-1');
    clock.advance(gracePeriodMs + 1);
    const young = await adapter.placeBehindTheLedger(request, await offerOf(adapter), 'lost-2');
    const routed = await app.request('POST', '/route', { body: exampleRouteRequest });
    expect(routed.status).toBe(201);
    const known = (await app.store.get(routed.body.deployment_id))!.provider_deployment_id!;
    clock.advance(1_000);

    await app.app.aurora.reconciler.runOnce();

    expect(adapter.calls.terminate.map((call) => call.providerDeploymentId)).toEqual([old]);
    expect(adapter.activeDeploymentIds().sort()).toEqual([young, known].sort());
    expect(warnings()).toContainEqual(expect.stringMatching(new RegExp(`terminated ${old} at mock`)));
    const metrics = await app.request('GET', '/metrics');
    expect(metrics.text).toMatch(/^aurora_orphans_terminated_total\{provider="mock"\} 1$/m);
  });

  it('counts the age from the first listing when the provider gives no creation time', async () => {
    const clock = manualClock();
    const adapter = mockProvider('mock', clock, { reportsCreatedAt: false });
    const app = await start([{ adapter, orphanSweep: true }], clock);
    const orphan = await adapter.placeBehindTheLedger(request, await offerOf(adapter), 'lost');
    clock.advance(gracePeriodMs * 10);

    await app.app.aurora.reconciler.runOnce();
    expect(adapter.calls.terminate).toHaveLength(0);

    clock.advance(gracePeriodMs - 1);
    await app.app.aurora.reconciler.runOnce();
    expect(adapter.calls.terminate).toHaveLength(0);

    clock.advance(1);
    await app.app.aurora.reconciler.runOnce();
    expect(adapter.calls.terminate.map((call) => call.providerDeploymentId)).toEqual([orphan]);
  });

  it('does not sweep a provider with orphan_sweep off', async () => {
    const clock = manualClock();
    const adapter = mockProvider('mock', clock);
    const app = await start([{ adapter, orphanSweep: false }], clock);
    await adapter.placeBehindTheLedger(request, await offerOf(adapter), 'lost');
    clock.advance(gracePeriodMs * 2);

    await app.app.aurora.reconciler.runOnce();

    expect(adapter.listCalls).toHaveLength(0);
    expect(adapter.calls.terminate).toHaveLength(0);
  });

  it('follows every page of the listing', async () => {
    const clock = manualClock();
    const adapter = mockProvider('mock', clock, { pageSize: 2 });
    const app = await start([{ adapter, orphanSweep: true }], clock);
    const orphans: string[] = [];
    for (let index = 1; index <= 5; index++) orphans.push(await adapter.placeBehindTheLedger(request, await offerOf(adapter), `lost-${index}`));
    clock.advance(gracePeriodMs);

    await app.app.aurora.reconciler.runOnce();

    expect(adapter.listCalls).toEqual([undefined, '2', '4']);
    expect(adapter.calls.terminate.map((call) => call.providerDeploymentId).sort()).toEqual([...orphans].sort());
  });

  it('goes on with the other providers and the rest of the pass when a listing fails', async () => {
    const clock = manualClock();
    const failing = mockProvider('mock-a', clock);
    const working = mockProvider('mock-b', clock);
    const app = await start([{ adapter: failing, orphanSweep: true }, { adapter: working, orphanSweep: true }], clock);
    await failing.placeBehindTheLedger(request, await offerOf(failing), 'lost-a');
    const orphan = await working.placeBehindTheLedger(request, await offerOf(working), 'lost-b');
    failing.setListFailure(new AdapterCallError({ message: 'mock-a: HTTP 503', adapterId: 'mock-a', operation: 'list_deployments', statusCode: 503, isRetryable: true }));
    clock.advance(gracePeriodMs);

    await app.app.aurora.reconciler.runOnce();

    expect(failing.calls.terminate).toHaveLength(0);
    expect(working.calls.terminate.map((call) => call.providerDeploymentId)).toEqual([orphan]);
    expect(warnings()).toContainEqual(expect.stringMatching(/listing the deployments of mock-a failed: mock-a: HTTP 503/));
  });

  it('leaves a deployment alone whose terminate fails, and tries again on the next pass', async () => {
    const clock = manualClock();
    const adapter = mockProvider('mock', clock);
    const app = await start([{ adapter, orphanSweep: true }], clock);
    const orphan = await adapter.placeBehindTheLedger(request, await offerOf(adapter), 'lost');
    adapter.setFailure('terminate', [new Error('provider down')]);
    clock.advance(gracePeriodMs);

    await app.app.aurora.reconciler.runOnce();
    expect(adapter.activeDeploymentIds()).toEqual([orphan]);
    await app.app.aurora.reconciler.runOnce();
    expect(adapter.activeDeploymentIds()).toEqual([]);
    expect(adapter.calls.terminate).toHaveLength(2);
  });
});
