import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { it } from 'vitest';
import { exampleRouteRequest, startTestServer } from './__fixtures__/test-server';

async function bench(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn();
  const t = performance.now();
  for (let i = 0; i < 200; i++) await fn();
  console.log(label, ((performance.now() - t) / 200).toFixed(3), 'ms');
}

it('timing', async () => {
  const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a' })] });
  const server = await startTestServer({ adapters: [adapter], router: { limits: { rate_limit: { enabled: false } } } });
  const router = server.app.aurora.router;
  await bench('router.route', () => router.route(exampleRouteRequest));
  await bench('router.quote', () => router.quote(exampleRouteRequest));
  await bench('inject health', () => server.app.inject({ method: 'GET', url: '/health' }));
  await bench('inject quote', () => server.app.inject({ method: 'POST', url: '/quote', payload: exampleRouteRequest }));
  await bench('inject route', () => server.app.inject({ method: 'POST', url: '/route', payload: exampleRouteRequest }));
  await server.close();
}, 60000);
