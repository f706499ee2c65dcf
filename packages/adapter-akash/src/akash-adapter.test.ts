import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, ConfigurationError, InvalidResponseDataError, assertSupportedAdapter } from '@aurora/router';
import { fastTiming, firstOffer, rejectionOf, startTestAkash, testRequest, type TestAkash } from './__fixtures__/start-test-akash';
import { createAkash } from './akash-adapter';
import type { AkashAdapterSettings } from './akash-settings';
import { startAkashFake, type AkashFake, type AkashFakeOptions } from './testing/index';

let running: TestAkash | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: { fake?: AkashFakeOptions; adapter?: AkashAdapterSettings } = {}) {
  running = await startTestAkash(options);
  return running;
}

async function callError(promise: Promise<unknown>): Promise<AdapterCallError> {
  const error = await rejectionOf(promise);
  expect(AdapterCallError.isInstance(error), String(error)).toBe(true);
  return error as AdapterCallError;
}

describe('createAkash', () => {
  it('is a v1 adapter named akash that touches nothing until called', async () => {
    const fake = await startAkashFake();
    try {
      const adapter = createAkash({ baseURL: fake.url, environment: {} });
      expect(assertSupportedAdapter(adapter)).toBe(adapter);
      expect(adapter.name).toBe('akash');
      expect(fake.state.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });
});

describe('credentials and base URL', () => {
  let fake: AkashFake | undefined;
  let directory: string | undefined;
  afterEach(async () => {
    await fake?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
    fake = undefined;
    directory = undefined;
  });

  it('without a key, listOffers rejects with ConfigurationError naming AKASH_API_KEY and calls nothing', async () => {
    fake = await startAkashFake();
    const error = await rejectionOf(createAkash({ baseURL: fake.url, environment: {} }).listOffers(testRequest()));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('AKASH_API_KEY');
    expect(fake.state.requests).toHaveLength(0);
  });

  it('reads AKASH_API_KEY and AKASH_BASE_URL from the environment, lazily', async () => {
    fake = await startAkashFake({ timing: fastTiming });
    const environment: Record<string, string | undefined> = {};
    const adapter = createAkash({ ...testTiming, environment });
    environment['AKASH_API_KEY'] = fake.apiKey;
    environment['AKASH_BASE_URL'] = fake.url;
    const offer = await firstOffer(adapter);
    const deployed = await adapter.deploy(testRequest(), offer, { idempotency_key: 'env' });
    expect(deployed.status).toBe('running');
    expect(fake.state.requests.filter((request) => request.path.startsWith('/v1/deployments')).every((request) => request.authorized)).toBe(true);
  });

  it('reads the key from the file named by AKASH_API_KEY_FILE', async () => {
    fake = await startAkashFake({ timing: fastTiming });
    directory = await mkdtemp(join(tmpdir(), 'akash-key-'));
    const file = join(directory, 'key');
    await writeFile(file, `${fake.apiKey}\n`);
    const adapter = createAkash({ ...testTiming, baseURL: fake.url, environment: { AKASH_API_KEY_FILE: file } });
    const { status } = await adapter.deploy(testRequest(), await firstOffer(adapter), { idempotency_key: 'file' });
    expect(status).toBe('running');
  });

  it('a wrong key is a non-retryable 401 for the whole provider, and never shows the key', async () => {
    fake = await startAkashFake();
    const adapter = createAkash({ ...testTiming, baseURL: fake.url, apiKey: 'wrong-key-123' });
    const offer = await firstOffer(adapter);
    const error = await callError(adapter.deploy(testRequest(), offer, { idempotency_key: 'bad-key' }));
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false, scope: 'provider' });
    expect(`${error.message} ${error.responseBody} ${JSON.stringify(error.details)}`).not.toContain('wrong-key-123');
  });
});

const testTiming: AkashAdapterSettings = { pollIntervalMs: 2, bidWindowMs: 0, bidTimeoutMs: 10_000, leaseReadyTimeoutMs: 10_000 };

