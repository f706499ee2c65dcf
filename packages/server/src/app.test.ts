import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from './__fixtures__/test-server';
import { knownProviderIds } from './providers/known-providers';
import { providersResponseSchema, routeResponseSchema } from './schemas/api-schemas';

describe('the server on its embedded defaults (every provider simulated)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ router: { simulator: { seed: 'app-test', failure_rate_multiplier: 0, api_latency: false } } });
  });
  afterAll(async () => server?.close());

  it('routes the example request: 201 with the deployment at the top level and the decision', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest });
    expect(response.status).toBe(201);
    const body = routeResponseSchema.parse(response.body);
    expect(body.deployment_id).toMatch(/^dep-/);
    expect(knownProviderIds).toContain(body.provider);
    expect(body.price_usd_per_hour).toBeLessThanOrEqual(3);
    expect(body.region).toBe('us-west');
    expect(body.gpu_type).toBe('a100');
    expect(['pending', 'provisioning', 'running']).toContain(body.status);
    expect(body.decision.candidates.length).toBeGreaterThan(0);
    expect(body.decision.candidates[0]!.rank).toBe(1);
    expect(body.decision.arm).toBe('rules');
    expect(body.decision.propensity).toBeGreaterThan(0);
    expect(body.decision.rejection_counts.by_reason).toBeTypeOf('object');

    const stored = await server.request('GET', `/deployments/${body.deployment_id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.provider).toBe(body.provider);
    expect(stored.body.decision_id).toBe(body.decision_id);
    const decision = await server.store.getDecision(body.decision_id);
    expect(decision?.request.gpu_type).toBe('a100');
  });

  it('answers /health', async () => {
    const response = await server.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('lists all eight providers, marked simulated, with what they sell', async () => {
    const response = await server.request('GET', '/providers');
    expect(response.status).toBe(200);
    const { providers } = providersResponseSchema.parse(response.body);
    expect(providers.map((provider) => provider.provider).sort()).toEqual([...knownProviderIds].sort());
    for (const provider of providers) {
      expect(provider.simulated).toBe(true);
      expect(provider.gpu_types.length).toBeGreaterThan(0);
      expect(provider.regions.length).toBeGreaterThan(0);
      expect(provider.price_range!.min_usd_per_hour).toBeLessThanOrEqual(provider.price_range!.max_usd_per_hour);
      expect(['closed', 'open', 'half_open']).toContain(provider.circuit);
    }
  });

  it('quotes without deploying', async () => {
    const before = await server.store.list({ limit: 1000 });
    const response = await server.request('POST', '/quote', { body: { ...exampleRouteRequest, gpu_type: 'h100', region: 'global' } });
    expect(response.status).toBe(200);
    expect(response.body.candidates.length).toBeGreaterThan(0);
    expect(response.body.request.gpu_type).toBe('h100');
    const after = await server.store.list({ limit: 1000 });
    expect(after.items.length).toBe(before.items.length);
  });

  it('answers 422 with rejection counts when nothing is eligible', async () => {
    const response = await server.request('POST', '/route', { body: { ...exampleRouteRequest, max_price: 0.01 } });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('AURORA_ERR_NO_ELIGIBLE_OFFER');
    expect(response.body.error.details.by_reason.price_above_max).toBeGreaterThan(0);
  });

  it('answers unknown paths with the error shape', async () => {
    const response = await server.request('GET', '/nope');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('AURORA_ERR_NOT_FOUND');
  });
});
