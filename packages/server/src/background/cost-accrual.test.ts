import { createMockAdapter, createOffer, type MockAdapter } from '@aurora/router/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';

const hour = 3_600_000;

describe('cost accrual and budgets', () => {
  let server: TestServer;
  let adapter: MockAdapter;
  const clock = { time: Date.parse('2026-03-01T00:00:00.000Z'), now() { return this.time; } };

  async function start(budgets: Record<string, number | string | null>, environment: Record<string, string> = {}, committedCostUsd?: number, startAt = '2026-03-01T00:00:00.000Z') {
    clock.time = Date.parse(startAt);
    adapter = createMockAdapter({
      name: 'mock',
      offers: [createOffer({ provider: 'mock', offer_id: 'a100-west', price_usd_per_hour: 2 })],
      clock,
      ...(committedCostUsd !== undefined ? { deploy: { committed_cost_usd: committedCostUsd } } : {}),
    });
    server = await startTestServer({ adapters: [adapter], clock, router: { budgets }, environment });
  }
  afterEach(async () => server?.close());

  async function routeRunning(headers: Record<string, string> = {}): Promise<string> {
    const response = await server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_hours: undefined }, headers });
    expect(response.status).toBe(201);
    await server.app.aurora.poller.runOnce();
    const deployment = await server.store.get(response.body.deployment_id);
    expect(deployment?.status).toBe('running');
    return response.body.deployment_id;
  }

  it('brings cost_usd up to price x running time, never counting twice', async () => {
    await start({});
    const id = await routeRunning();
    clock.time += hour;
    await server.app.aurora.costs.runOnce();
    expect((await server.store.get(id))?.cost_usd).toBeCloseTo(2, 6);
    await server.app.aurora.costs.runOnce();
    expect((await server.store.get(id))?.cost_usd).toBeCloseTo(2, 6);
    clock.time += hour / 2;
    await server.app.aurora.costs.runOnce();
    expect((await server.store.get(id))?.cost_usd).toBeCloseTo(3, 6);
    const view = await server.request('GET', `/deployments/${id}`);
    expect(view.body.cost_usd).toBeCloseTo(3, 6);
  });

  it('counts a prepaid placement from the start: the ledger, the spend and the budgets see it at once', async () => {
    await start({ per_tenant_usd: 10 }, {}, 6);
    const id = await routeRunning();
    expect((await server.store.get(id))?.cost_usd).toBe(6);
    expect(await server.store.spend({ tenant: null })).toBe(6);
    clock.time += hour;
    await server.app.aurora.costs.runOnce();
    expect((await server.store.get(id))?.cost_usd).toBe(6);
    clock.time += 3 * hour;
    await server.app.aurora.costs.runOnce();
    expect((await server.store.get(id))?.cost_usd).toBeCloseTo(8, 6);
  });

  it('terminates a deployment that reaches its own budget', async () => {
    await start({ per_deployment_usd: 5 });
    const id = await routeRunning();
    clock.time += 2 * hour;
    expect(await server.app.aurora.costs.runOnce()).toEqual([]);
    clock.time += hour;
    const breaches = await server.app.aurora.costs.runOnce();
    expect(breaches).toEqual([{ deployment_id: id, scope: 'deployment', period: 'lifetime', limit_usd: 5, spent_usd: 6 }]);
    const deployment = await server.store.get(id);
    expect(deployment?.status).toBe('terminated');
    expect(deployment?.error).toMatch(/deployment budget of 5 USD reached/);
    expect(adapter.activeDeploymentIds()).toEqual([]);
    // The final outcome carries the real cost, for the policy and the decision log.
    await expect.poll(async () => (await server.store.getDecision(deployment!.decision_id))?.outcome).toMatchObject({
      filled: true,
      cost_usd: 6,
      gpu_hours_delivered: 3,
    });
  });

  it('rejects at decision time a request whose estimated cost exceeds the per-deployment budget', async () => {
    await start({ per_deployment_usd: 3 });
    const response = await server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_hours: 2 } });
    expect(response.status).toBe(422);
    expect(response.body.error.details.by_reason).toEqual({ over_budget: 1 });
  });

  it('enforces the tenant budget while running and refuses new routes with 402 once it is spent', async () => {
    const keys = 'acme-key-0123456789abcdef:acme:route+read,globex-key-0123456789abcd:globex:route+read';
    await start({ per_tenant_usd: 3 }, { AURORA_API_KEYS: keys });
    const acme = { authorization: 'Bearer acme-key-0123456789abcdef' };
    const globex = { authorization: 'Bearer globex-key-0123456789abcd' };
    const acmeId = await routeRunning(acme);
    const globexId = await routeRunning(globex);
    clock.time += 2 * hour;
    const breaches = await server.app.aurora.costs.runOnce();
    expect(breaches.map((breach) => [breach.deployment_id, breach.scope]).sort()).toEqual(
      [
        [acmeId, 'tenant'],
        [globexId, 'tenant'],
      ].sort(),
    );
    clock.time += 10_000;
    const refused = await server.request('POST', '/route', { body: exampleRouteRequest, headers: acme });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: 'AURORA_ERR_BUDGET_EXCEEDED', details: { scope: 'tenant', limit_usd: 3 } });
  });

  it('enforces a monthly tenant budget on the spend of the current UTC month, and routes again the next month', async () => {
    await start({ per_tenant_usd: 3, period: 'month' }, {}, undefined, '2026-03-31T22:30:00.000Z');
    const id = await routeRunning();
    clock.time += hour;
    expect(await server.app.aurora.costs.runOnce()).toEqual([]);
    clock.time += hour;
    // 4 USD in all, but only the 2 USD accrued after midnight count in April: a lifetime budget would stop it here.
    expect(await server.app.aurora.costs.runOnce()).toEqual([]);
    expect(await server.store.spend({ tenant: null })).toBeCloseTo(4, 6);
    expect(await server.store.spend({ tenant: null, since: '2026-04-01' })).toBeCloseTo(2, 6);

    clock.time += hour / 2;
    const breaches = await server.app.aurora.costs.runOnce();
    expect(breaches).toEqual([{ deployment_id: id, scope: 'tenant', period: 'month', limit_usd: 3, spent_usd: 3 }]);
    const deployment = await server.store.get(id);
    expect(deployment?.status).toBe('terminated');
    expect(deployment?.error).toBe("terminated: tenant's monthly budget of 3 USD reached (spent 3.00 USD since 2026-04-01)");

    clock.time += 10_000;
    const refused = await server.request('POST', '/route', { body: exampleRouteRequest });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toEqual({
      code: 'AURORA_ERR_BUDGET_EXCEEDED',
      message: "The tenant's monthly budget of 3.00 USD is spent (3.00 USD since 2026-04-01); it renews on 2026-05-01",
      details: { scope: 'tenant', limit_usd: 3, required_usd: 3, period: 'month', period_start: '2026-04-01' },
    });
    clock.time = Date.parse('2026-05-01T00:00:05.000Z');
    // The whole budget is back: 1 GPU-hour (2 USD) fits, 2 (4 USD) would not.
    expect((await server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_hours: 1 } })).status).toBe(201);
  });

  it('the global budget stops everything', async () => {
    await start({ global_usd: 3 });
    const first = await routeRunning();
    const second = await routeRunning();
    clock.time += hour;
    const breaches = await server.app.aurora.costs.runOnce();
    expect(breaches.map((breach) => [breach.deployment_id, breach.scope]).sort()).toEqual([[first, 'global'], [second, 'global']].sort());
    for (const id of [first, second]) expect((await server.store.get(id))?.status).toBe('terminated');
    clock.time += 10_000;
    expect((await server.request('POST', '/route', { body: exampleRouteRequest })).status).toBe(402);
  });
});
