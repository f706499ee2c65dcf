import { describe, expect, it } from 'vitest';
import { AdapterCallError, InvalidResponseDataError, type ProviderAdapter } from '@aurora/router';
import {
  conformanceApiKey, describeAdapterConformance, MockAdapter,
  type AdapterConformanceContext, type AdapterConformanceOptions, type AdapterFault, type ConformanceVitest,
  type MockAdapterMethod, type MockAdapterOptions,
} from '@aurora/router/testkit';

// The kit is checked by running it against adapters that break one rule each: the suite must
// fail exactly the checks for that rule, and pass a conforming adapter.

type CollectedTest = { title: string; run: () => Promise<void> };

function collectSuite(options: AdapterConformanceOptions): { titles: string[]; tests: CollectedTest[]; hooks: number } {
  const tests: CollectedTest[] = [];
  const path: string[] = [];
  let hooks = 0;
  const recorder: ConformanceVitest = {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => {
      tests.push({ title: [...path, name].join(' > '), run: body });
    },
    expect: expect as unknown as ConformanceVitest['expect'],
    beforeAll: () => {
      hooks += 1;
    },
    afterAll: () => {
      hooks += 1;
    },
  };
  describeAdapterConformance(recorder, options);
  return { titles: tests.map((test) => test.title), tests, hooks };
}

async function failingTests(options: AdapterConformanceOptions): Promise<string[]> {
  const failures: string[] = [];
  for (const test of collectSuite(options).tests) {
    try {
      await test.run();
    } catch {
      failures.push(test.title);
    }
  }
  return failures;
}

const methods: readonly MockAdapterMethod[] = ['listOffers', 'deploy', 'getStatus', 'getLogs', 'terminate', 'healthCheck'];

function faultError(fault: AdapterFault | undefined, apiKey: string | undefined, leakKey: boolean): Error | undefined {
  const suffix = leakKey ? ` (key ${apiKey})` : '';
  if (fault?.type === 'http-status') {
    return new AdapterCallError({
      message: `injected HTTP ${fault.status}${suffix}`,
      adapterId: 'mock',
      operation: 'injected',
      statusCode: fault.status,
      ...(fault.retryAfterSeconds !== undefined ? { retryAfterMs: fault.retryAfterSeconds * 1000 } : {}),
    });
  }
  if (fault?.type === 'malformed-json') return new InvalidResponseDataError({ message: `malformed${suffix}`, adapterId: 'mock' });
  return undefined;
}

/** A conforming mock-backed adapter, with knobs to break it. */
function mockAdapter(context: AdapterConformanceContext, overrides: MockAdapterOptions = {}, leakKey = false): MockAdapter {
  const error = faultError(context.fault, context.apiKey, leakKey);
  const reachProvider = () => {
    context.recordProviderCall();
    return error;
  };
  return new MockAdapter({
    name: 'mock',
    latencyMs: context.fault?.type === 'slow' ? context.fault.delayMs : undefined,
    failures: Object.fromEntries(methods.map((method) => [method, reachProvider])),
    logLines: ['loading', 'ready'],
    ...overrides,
  });
}

/** Delegates to `inner`, replacing some methods. */
function withOverrides(inner: ProviderAdapter, overrides: Partial<ProviderAdapter>): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    name: inner.name,
    listOffers: (request, options) => inner.listOffers(request, options),
    deploy: (request, offer, options) => inner.deploy(request, offer, options),
    getStatus: (id, options) => inner.getStatus(id, options),
    getLogs: (id, options) => inner.getLogs(id, options),
    terminate: (id, options) => inner.terminate(id, options),
    healthCheck: (options) => inner.healthCheck(options),
    ...overrides,
  };
}

const fast = { testMs: 2_000, slowResponseMs: 300, statusPollAttempts: 5, statusPollIntervalMs: 1, settleMs: 5 };
const base = { skip: ['credentials'] as const, timeouts: fast };

