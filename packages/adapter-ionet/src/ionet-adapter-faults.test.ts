import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, InvalidResponseDataError, offerSchema, type Offer } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { createIonet, type IonetAdapterSettings } from './index';
import { startIonetFake, type IonetFake, type IonetFakeFault } from './testing/index';

let fakes: IonetFake[] = [];

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

const request = createRoutingRequest({ gpu_type: 'h100', image: 'busybox' });

async function setup(settings: IonetAdapterSettings = {}) {
  const fake = await startIonetFake({ timing: { provisioningMs: 0, workerReadyMs: 0 } });
  fakes.push(fake);
  const adapter = createIonet({ baseURL: fake.url, apiKey: fake.apiKey, environment: {}, ...settings });
  const offer: Offer = offerSchema.parse((await adapter.listOffers(request)).offers[0]);
  fake.state.clearRequests();
  return { fake, adapter, offer };
}

async function failure(promise: Promise<unknown>): Promise<AdapterCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(AdapterCallError.isInstance(error), `expected an AdapterCallError, got ${String(error)}`).toBe(true);
  return error as AdapterCallError;
}

describe('fault knobs of the fake, as the adapter sees them', () => {
  it.each<[string, IonetFakeFault, { statusCode: number; isRetryable: boolean; scope: string }]>([
    ['401', { kind: 'unauthorized' }, { statusCode: 401, isRetryable: false, scope: 'provider' }],
    ['403', { kind: 'forbidden' }, { statusCode: 403, isRetryable: false, scope: 'provider' }],
    ['500', { kind: 'server-error' }, { statusCode: 500, isRetryable: true, scope: 'provider' }],
    ['503', { kind: 'server-error', status: 503 }, { statusCode: 503, isRetryable: true, scope: 'provider' }],
    ['422', { kind: 'http-error', status: 422 }, { statusCode: 422, isRetryable: false, scope: 'offer' }],
  ])('HTTP %s fails listOffers typed, with retryability and failover scope', async (_label, fault, expected) => {
    const { fake, adapter } = await setup();
    fake.setFault(fault);
    expect(await failure(adapter.listOffers(request))).toMatchObject(expected);
  });

  it('429 without Retry-After is retryable for the whole provider, with no wait given', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'rate-limited' });
    const error = await failure(adapter.getStatus('ionet:any'));
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true, scope: 'provider' });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('429 with Retry-After carries the wait in ms', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'rate-limited', retryAfterSeconds: 7 });
    expect(await failure(adapter.listOffers(request))).toMatchObject({ statusCode: 429, retryAfterMs: 7_000 });
  });

  it('404 is final for getStatus, and means "already gone" for terminate', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'not-found' });
    expect(await failure(adapter.getStatus('ionet:any'))).toMatchObject({ statusCode: 404, isRetryable: false });
    await expect(adapter.terminate('ionet:any')).resolves.toBeUndefined();
  });

  it('a slow answer past timeoutMs fails as a retryable timeout (and health reports it)', async () => {
    const { fake, adapter } = await setup({ timeoutMs: 50 });
    fake.setFault({ kind: 'slow', delayMs: 5_000 });
    expect(await failure(adapter.listOffers(request))).toMatchObject({ reason: 'timeout', isRetryable: true });
    expect(await adapter.healthCheck()).toMatchObject({ healthy: false, message: 'ionet health_check timed out after 50 ms' });
  });

  it('a slow answer within the timeout still succeeds', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'slow', delayMs: 30 });
    expect((await adapter.listOffers(request)).offers.length).toBeGreaterThan(0);
  });

  it('malformed JSON fails with InvalidResponseDataError', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'malformed-json' });
    const error = await adapter.listOffers(request).catch((caught: unknown) => caught);
    expect(InvalidResponseDataError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseDataError).issues).toEqual(['body is not valid JSON']);
  });

  it('no capacity: no offers, and a deploy refused for capacity is retryable elsewhere', async () => {
    const { fake, adapter, offer } = await setup();
    fake.setFault({ kind: 'no-capacity' });
    expect(await adapter.listOffers(request)).toEqual({ offers: [], warnings: [] });
    fake.setFault({ kind: 'no-capacity', path: '/deploy' });
    const error = await failure(adapter.deploy(request, offer, { idempotency_key: 'full' }));
    expect(error).toMatchObject({ reason: 'no_capacity', isRetryable: true, scope: 'offer', statusCode: 400 });
    expect(error.message).toMatch(/Not enough available replicas/);
  });

  it('a payment refusal on deploy is final and blocks the provider', async () => {
    const { fake, adapter, offer } = await setup();
    fake.setFault({ kind: 'payment-required' });
    const error = await failure(adapter.deploy(request, offer, { idempotency_key: 'broke' }));
    expect(error).toMatchObject({ reason: 'payment_required', isRetryable: false, scope: 'provider', statusCode: 400 });
    expect(fake.state.deployments.size).toBe(0);
  });

  it('a fault limited by times applies that often, then the call succeeds', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'server-error', times: 1 });
    await failure(adapter.listOffers(request));
    expect((await adapter.listOffers(request)).offers.length).toBeGreaterThan(0);
  });

  it('a fault limited to one path hits only those calls: one failed quote becomes a warning', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'server-error', path: '/price', times: 1 });
    const { offers, warnings } = await adapter.listOffers(createRoutingRequest({ gpu_type: 'h100', gpu_count: 1, image: 'vllm/vllm-openai:latest' }));
    expect(offers).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings?.[0]).toMatch(/^price of H100 80GB HBM3 in (US|DE) failed: ionet list_offers failed: HTTP 500/);
  });

  it('a quote failure for the whole provider is thrown, not turned into a warning', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'rate-limited', path: '/price', times: 1 });
    expect(await failure(adapter.listOffers(request))).toMatchObject({ statusCode: 429 });
  });

  it('concurrent deploys with one idempotency key end with one deployment', async () => {
    const { fake, adapter, offer } = await setup();
    const [first, second] = await Promise.all([
      adapter.deploy(request, offer, { idempotency_key: 'twice' }),
      adapter.deploy(request, offer, { idempotency_key: 'twice' }),
    ]);
    expect(second.provider_deployment_id).toBe(first.provider_deployment_id);
    expect(fake.state.deployments.size).toBe(1);
  });

  it('an aborted call fails as aborted, not retryable', async () => {
    const { fake, adapter } = await setup();
    fake.setFault({ kind: 'slow', delayMs: 5_000 });
    const controller = new AbortController();
    const pending = adapter.getStatus('ionet:any', { signal: controller.signal });
    controller.abort();
    expect(await failure(pending)).toMatchObject({ reason: 'aborted', isRetryable: false });
  });
});
