import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';
import { sha256Hex } from '../auth/api-key';

const keys = {
  acmeRoute: 'acme-route-key-0123456789',
  acmeRead: 'acme-read-key-0123456789',
  globexRoute: 'globex-route-key-0123456789',
  ops: 'ops-admin-key-0123456789abc',
  yamlKey: 'yaml-configured-key-0123456789',
};

describe('API keys, scopes and tenant isolation', () => {
  let server: TestServer;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })], logLines: ['hello'] });
    server = await startTestServer({
      adapters: [adapter],
      router: { api_keys: [{ name: 'initech', sha256: sha256Hex(keys.yamlKey), tenant: 'initech', scopes: ['route', 'read'] }] },
      environment: {
        AURORA_API_KEYS: `${keys.acmeRoute}:acme:route+read,${keys.acmeRead}:acme:read,${keys.globexRoute}:globex:route+read,${keys.ops}:ops:admin`,
      },
    });
  });
  afterAll(async () => server?.close());

  it('a missing key is 401 with a WWW-Authenticate challenge', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('AURORA_ERR_UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('an unknown key, or a malformed header, is 401', async () => {
    expect((await server.request('GET', '/deployments', { headers: auth('not-a-configured-key-000') })).status).toBe(401);
    expect((await server.request('GET', '/deployments', { headers: { authorization: `Basic ${keys.acmeRead}` } })).status).toBe(401);
  });

  it('a key without the scope is 403', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest, headers: auth(keys.acmeRead) });
    expect(response.status).toBe(403);
    expect(response.body.error).toMatchObject({ code: 'AURORA_ERR_FORBIDDEN', details: { required_scope: 'route' } });
    const remove = await server.request('DELETE', '/deployments/dep-anything', { headers: auth(keys.acmeRead) });
    expect(remove.status).toBe(403);
  });

  it('keys configured as SHA-256 hashes in router.yaml work', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest, headers: auth(keys.yamlKey) });
    expect(response.status).toBe(201);
    expect((await server.store.get(response.body.deployment_id))?.tenant).toBe('initech');
  });

  it('each tenant sees only its own deployments, on every endpoint', async () => {
    const acme = await server.request('POST', '/route', { body: exampleRouteRequest, headers: auth(keys.acmeRoute) });
    const globex = await server.request('POST', '/route', { body: exampleRouteRequest, headers: auth(keys.globexRoute) });
    expect(acme.status).toBe(201);
    expect(globex.status).toBe(201);
    const acmeId = acme.body.deployment_id as string;
    const globexId = globex.body.deployment_id as string;
    expect((await server.store.get(acmeId))?.tenant).toBe('acme');

    const acmeList = await server.request('GET', '/deployments', { headers: auth(keys.acmeRead) });
    expect(acmeList.status).toBe(200);
    const listed = (acmeList.body.deployments as Array<{ deployment_id: string; tenant: string }>);
    expect(listed.map((deployment) => deployment.deployment_id)).toContain(acmeId);
    expect(listed.every((deployment) => deployment.tenant === 'acme')).toBe(true);

    for (const [method, path] of [
      ['GET', `/deployments/${globexId}`],
      ['GET', `/deployments/${globexId}/logs`],
      ['GET', `/deployments/${globexId}/logs?follow=true`],
      ['DELETE', `/deployments/${globexId}`],
    ] as const) {
      const key = method === 'DELETE' ? keys.acmeRoute : keys.acmeRead;
      const response = await server.request(method, path, { headers: auth(key) });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('AURORA_ERR_NOT_FOUND');
    }
    expect((await server.store.get(globexId))?.status).not.toBe('terminated');

    expect((await server.request('GET', `/deployments/${acmeId}`, { headers: auth(keys.acmeRead) })).status).toBe(200);
    expect((await server.request('GET', `/deployments/${acmeId}/logs`, { headers: auth(keys.acmeRead) })).status).toBe(200);
    expect((await server.request('DELETE', `/deployments/${acmeId}`, { headers: auth(keys.acmeRoute) })).status).toBe(200);
  });

  it('an idempotency key belongs to its tenant: the same key in two tenants makes two deployments', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const acme = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { ...headers, ...auth(keys.acmeRoute) } });
    const globex = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { ...headers, ...auth(keys.globexRoute) } });
    expect(acme.status).toBe(201);
    expect(globex.status).toBe(201);
    expect(acme.body.deployment_id).not.toBe(globex.body.deployment_id);
  });

  it('an admin key sees every tenant', async () => {
    const response = await server.request('GET', '/deployments?limit=1000', { headers: auth(keys.ops) });
    const tenants = new Set((response.body.deployments as Array<{ tenant: string }>).map((deployment) => deployment.tenant));
    expect(tenants).toEqual(new Set(['acme', 'globex', 'initech']));
  });

  it('/health, /ready and /metrics are open; /providers and /docs need a key', async () => {
    expect((await server.request('GET', '/health')).status).toBe(200);
    expect([200, 503]).toContain((await server.request('GET', '/ready')).status);
    expect((await server.request('GET', '/metrics')).status).toBe(200);
    expect((await server.request('GET', '/providers')).status).toBe(401);
    expect((await server.request('GET', '/docs')).status).toBe(401);
    expect((await server.request('GET', '/providers', { headers: auth(keys.acmeRead) })).status).toBe(200);
  });
});

describe('public endpoints are configurable', () => {
  it('protects /metrics when it is not listed in server.public_endpoints', async () => {
    const server = await startTestServer({
      adapters: [createMockAdapter({ name: 'mock' })],
      router: { server: { log_level: 'silent', public_endpoints: ['health'] } },
      environment: { AURORA_API_KEYS: `${keys.acmeRead}:acme:read` },
    });
    try {
      expect((await server.request('GET', '/metrics')).status).toBe(401);
      expect((await server.request('GET', '/ready')).status).toBe(401);
      expect((await server.request('GET', '/metrics', { headers: { authorization: `Bearer ${keys.acmeRead}` } })).status).toBe(200);
      expect((await server.request('GET', '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('rate limiting', () => {
  it('limits each key on its own and answers 429 with Retry-After', async () => {
    const server = await startTestServer({
      adapters: [createMockAdapter({ name: 'mock' })],
      router: { server: { log_level: 'silent' }, limits: { rate_limit: { enabled: true, max: 3, time_window_ms: 60_000 } } },
      environment: { AURORA_API_KEYS: `${keys.acmeRead}:acme:read,${keys.ops}:ops:admin` },
    });
    try {
      const acme = { authorization: `Bearer ${keys.acmeRead}` };
      for (let index = 0; index < 3; index++) expect((await server.request('GET', '/deployments', { headers: acme })).status).toBe(200);
      const limited = await server.request('GET', '/deployments', { headers: acme });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('AURORA_ERR_RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await server.request('GET', '/deployments', { headers: { authorization: `Bearer ${keys.ops}` } })).status).toBe(200);
      expect((await server.request('GET', '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
