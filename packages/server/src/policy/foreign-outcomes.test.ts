import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../__fixtures__/test-server';
import { createSqliteStore } from '../ledger/index';
import type { DeploymentStore } from '../ledger/index';
import { policyTestAdapters, routeMany } from './__fixtures__/policy-test-server';

describe('outcomes of decisions another replica took', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Two replicas on one SQLite ledger and the same providers. */
  async function replicas(router: Record<string, unknown> = { mode: 'ai' }): Promise<[TestServer, TestServer]> {
    const directory = await mkdtemp(path.join(tmpdir(), 'aurora-foreign-outcomes-'));
    cleanup.push(() => rm(directory, { recursive: true, force: true }));
    const adapters = policyTestAdapters();
    const servers: TestServer[] = [];
    for (const name of ['a', 'b']) {
      const store: DeploymentStore = createSqliteStore({ path: path.join(directory, 'ledger.db') });
      await store.migrate();
      cleanup.push(() => store.close());
      const server = await startTestServer({ router, adapters, store, directory: path.join(directory, name) });
      cleanup.push(() => server.close());
      servers.push(server);
    }
    return servers as [TestServer, TestServer];
  }

  const observations = (server: TestServer) => server.app.aurora.policy.learner!.learner.diagnostics().observations;

  it('are learned by the replica that sees them end, from the decision log in the ledger', async () => {
    const [a, b] = await replicas();
    const routed = await routeMany(a, 6, 'taken-by-a');
    await a.app.aurora.policy.flush();
    expect(observations(a)).toBe(6);
    expect(observations(b)).toBe(0);

    for (const body of routed) expect((await b.request('DELETE', `/deployments/${body.deployment_id}`)).status).toBe(200);
    await b.app.aurora.policy.flush();
    expect(observations(b)).toBe(6);
    expect(observations(a)).toBe(6);
  });

  it('are not learned twice by the replica that took them: its learner matches them itself', async () => {
    const [a] = await replicas();
    const routed = await routeMany(a, 4, 'own');
    for (const body of routed) expect((await a.request('DELETE', `/deployments/${body.deployment_id}`)).status).toBe(200);
    await a.app.aurora.policy.flush();
    // The final outcome replaces the first reward of each decision instead of adding evidence.
    expect(observations(a)).toBe(4);
  });

  it('count once in the shared A/B metrics: the fill where it was recorded first, the bill where it was', async () => {
    const [a, b] = await replicas({ mode: 'hybrid', ai_rollout_percentage: 50 });
    const routed = await routeMany(a, 8, 'ab-once');
    await a.app.aurora.policy.flush();
    for (const body of routed) expect((await b.request('DELETE', `/deployments/${body.deployment_id}`)).status).toBe(200);
    await b.app.aurora.policy.flush();

    await a.app.aurora.policy.updateMetrics();
    await b.app.aurora.policy.updateMetrics();
    await a.app.aurora.policy.updateMetrics();
    const status = (await a.request('GET', '/policy')).body;
    const { rules, ai } = status.ab_metrics.arms;
    expect(status.ab_metrics.replicas).toBe(2);
    // Each decision once for its fill (recorded by a) and once for its bill (recorded by b).
    expect(rules.fill_rate.count + ai.fill_rate.count).toBe(8);
    expect(rules.outcomes + ai.outcomes).toBe(8);
    expect(rules.cost_per_gpu_hour.count + ai.cost_per_gpu_hour.count).toBe(8);
  });
});