describe('describeAdapterConformance', () => {
  it('passes a conforming adapter', async () => {
    expect(await failingTests({ ...base, createAdapter: (context) => mockAdapter(context) })).toEqual([]);
  });

  it('names skipped capabilities in the suite title and rejects unknown ones', () => {
    const { titles } = collectSuite({ ...base, name: 'demo', skip: ['logs', 'credentials'], createAdapter: (context) => mockAdapter(context) });
    expect(titles.every((title) => title.startsWith('demo conformance (ProviderAdapterV1) [skipped by declaration: logs, credentials]'))).toBe(true);
    expect(titles.some((title) => title.includes('getLogs (declared unsupported) yields nothing or rejects'))).toBe(true);
    expect(titles.some((title) => title.includes('getLogs yields lines'))).toBe(false);
    expect(() =>
      collectSuite({ ...base, skip: ['deploy' as never], createAdapter: (context) => mockAdapter(context) }),
    ).toThrow(/unknown capability "deploy"/);
  });

  it('registers setup and teardown hooks', () => {
    const { hooks } = collectSuite({ ...base, createAdapter: (context) => mockAdapter(context), setup: () => undefined, teardown: () => undefined });
    expect(hooks).toBe(2);
  });

  it('fails an adapter that calls its provider at construction', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        context.recordProviderCall({ method: 'GET', url: '/warm-up' });
        return mockAdapter(context);
      },
    });
    expect(failures).toEqual([expect.stringContaining('sends nothing to the provider until a method is called')]);
  });

  it('fails an adapter whose terminate swallows provider errors', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        const inner = mockAdapter(context);
        return withOverrides(inner, { terminate: (id, options) => inner.terminate(id, options).catch(() => undefined) });
      },
    });
    expect(failures.length).toBe(9);
    expect(failures.every((title) => title.includes('terminate rejects with AdapterCallError'))).toBe(true);
  });

  it('fails an adapter that throws untyped errors', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        const inner = mockAdapter(context);
        const untyped = <T>(promise: Promise<T>) =>
          promise.catch((error: unknown) => {
            throw new Error(String((error as Error).message));
          });
        return withOverrides(inner, { listOffers: (request, options) => untyped(inner.listOffers(request, options)) });
      },
    });
    // Every check where listOffers must fail: 9 HTTP faults, malformed JSON, and the two abort checks.
    expect(failures.length).toBe(12);
    expect(failures.every((title) => title.includes('listOffers'))).toBe(true);
  });

  it('fails an adapter that ignores its AbortSignal', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        const inner = mockAdapter(context);
        return withOverrides(inner, {
          listOffers: (request) => inner.listOffers(request),
          deploy: (request, offer, options) => inner.deploy(request, offer, { idempotency_key: options.idempotency_key }),
          healthCheck: () => inner.healthCheck(),
        });
      },
    });
    expect(failures.length).toBe(4);
    expect(failures.every((title) => title.includes('cancellation'))).toBe(true);
  });

  it('fails an adapter whose getLogs({ follow: true }) keeps waiting after its signal aborted', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        const inner = mockAdapter(context);
        return withOverrides(inner, {
          async *getLogs(id, options) {
            yield* inner.getLogs(id, { tail: options?.tail });
            if (options?.follow) await new Promise(() => undefined);
          },
        });
      },
    });
    expect(failures).toEqual([expect.stringContaining('getLogs with follow ends when its signal is aborted')]);
  });

  /** A mock with `listDeployments`: the live deployments, or (`keepsTerminated`) every one it ever placed. */
  function listingAdapter(context: AdapterConformanceContext, keepsTerminated: boolean): ProviderAdapter {
    const inner = mockAdapter(context);
    const placed: string[] = [];
    return withOverrides(inner, {
      deploy: async (request, offer, options) => {
        const result = await inner.deploy(request, offer, options);
        placed.push(result.provider_deployment_id);
        return result;
      },
      listDeployments: async () => {
        const ids = keepsTerminated ? placed : inner.activeDeploymentIds();
        return { deployments: ids.map((id) => ({ provider_deployment_id: id, status: 'running' as const, provider_status: 'mock:running' })) };
      },
    });
  }

  it('passes an adapter whose listDeployments lists exactly its live deployments', async () => {
    expect(await failingTests({ ...base, createAdapter: (context) => listingAdapter(context, false) })).toEqual([]);
  });

  it('fails an adapter whose listDeployments still lists a terminated deployment', async () => {
    const failures = await failingTests({ ...base, createAdapter: (context) => listingAdapter(context, true) });
    expect(failures).toEqual([expect.stringContaining('listDeployments (when implemented) lists a deployment it created and omits it once terminated')]);
  });

  it('fails offers that do not fit the request', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => mockAdapter(context, { offers: [{ offer_id: 'h-1', gpu_type: 'h100', gpu_count: 1, region: 'us-west', price_usd_per_hour: 3, estimated_latency_ms: 10, reputation: 90, availability: 1, capacity: 1, quoted_at: '2026-01-01T00:00:00.000Z' }] }),
    });
    expect(failures).toEqual([expect.stringContaining('returns offers that parse with offerSchema and satisfy the request')]);
  });

  it('fails a deployment that never reaches running', async () => {
    const failures = await failingTests({ ...base, createAdapter: (context) => mockAdapter(context, { deploy: { statusSequence: ['provisioning'] } }) });
    expect(failures.length).toBe(3);
    expect(failures.some((title) => title.includes('deploy reaches running'))).toBe(true);
    expect(failures.filter((title) => title.includes('getLogs')).length).toBe(2);
  });

  it('fails an adapter that marks client errors (400, 401, 403) retryable', async () => {
    const failures = await failingTests({
      ...base,
      createAdapter: (context) => {
        if (context.fault?.type === 'http-status' && context.fault.status < 500 && context.fault.status !== 429) {
          const error = new AdapterCallError({ message: 'bad', adapterId: 'mock', operation: 'x', statusCode: context.fault.status, isRetryable: true });
          return new MockAdapter({ name: 'mock', failures: Object.fromEntries(methods.map((method) => [method, error])) });
        }
        return mockAdapter(context);
      },
    });
    expect(failures.length).toBe(15);
    expect(failures.every((title) => /HTTP 40[013]/.test(title))).toBe(true);
  });

  it('fails an adapter whose errors carry the API key', async () => {
    const failures = await failingTests({ ...base, createAdapter: (context) => mockAdapter(context, {}, true) });
    expect(failures.length).toBe(45);
    expect(failures.every((title) => title.includes('provider answers HTTP'))).toBe(true);
    expect(conformanceApiKey.length).toBeGreaterThan(10);
  });

  it('fails an adapter that reads its key at construction', async () => {
    const failures = await failingTests({
      timeouts: fast,
      createAdapter: (context) => {
        if (context.apiKey === undefined) throw new Error('LUMEN_API_KEY is not set');
        return mockAdapter(context);
      },
    });
    expect(failures).toEqual([expect.stringContaining('loads the API key lazily')]);
  });
});
