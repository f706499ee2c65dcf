import { createMockAdapter } from '@aurora/router/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../__fixtures__/test-server';
import { readyResponseSchema } from '../schemas/api-schemas';

describe('GET /ready', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  it('is ready when the ledger answers and a provider is healthy', async () => {
    server = await startTestServer({ adapters: [createMockAdapter({ name: 'healthy' }), createMockAdapter({ name: 'sick', health: { healthy: false } })] });
    await server.app.aurora.router.checkHealth();
    const response = await server.request('GET', '/ready');
    expect(response.status).toBe(200);
    expect(readyResponseSchema.parse(response.body)).toEqual({
      status: 'ready',
      checks: { ledger: { ok: true, message: null }, providers: { ok: true, healthy: ['healthy'], message: null } },
    });
  });

  it('is not ready when no provider is healthy', async () => {
    server = await startTestServer({ adapters: [createMockAdapter({ name: 'sick', health: { healthy: false } })] });
    await server.app.aurora.router.checkHealth();
    const response = await server.request('GET', '/ready');
    expect(response.status).toBe(503);
    expect(response.body.checks.providers).toEqual({ ok: false, healthy: [], message: 'no provider is healthy' });
    expect((await server.request('GET', '/health')).status).toBe(200);
  });

  it('is not ready when the ledger is unreachable', async () => {
    server = await startTestServer({ adapters: [createMockAdapter({ name: 'healthy' })] });
    await server.store.close();
    const response = await server.request('GET', '/ready');
    expect(response.status).toBe(503);
    expect(response.body.checks.ledger.ok).toBe(false);
  });
});