describe('HTTP fault knobs of the fake, as the adapter reports them', () => {
  it('401: non-retryable, provider scope', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 401 }] } });
    expect(await callError(test.adapter.listOffers(testRequest()))).toMatchObject({ statusCode: 401, isRetryable: false, scope: 'provider', reason: 'http_401' });
  });

  it('403: non-retryable, provider scope', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 403, path: '/v1/deployments' }] } });
    const error = await callError(test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'forbidden' }));
    expect(error).toMatchObject({ statusCode: 403, isRetryable: false, scope: 'provider' });
  });

  it('404: getStatus of an unknown deployment is a non-retryable error, terminate of one resolves', async () => {
    const test = await start();
    expect(await callError(test.adapter.getStatus('12345'))).toMatchObject({ statusCode: 404, isRetryable: false });
    await expect(test.adapter.terminate('12345')).resolves.toBeUndefined();
    const injected = await start({ fake: { faults: [{ type: 'http-status', status: 404, path: '/v1/gpu-prices' }] } });
    expect(await callError(injected.adapter.listOffers(testRequest()))).toMatchObject({ statusCode: 404, isRetryable: false, scope: 'offer' });
  });

  it('429 without Retry-After: retryable, provider scope, no wait advice', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 429 }] } });
    const error = await callError(test.adapter.getStatus('12345'));
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true, scope: 'provider' });
    expect(error.retryAfterMs).toBeUndefined();
    expect(JSON.parse(error.responseBody!)).toEqual({ error: 'TooManyRequests', message: 'injected HTTP 429' });
  });

  it('429 with Retry-After in seconds or as an HTTP date', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 429, retryAfterSeconds: 12 }] } });
    expect((await callError(test.adapter.listOffers(testRequest()))).retryAfterMs).toBe(12_000);
    test.fake.setFault({ type: 'http-status', status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const fromDate = (await callError(test.adapter.listOffers(testRequest()))).retryAfterMs!;
    expect(fromDate > 50_000 && fromDate <= 60_000).toBe(true);
  });

  it('5xx: retryable', async () => {
    const test = await start();
    for (const status of [500, 502, 503]) {
      test.fake.setFault({ type: 'http-status', status, times: 1 });
      expect(await callError(test.adapter.getStatus('12345'))).toMatchObject({ statusCode: status, isRetryable: true, reason: `http_${status}` });
    }
    expect(test.fake.state.faults).toEqual([]);
  });

  it('slow answers: a retryable timeout after timeoutMs', async () => {
    const test = await start({ fake: { faults: [{ type: 'slow', delayMs: 5_000 }] }, adapter: { timeoutMs: 30 } });
    expect(await callError(test.adapter.listOffers(testRequest()))).toMatchObject({ reason: 'timeout', isRetryable: true });
  });

  it('slow answers within the timeout are just slow', async () => {
    const test = await start({ fake: { faults: [{ type: 'slow', delayMs: 20, path: '/v1/gpu-prices' }] } });
    expect((await test.adapter.listOffers(testRequest())).offers.length).toBeGreaterThan(0);
    expect(test.fake.state.requests.find((request) => request.path === '/v1/gpu-prices')).toMatchObject({ status: 200, fault: 'slow' });
  });

  it('malformed JSON: InvalidResponseDataError (retryable)', async () => {
    const test = await start({ fake: { faults: [{ type: 'malformed-json', path: '/v1/providers' }] } });
    const error = await rejectionOf(test.adapter.listOffers(testRequest()));
    expect(InvalidResponseDataError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: true, issues: ['body is not valid JSON'] });
  });

  it('an answer of the wrong shape: InvalidResponseDataError naming the field', async () => {
    const test = await start({
      adapter: { fetch: async (input, init) => (String(input).includes('/v1/gpu-prices') ? new Response('{"models":[{"vendor":"nvidia"}]}') : fetch(input, init)) },
    });
    const error = await rejectionOf(test.adapter.listOffers(testRequest()));
    expect(InvalidResponseDataError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseDataError).issues.some((issue) => issue.startsWith('models.0.model'))).toBe(true);
  });
});

describe('healthCheck', () => {
  it('is healthy when liveness, readiness and the chain are fine', async () => {
    const test = await start();
    const health = await test.adapter.healthCheck();
    expect(health.healthy).toBe(true);
    expect(test.fake.state.requests.map((request) => request.path).sort()).toEqual(['/v1/blockchain-status', '/v1/healthz/liveness', '/v1/healthz/readiness']);
  });

  it('is unhealthy, saying which probe failed, when readiness answers 500', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 500, path: '/v1/healthz/readiness' }] } });
    expect(await test.adapter.healthCheck()).toMatchObject({ healthy: false, message: 'readiness: HTTP 500' });
  });

  it('is unhealthy when the chain is unreachable', async () => {
    const test = await start({
      adapter: { fetch: async (input, init) => (String(input).endsWith('/v1/blockchain-status') ? new Response('{"isBlockchainReachable":false}') : fetch(input, init)) },
    });
    expect(await test.adapter.healthCheck()).toMatchObject({ healthy: false, message: 'blockchain not reachable' });
  });

  it('needs no API key', async () => {
    const test = await start({ adapter: { apiKey: undefined } });
    const adapter = createAkash({ baseURL: test.fake.url, environment: {} });
    expect((await adapter.healthCheck()).healthy).toBe(true);
  });
});
