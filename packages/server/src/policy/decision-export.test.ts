import { parseJsonLines } from '@aurora/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../__fixtures__/test-server';
import { sha256Hex } from '../auth/api-key';
import { routeMany, startPolicyTestServer } from './__fixtures__/policy-test-server';

const adminKey = 'admin-key-0123456789abcdef-export';
const readKey = 'read-key-0123456789abcdef-export';

describe('GET /decisions/export', () => {
  let server: TestServer;
  let bodies: any[];

  beforeAll(async () => {
    server = await startPolicyTestServer({
      router: {
        mode: 'shadow',
        api_keys: [
          { name: 'ops', sha256: sha256Hex(adminKey), tenant: 'ops', scopes: ['admin'] },
          { name: 'reader', sha256: sha256Hex(readKey), tenant: 'acme', scopes: ['route', 'read'] },
        ],
      },
    });
    bodies = await routeMany(server, 12, 'export', { authorization: `Bearer ${readKey}` });
    // One deployment ends: its final outcome (with the bill) replaces the first one in the ledger.
    const ended = await server.request('DELETE', `/deployments/${bodies[0].deployment_id}`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(ended.status).toBe(200);
    await server.app.aurora.outcomes.flush();
    await server.app.aurora.policy.flush();
  });
  afterAll(async () => server?.close());

  it('streams every decision as a JSON line that parseJsonLines reads, with outcomes and rewards joined', async () => {
    const response = await server.request('GET', '/decisions/export', { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const records = parseJsonLines(response.text);
    expect(records.map((record) => record.decision_id)).toEqual(bodies.map((body) => body.decision_id));
    for (const [index, record] of records.entries()) {
      const body = bodies[index];
      expect(record).toMatchObject({ arm: 'rules', policy_id: 'rules', chosen_offer_id: body.decision.chosen.offer_id, propensity: body.decision.propensity });
      expect(record.context.tenant).toBe('acme');
      expect(record.context.request).not.toHaveProperty('image');
      expect(record.candidates).toHaveLength(6);
      expect(record.probabilities).toHaveLength(6);
      expect(record.shadow).toMatchObject({ policy_id: 'learning' });
      expect(record.outcome).toMatchObject({ decision_id: body.decision_id, filled: true });
      expect(record.reward).toBeTypeOf('number');
    }
    expect(records[0]!.outcome).toMatchObject({ deployment_id: bodies[0].deployment_id, cost_usd: expect.any(Number), gpu_hours_delivered: expect.any(Number) });
  });

  it('pages with since and limit, oldest first', async () => {
    const all = parseJsonLines((await server.request('GET', '/decisions/export', { headers: { authorization: `Bearer ${adminKey}` } })).text);
    const limited = parseJsonLines((await server.request('GET', '/decisions/export?limit=5', { headers: { authorization: `Bearer ${adminKey}` } })).text);
    expect(limited.map((record) => record.decision_id)).toEqual(all.slice(0, 5).map((record) => record.decision_id));
    const future = await server.request('GET', '/decisions/export?since=2999-01-01T00:00:00Z', { headers: { authorization: `Bearer ${adminKey}` } });
    expect(future.status).toBe(200);
    expect(future.text).toBe('');
    const since = all[6]!.logged_at;
    const later = parseJsonLines((await server.request('GET', `/decisions/export?since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${adminKey}` } })).text);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((record) => Date.parse(record.logged_at) >= Date.parse(since) - 1_000)).toBe(true);
  });

  it('needs the admin scope and a valid query', async () => {
    expect((await server.request('GET', '/decisions/export')).status).toBe(401);
    expect((await server.request('GET', '/decisions/export', { headers: { authorization: `Bearer ${readKey}` } })).status).toBe(403);
    const bad = await server.request('GET', '/decisions/export?since=yesterday&limit=0', { headers: { authorization: `Bearer ${adminKey}` } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('AURORA_ERR_INVALID_ARGUMENT');
    // GET /policy needs only read.
    expect((await server.request('GET', '/policy', { headers: { authorization: `Bearer ${readKey}` } })).status).toBe(200);
  });
});
