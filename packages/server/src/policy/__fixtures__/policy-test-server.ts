import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import type { MockDeployProgression } from '@aurora/router/testkit';
import { startTestServer, type TestServer, type TestServerOptions } from '../../__fixtures__/test-server';

export type PolicyTestServerOptions = Omit<TestServerOptions, 'adapters'> & {
  /** How the mock providers' deployments progress; default they run at once (a filled outcome per route). */
  deploy?: MockDeployProgression;
};

/**
 * Two mock providers with three A100 offers each in us-west, different in price, latency and
 * reputation, so that the policies have something to choose between; a server over them.
 */
export function policyTestAdapters(deploy: MockDeployProgression = { initialStatus: 'running' }) {
  const offers = (provider: string, base: number) =>
    [0, 1, 2].map((index) =>
      createOffer({
        provider,
        offer_id: `${provider}-${index + 1}`,
        price_usd_per_hour: base + index * 0.35,
        estimated_latency_ms: 40 + index * 60 + (provider === 'beta' ? 25 : 0),
        reputation: 95 - index * 8,
        availability: 0.95 - index * 0.1,
        capacity: 1_000,
      }),
    );
  return [
    createMockAdapter({ name: 'alpha', offers: offers('alpha', 1.2), deploy }),
    createMockAdapter({ name: 'beta', offers: offers('beta', 1.35), deploy }),
  ];
}

export async function startPolicyTestServer(options: PolicyTestServerOptions = {}): Promise<TestServer> {
  const { deploy, ...rest } = options;
  return startTestServer({ ...rest, adapters: policyTestAdapters(deploy) });
}

/** The route request of these tests: one A100 in us-west for an hour. */
export const policyRouteRequest = { workload_type: 'llm_inference', gpu_type: 'a100', region: 'us-west', gpu_hours: 1, max_price: 5 } as const;

/** Routes `count` requests with distinct idempotency keys; returns the response bodies. */
export async function routeMany(server: TestServer, count: number, prefix: string, headers: Record<string, string> = {}): Promise<any[]> {
  const bodies: any[] = [];
  for (let index = 0; index < count; index++) {
    const response = await server.request('POST', '/route', { body: policyRouteRequest, headers: { ...headers, 'idempotency-key': `${prefix}-${index}` } });
    if (response.status !== 201) throw new Error(`route ${index} answered ${response.status}: ${response.text}`);
    bodies.push(response.body);
  }
  return bodies;
}
