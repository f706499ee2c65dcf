import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';

const day = 86_400_000;

function exportedDecisionIds(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => (JSON.parse(line) as { decision_id: string }).decision_id);
}

describe('decision retention', () => {
  let server: TestServer | undefined;
  const clock = { time: 0, now() { return this.time; } };
  afterEach(async () => server?.close());

  async function start(ledger: Record<string, unknown>) {
    clock.time = Date.parse('2026-03-01T00:00:00.000Z');
    const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west', price_usd_per_hour: 2 })], clock });
    server = await startTestServer({ adapters: [adapter], clock, router: { ledger } });
    return server;
  }

  async function route(test: TestServer): Promise<{ deployment_id: string; decision_id: string }> {
    const response = await test.request('POST', '/route', { body: exampleRouteRequest });
    expect(response.status, response.text).toBe(201);
    return { deployment_id: response.body.deployment_id, decision_id: response.body.decision.decision_id };
  }

  it('deletes decisions older than the window; their deployments stay readable', async () => {
    const test = await start({ decision_retention_days: 30 });
    const old = await route(test);
    clock.time += 20 * day;
    const recent = await route(test);
    clock.time += 11 * day;

    const purged = await test.app.aurora.retention!.runOnce();

    expect(purged).toMatchObject({ decisions: 1 });
    expect(await test.store.getDecision(old.decision_id)).toBeUndefined();
    expect(await test.store.getDecision(recent.decision_id)).toBeDefined();
    const exported = await test.request('GET', '/decisions/export');
    expect(exportedDecisionIds(exported.text)).toEqual([recent.decision_id]);
    const deployment = await test.request('GET', `/deployments/${old.deployment_id}`);
    expect(deployment.status).toBe(200);
    expect(deployment.body.deployment_id).toBe(old.deployment_id);
  });

  it('runs as a background loop, and not at all when retention is off', async () => {
    const kept = await start({ decision_retention_days: null });
    expect(kept.app.aurora.retention).toBeUndefined();
    expect(kept.app.aurora.background.loops.map((loop) => loop.name)).not.toContain('decision-retention');
    await kept.close();
    server = undefined;

    const pruned = await start({});
    expect(pruned.app.aurora.config.router.ledger.decision_retention_days).toBe(30);
    expect(pruned.app.aurora.background.loops.map((loop) => loop.name)).toContain('decision-retention');
  });
});
