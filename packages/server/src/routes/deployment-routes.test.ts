import { createMockAdapter, createOffer, type MockAdapter } from '@aurora/router/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';
import { deploymentListSchema, deploymentViewSchema } from '../schemas/api-schemas';

describe('deployments', () => {
  let server: TestServer;
  let mock: MockAdapter;
  let other: MockAdapter;
  const ids: string[] = [];

  beforeAll(async () => {
    mock = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'cheap', price_usd_per_hour: 1 })] });
    other = createMockAdapter({ name: 'other', offers: [createOffer({ provider: 'other', offer_id: 'h100', gpu_type: 'h100', price_usd_per_hour: 3 })] });
    server = await startTestServer({ adapters: [mock, other] });
    for (const gpu of ['a100', 'a100', 'h100', 'a100', 'h100']) {
      const response = await server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_type: gpu, max_price: 5 } });
      expect(response.status).toBe(201);
      ids.push(response.body.deployment_id);
    }
  });
  afterAll(async () => server?.close());

  it('pages newest first with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await server.request('GET', `/deployments?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      const page = deploymentListSchema.parse(response.body);
      expect(page.deployments.length).toBeLessThanOrEqual(2);
      seen.push(...page.deployments.map((deployment) => deployment.deployment_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by provider and by status', async () => {
    const byProvider = await server.request('GET', '/deployments?provider=other');
    expect(byProvider.body.deployments.map((deployment: { deployment_id: string }) => deployment.deployment_id).sort()).toEqual([ids[2], ids[4]].sort());
    await server.request('DELETE', `/deployments/${ids[0]}`);
    const terminated = await server.request('GET', '/deployments?status=terminated');
    expect(terminated.body.deployments.map((deployment: { deployment_id: string }) => deployment.deployment_id)).toEqual([ids[0]]);
    const live = await server.request('GET', '/deployments?status=provisioning,running,pending');
    expect(live.body.deployments).toHaveLength(4);
  });

  it('GET /deployments/:id refreshes a live deployment from its provider', async () => {
    const before = mock.calls.getStatus.length;
    const response = await server.request('GET', `/deployments/${ids[1]}`);
    expect(response.status).toBe(200);
    const deployment = deploymentViewSchema.parse(response.body);
    expect(mock.calls.getStatus.length).toBe(before + 1);
    expect(deployment).toMatchObject({ status: 'running', provider: 'mock', provider_deployment_id: expect.stringMatching(/^mock-dep-/), price_usd_per_hour: 1 });
    expect(deployment.started_at).not.toBeNull();
  });

  it('DELETE terminates once and is idempotent', async () => {
    const first = await server.request('DELETE', `/deployments/${ids[3]}`);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('terminated');
    const calls = mock.calls.terminate.length;
    const second = await server.request('DELETE', `/deployments/${ids[3]}`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(mock.calls.terminate.length).toBe(calls);
  });

  it('answers 404 for an unknown deployment', async () => {
    expect((await server.request('GET', '/deployments/dep-nope')).status).toBe(404);
    expect((await server.request('DELETE', '/deployments/dep-nope')).status).toBe(404);
  });

  it('rejects an invalid cursor', async () => {
    const response = await server.request('GET', '/deployments?cursor=not-a-cursor');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('AURORA_ERR_INVALID_ARGUMENT');
  });
});
