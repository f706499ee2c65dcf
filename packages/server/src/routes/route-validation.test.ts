import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';
import { errorBodySchema } from '../schemas/api-schemas';

type Issue = { field: string; reason: string };

describe('POST /route rejects invalid input with 400 naming the field and the reason', () => {
  let server: TestServer;

  beforeAll(async () => {
    const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })] });
    server = await startTestServer({ adapters: [adapter], router: { limits: { body_limit_bytes: 4096 } } });
  });
  afterAll(async () => server?.close());

  const post = (body: unknown) => server.request('POST', '/route', { body });
  const issuesOf = (response: { status: number; body: unknown }): Issue[] => {
    expect(response.status).toBe(400);
    const parsed = errorBodySchema.parse(response.body);
    expect(parsed.error.code).toBe('AURORA_ERR_INVALID_ARGUMENT');
    return parsed.error.details.issues as Issue[];
  };
  const expectIssue = (issues: Issue[], field: string, reason: RegExp) => {
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]));
  };

  it('a missing required field', async () => {
    const { workload_type: _missing, ...body } = exampleRouteRequest;
    expectIssue(issuesOf(await post(body)), 'workload_type', /is required/);
  });

  it('a field of the wrong type', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, gpu_hours: 'two' })), 'gpu_hours', /expected number/i);
  });

  it('an unknown field', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, colour: 'red' })), 'colour', /unknown field/);
  });

  it('a value outside an enum', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, workload_type: 'mining' })), 'workload_type', /llm_inference/);
  });

  it('a negative price', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, max_price: -1 })), 'max_price', /0/);
  });

  it('a negative weight and weights that are all zero', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, weights: { price: -1 } })), 'weights.price', />=\s*0|too small/i);
    expectIssue(
      issuesOf(await post({ ...exampleRouteRequest, weights: { price: 0, latency: 0, reputation: 0, availability: 0 } })),
      'weights',
      /above zero/,
    );
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, weights: { speed: 1 } })), 'weights.speed', /unknown field/);
  });

  it('an unknown GPU type', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, gpu_type: 'gtx-9000' })), 'gpu_type', /unknown GPU type "gtx-9000"/);
  });

  it('an unknown region', async () => {
    expectIssue(issuesOf(await post({ ...exampleRouteRequest, region: 'moon-base' })), 'region', /unknown region "moon-base"/);
  });

  it('several problems at once, each named', async () => {
    const issues = issuesOf(await post({ workload_type: 'mining', gpu_type: 'a100', max_price: -1, colour: 'red' }));
    expect(issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(['workload_type', 'max_price', 'colour']));
  });

  it('malformed JSON', async () => {
    const response = await server.request('POST', '/route', { rawBody: '{"workload_type": "llm_inference",', headers: { 'content-type': 'application/json' } });
    expectIssue(issuesOf(response), '(body)', /malformed JSON/);
  });

  it('a body that is not an object', async () => {
    expectIssue(issuesOf(await post([exampleRouteRequest])), '(root)', /JSON object/);
  });

  it('an invalid Idempotency-Key header', async () => {
    const response = await server.request('POST', '/route', { body: exampleRouteRequest, headers: { 'idempotency-key': 'x'.repeat(300) } });
    expectIssue(issuesOf(response), 'Idempotency-Key', /1 to 255/);
  });

  it('a body over the limit: 413', async () => {
    const response = await post({ ...exampleRouteRequest, env: { BIG: 'x'.repeat(8_000) } });
    expect(response.status).toBe(413);
    expect(errorBodySchema.parse(response.body).error.code).toBe('AURORA_ERR_PAYLOAD_TOO_LARGE');
  });

  it('an unsupported media type: 415', async () => {
    const response = await server.request('POST', '/route', { rawBody: 'workload_type=llm_inference', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(415);
    expect(errorBodySchema.parse(response.body).error.code).toBe('AURORA_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('invalid query parameters of GET /deployments', async () => {
    const response = await server.request('GET', '/deployments?status=sleeping&limit=0');
    const issues = issuesOf(response);
    expect(issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(['status.0', 'limit']));
  });

  it('POST /quote validates the same way', async () => {
    const response = await server.request('POST', '/quote', { body: { ...exampleRouteRequest, gpu_type: 'gtx-9000' } });
    expectIssue(issuesOf(response), 'gpu_type', /unknown GPU type/);
  });
});
