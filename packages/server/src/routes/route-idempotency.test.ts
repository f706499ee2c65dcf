import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockAdapter, createOffer, type MockAdapter } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';
import { canonicalHash } from '../idempotency/canonical-hash';
import { createSqliteStore, type CommittedBatch } from '../ledger/index';

describe('POST /route with an Idempotency-Key', () => {
  let server: TestServer;
  let adapter: MockAdapter;

  beforeEach(async () => {
    adapter = createMockAdapter({
      name: 'mock',
      offers: [createOffer({ provider: 'mock', offer_id: 'a100-west', price_usd_per_hour: 2 })],
      latencyMs: { deploy: 40 },
    });
    server = await startTestServer({ adapters: [adapter] });
  });
  afterEach(async () => server?.close());

  it('50 concurrent requests with one key make exactly one deployment and get identical responses', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'order-42' } }),
      ),
    );
    for (const response of responses) expect(response.status).toBe(201);
    const texts = new Set(responses.map((response) => response.text));
    expect(texts.size).toBe(1);
    expect(adapter.calls.deploy).toHaveLength(1);
    const page = await server.store.list({ limit: 100 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.idempotency_key).toBe('order-42');
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
  });

  it('a later retry with the same key and body replays the first response', async () => {
    const first = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-1' } });
    // Key order does not matter: the body is compared by content.
    const reordered = Object.fromEntries(Object.entries(exampleRouteRequest).reverse());
    const second = await server.request('POST', '/route', { body: reordered, headers: { 'idempotency-key': 'k-1' } });
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(adapter.calls.deploy).toHaveLength(1);
  });

  it('the same key with another body is 409', async () => {
    await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-2' } });
    const conflict = await server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_hours: 3 }, headers: { 'idempotency-key': 'k-2' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('AURORA_ERR_CONFLICT');
    expect(conflict.body.error.details.idempotency_key).toBe('k-2');
  });

  it('the same key with another body while the first is still running is 409 too', async () => {
    const [first, conflict] = await Promise.all([
      server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-3' } }),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        server.request('POST', '/route', { body: { ...exampleRouteRequest, gpu_hours: 9 }, headers: { 'idempotency-key': 'k-3' } }),
      ),
    ]);
    expect(first.status).toBe(201);
    expect(conflict.status).toBe(409);
  });

  it('a failed route releases its key, so a retry routes again', async () => {
    adapter.setFailure('deploy', [new Error('no capacity')]);
    const failed = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-4' } });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const retried = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-4' } });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps a compact replay record and replays it byte for byte from another server on the same ledger', async () => {
    const first = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-5' } });
    expect(first.status).toBe(201);

    const stored = await server.store.claimIdempotencyKey({ tenant: null, key: 'k-5', request_hash: canonicalHash(exampleRouteRequest), now: new Date().toISOString() });
    expect(stored.outcome).toBe('completed');
    const record = stored.outcome === 'completed' ? stored.response_body : undefined;
    expect(record).toMatchObject({ summary: { deployment_id: first.body.deployment_id, decision_id: first.body.decision_id } });
    expect(JSON.stringify(record)).not.toContain('candidates');

    const restarted = await startTestServer({ adapters: [adapter], store: server.store, directory: server.directory });
    try {
      const replay = await restarted.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-5' } });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.text).toBe(first.text);
      expect(adapter.calls.deploy).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('has the claim and the intent durable before the provider is called, in two ledger writes per keyed route', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'aurora-route-writes-'));
    const batches: CommittedBatch[] = [];
    const store = createSqliteStore({ path: path.join(directory, 'ledger.db'), onCommit: (batch) => batches.push(batch) });
    const seenAtDeploy: unknown[] = [];
    const deploy = adapter.deploy.bind(adapter);
    adapter.deploy = async (...args) => {
      seenAtDeploy.push(await store.peekIdempotencyKey({ tenant: null, key: 'k-6' }), (await store.list({ limit: 10 })).items.map((item) => item.status));
      return deploy(...args);
    };
    const keyed = await startTestServer({ adapters: [adapter], store, directory });
    try {
      batches.length = 0;
      const routed = await keyed.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'k-6' } });
      expect(routed.status).toBe(201);
      expect(seenAtDeploy).toEqual([{ outcome: 'in_progress', request_hash: canonicalHash(exampleRouteRequest) }, ['pending']]);
      expect(batches.reduce((sum, batch) => sum + batch.writes, 0)).toBe(2);
      expect(await store.peekIdempotencyKey({ tenant: null, key: 'k-6' })).toMatchObject({ outcome: 'completed', response_status: 201 });
    } finally {
      await keyed.close();
      await store.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('without a key every request deploys', async () => {
    await server.request('POST', '/route', { body: exampleRouteRequest });
    await server.request('POST', '/route', { body: exampleRouteRequest });
    expect(adapter.calls.deploy).toHaveLength(2);
  });
});
