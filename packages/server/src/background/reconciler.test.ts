import type { Deployment } from '@aurora/router';
import { createOffer } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FindableMockAdapter } from '../__fixtures__/findable-mock-adapter';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';

const longAgo = new Date(Date.now() - 60 * 60_000).toISOString();

describe('the reconciler', () => {
  let server: TestServer;
  let adapter: FindableMockAdapter;

  beforeEach(async () => {
    adapter = new FindableMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })] });
    server = await startTestServer({ adapters: [adapter] });
  });
  afterEach(async () => server?.close());

  /** Routes for real, then rewinds the ledger to the state a crash leaves: the intent without the provider's answer. */
  async function crashedIntent(options: { idempotencyKey?: string; status?: Deployment['status'] } = {}): Promise<Deployment> {
    const headers: Record<string, string> = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {};
    const response = await server.request('POST', '/route', { body: exampleRouteRequest, headers });
    expect(response.status).toBe(201);
    const routed = (await server.store.get(response.body.deployment_id))!;
    const intent: Deployment = {
      ...routed,
      status: options.status ?? 'pending',
      provider_deployment_id: null,
      provider_status: null,
      started_at: null,
      updated_at: longAgo,
    };
    await server.store.save(intent);
    expect((await server.store.get(intent.deployment_id))?.provider_deployment_id).toBeNull();
    return intent;
  }

  it('adopts a pending intent the provider has under its idempotency key', async () => {
    const intent = await crashedIntent({ idempotencyKey: 'client-order-1' });
    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: intent.deployment_id, action: 'adopted', detail: 'mock-dep-1' });
    expect(adapter.findCalls).toContain(`${intent.deployment_id}-1`);
    const adopted = await server.store.get(intent.deployment_id);
    expect(adopted).toMatchObject({ provider_deployment_id: 'mock-dep-1', status: 'running', provider_status: 'mock:running' });
    expect(adapter.activeDeploymentIds()).toEqual(['mock-dep-1']);
  });

  it('marks failed a pending intent the provider does not know', async () => {
    const intent = await crashedIntent({ idempotencyKey: 'client-order-2' });
    adapter.forget(`${intent.deployment_id}-1`);
    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: intent.deployment_id, action: 'failed_missing' });
    const failed = await server.store.get(intent.deployment_id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/interrupted/);
    const record = await server.store.getDecision(intent.decision_id);
    expect(record?.outcome).toMatchObject({ filled: false, failure_reason: 'reconciled_failed' });
  });

  it('terminates at the provider what the ledger says is terminating', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest });
    const deployment = (await server.store.get(response.body.deployment_id))!;
    await server.store.save({ ...deployment, status: 'terminating', updated_at: longAgo });

    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: deployment.deployment_id, action: 'terminated' });
    expect(adapter.calls.terminate.map((call) => call.providerDeploymentId)).toEqual([deployment.provider_deployment_id]);
    expect(adapter.activeDeploymentIds()).toEqual([]);
    expect((await server.store.get(deployment.deployment_id))?.status).toBe('terminated');
  });

  it('terminates an orphan that no client can claim (no idempotency key)', async () => {
    const intent = await crashedIntent();
    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: intent.deployment_id, action: 'terminated_orphan', detail: 'mock-dep-1' });
    expect(adapter.activeDeploymentIds()).toEqual([]);
    const record = await server.store.get(intent.deployment_id);
    expect(record).toMatchObject({ status: 'terminated', provider_deployment_id: 'mock-dep-1' });
  });

  it('marks failed a deployment its provider no longer knows', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest });
    const deployment = (await server.store.get(response.body.deployment_id))!;
    await server.store.save({ ...deployment, provider_deployment_id: 'mock-dep-999' });

    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: deployment.deployment_id, action: 'failed_unknown' });
    expect((await server.store.get(deployment.deployment_id))?.status).toBe('failed');
  });

  it('leaves alone an intent younger than the grace period: it may still be deploying', async () => {
    const intent = await crashedIntent({ idempotencyKey: 'client-order-3' });
    await server.store.save({ ...intent, updated_at: new Date().toISOString() });
    const reports = await server.app.aurora.reconciler.runOnce();

    expect(reports).toContainEqual({ deployment_id: intent.deployment_id, action: 'skipped', detail: 'within the grace period' });
    expect(adapter.findCalls).toEqual([]);
    expect((await server.store.get(intent.deployment_id))?.status).toBe('pending');
  });

  it('runs at start when the background loops start', async () => {
    const intent = await crashedIntent({ idempotencyKey: 'client-order-4' });
    adapter.forget(`${intent.deployment_id}-1`);
    server.app.aurora.background.start();
    await expect.poll(async () => (await server.store.get(intent.deployment_id))?.status).toBe('failed');
  });
});
