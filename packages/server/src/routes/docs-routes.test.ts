import { createMockAdapter } from '@aurora/router/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../__fixtures__/test-server';

describe('GET /docs', () => {
  let server: TestServer;
  let document: any;

  beforeAll(async () => {
    server = await startTestServer({ adapters: [createMockAdapter({ name: 'mock' })] });
    const response = await server.request('GET', '/docs');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(async () => server?.close());

  it('is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Aurora Router API');
  });

  it('describes POST /route with the routing request and the response schemas from zod', () => {
    const route = document.paths['/route'].post;
    const body = route.requestBody.content['application/json'].schema;
    const requestSchema = body.$ref ? document.components.schemas[body.$ref.split('/').at(-1)] : body;
    expect(requestSchema.required).toEqual(expect.arrayContaining(['workload_type', 'gpu_type']));
    expect(requestSchema.properties.workload_type.enum).toEqual(['llm_inference', 'llm_training', 'rendering', 'general']);
    expect(requestSchema.additionalProperties).toBe(false);
    expect(route.parameters.map((parameter: { name: string }) => parameter.name)).toContain('idempotency-key');
    const created = route.responses['201'].content['application/json'].schema;
    const responseSchema = created.$ref ? document.components.schemas[created.$ref.split('/').at(-1)] : created;
    expect(Object.keys(responseSchema.properties)).toEqual(
      expect.arrayContaining(['provider', 'price_usd_per_hour', 'estimated_latency_ms', 'deployment_id', 'status', 'decision']),
    );
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['400', '409', '422', '503']));
  });

  it('lists every endpoint', () => {
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/decisions/export', '/deployments', '/deployments/{id}', '/deployments/{id}/logs', '/health', '/metrics', '/policy', '/policy/rollout',
        '/providers', '/quote', '/ready', '/route',
      ].sort(),
    );
    expect(document.paths['/deployments/{id}'].delete).toBeDefined();
  });

  it('is also served at /docs/json', async () => {
    const response = await server.request('GET', '/docs/json');
    expect(response.body.openapi).toBe('3.1.0');
  });
});
