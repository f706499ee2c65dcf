import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdapterCallError, createRouter, InvalidArgumentError, type ProviderAdapter, type RoutingRequestInput,
} from '@aurora/router';
import { createMockAdapter, createOffer, createOffers } from '@aurora/router/testkit';

const request: RoutingRequestInput = { workload_type: 'llm_inference', gpu_type: 'a100' };
const serverError = (adapterId = 'alpha') => new AdapterCallError({ message: 'upstream 503', adapterId, operation: 'list_offers', statusCode: 503 });

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('router.quote', () => {
  it('ranks the offers of every adapter, merges defaults, and deploys nothing', async () => {
    const alpha = createMockAdapter({ name: 'alpha', offers: createOffers(3, { provider: 'alpha', region: 'us-west' }) });
    const beta = createMockAdapter({ name: 'beta', offers: createOffers(2, { provider: 'beta', region: 'eu-west' }) });
    const router = createRouter({ adapters: [alpha, beta], defaults: { region: 'us-west' } });

    const quote = await router.quote(request);

    expect(quote.request.region).toBe('us-west');
    expect(quote.total_offers).toBe(5);
    expect(quote.candidates.map((candidate) => candidate.offer.provider)).toEqual(['alpha', 'alpha', 'alpha']);
    expect(quote.candidates.map((candidate) => candidate.rank)).toEqual([1, 2, 3]);
    expect(quote.rejection_counts).toEqual({ by_reason: { region_mismatch: 2 }, by_provider: { beta: 2 } });
    expect(quote.rejections).toHaveLength(2);
    expect(quote.weights.price).toBeCloseTo(0.4);
    expect(quote.weights.latency).toBeCloseTo(0.3);
    expect(quote.weights.reputation).toBeCloseTo(0.2);
    expect(quote.weights.availability).toBeCloseTo(0.1);
    expect(quote.quoted_at).toBe('2026-03-01T00:00:00.000Z');
    expect(alpha.calls.deploy).toHaveLength(0);
    expect(beta.calls.deploy).toHaveLength(0);
  });

  it('lets a request override the defaults and the router weights', async () => {
    const router = createRouter({ adapters: [createMockAdapter({ name: 'alpha' })], defaults: { region: 'eu-west' }, weights: { price: 1 } });
    const quote = await router.quote({ ...request, region: 'global', weights: { latency: 3, price: 1 } });
    expect(quote.request.region).toBe('global');
    expect(quote.weights).toEqual({ price: 0.25, latency: 0.75, reputation: 0, availability: 0 });
    expect((await router.quote(request)).weights).toEqual({ price: 1, latency: 0, reputation: 0, availability: 0 });
  });

  it('rejects an invalid request with InvalidArgumentError naming the fields, before asking any adapter', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const router = createRouter({ adapters: [alpha] });
    const error = await router.quote({ workload_type: 'mining', gpu_type: 'not-a-gpu', colour: 'red' } as never).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(['workload_type', 'gpu_type', 'colour']));
    await expect(router.quote(null as never)).rejects.toMatchObject({ code: 'AURORA_ERR_INVALID_ARGUMENT' });
    await expect(router.quote({ ...request, weights: { price: 0 } })).rejects.toMatchObject({ issues: [{ field: 'weights' }] });
    await expect(router.quote(request, { budget_usd: -5 })).rejects.toMatchObject({ issues: [{ field: 'budget_usd' }] });
    expect(alpha.calls.listOffers).toHaveLength(0);
  });

  it('turns invalid offers and offers of another provider into warnings, never a crash', async () => {
    const alpha = createMockAdapter({
      name: 'alpha',
      offers: [
        createOffer({ provider: 'alpha', offer_id: 'good' }),
        { ...createOffer({ provider: 'alpha' }), offer_id: 'negative-price', price_usd_per_hour: -3 },
        { ...createOffer({ provider: 'alpha' }), offer_id: 'weird-gpu', gpu_type: 'potato' },
        createOffer({ provider: 'impostor', offer_id: 'stolen' }),
      ],
      warnings: ['skipped a host without GPUs'],
    });
    const router = createRouter({ adapters: [alpha] });
    const quote = await router.quote(request);
    expect(quote.candidates.map((candidate) => candidate.offer.offer_id)).toEqual(['good']);
    expect(quote.total_offers).toBe(1);
    expect(quote.warnings).toEqual([
      expect.stringMatching(/^alpha: dropped invalid offer negative-price: price_usd_per_hour/),
      expect.stringMatching(/^alpha: dropped invalid offer weird-gpu: gpu_type: unknown GPU type "potato"/),
      'alpha: dropped offer stolen: provider "impostor" is not "alpha"',
      'alpha: skipped a host without GPUs',
    ]);
  });

  it('reports a failing adapter in adapter_failures and still ranks the others', async () => {
    const alpha = createMockAdapter({ name: 'alpha', failures: { listOffers: serverError() } });
    const beta = createMockAdapter({ name: 'beta' });
    const broken: ProviderAdapter = createMockAdapter({ name: 'gamma' });
    broken.listOffers = async () => ({ nothing: true }) as never;
    const router = createRouter({ adapters: [alpha, beta, broken] });
    const quote = await router.quote(request);
    expect(quote.candidates.map((candidate) => candidate.offer.provider)).toEqual(['beta']);
    expect(quote.adapter_failures).toEqual([
      { provider: 'alpha', code: 'AURORA_ERR_ADAPTER_CALL', message: 'upstream 503' },
      { provider: 'gamma', code: 'AURORA_ERR_INVALID_RESPONSE', message: 'gamma.listOffers did not return { offers: [...] }' },
    ]);
  });

  it('wraps a non-Aurora throw from an adapter', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    alpha.listOffers = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const quote = await createRouter({ adapters: [alpha] }).quote(request);
    expect(quote.adapter_failures).toEqual([{ provider: 'alpha', code: 'AURORA_ERR_ADAPTER_CALL', message: 'alpha.list_offers threw: cannot read properties of undefined' }]);
  });

  it('gives each adapter its timeout and aborts its signal, also when the adapter ignores the signal', async () => {
    const slow = createMockAdapter({ name: 'slow', latencyMs: 10_000 });
    const deaf = createMockAdapter({ name: 'deaf' });
    deaf.listOffers = () => new Promise(() => {});
    const fast = createMockAdapter({ name: 'fast' });
    const router = createRouter({ adapters: [slow, deaf, fast], limits: { quote_timeout_ms: 2_000 } });

    const pending = router.quote(request);
    await vi.advanceTimersByTimeAsync(2_000);
    const quote = await pending;

    expect(quote.candidates.map((candidate) => candidate.offer.provider)).toEqual(['fast']);
    expect(quote.adapter_failures).toEqual([
      { provider: 'slow', code: 'AURORA_ERR_ADAPTER_CALL', message: 'slow.list_offers timed out after 2000 ms' },
      { provider: 'deaf', code: 'AURORA_ERR_ADAPTER_CALL', message: 'deaf.list_offers timed out after 2000 ms' },
    ]);
    expect(slow.calls.listOffers[0]!.options!.signal!.aborted).toBe(true);
  });

  it('rejects at once when the caller aborts, and aborts the adapter call', async () => {
    const slow = createMockAdapter({ name: 'slow', latencyMs: 10_000 });
    const router = createRouter({ adapters: [slow] });
    const controller = new AbortController();
    const pending = router.quote(request, { signal: controller.signal });
    const settled = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    const error = await settled;
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'aborted', isRetryable: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.calls.listOffers[0]!.options!.signal!.aborted).toBe(true);
    await expect(router.quote(request, { signal: AbortSignal.abort() })).rejects.toMatchObject({ reason: 'aborted' });
  });

  it('runs at most quote_concurrency adapter calls at once', async () => {
    const adapters = Array.from({ length: 5 }, (_, index) => createMockAdapter({ name: `p${index}`, latencyMs: 100 }));
    const router = createRouter({ adapters, limits: { quote_concurrency: 2 } });
    const pending = router.quote(request);
    await vi.advanceTimersByTimeAsync(0);
    expect(adapters.map((adapter) => adapter.calls.listOffers.length)).toEqual([1, 1, 0, 0, 0]);
    await vi.advanceTimersByTimeAsync(100);
    expect(adapters.map((adapter) => adapter.calls.listOffers.length)).toEqual([1, 1, 1, 1, 0]);
    await vi.advanceTimersByTimeAsync(200);
    expect((await pending).total_offers).toBe(5);
  });

  it('records a bounded list of candidates and rejections, with complete counts and a warning', async () => {
    const offers = createOffers(10, (index) => ({ provider: 'alpha', region: index < 4 ? 'eu-west' : 'us-west' }));
    const router = createRouter({ adapters: [createMockAdapter({ name: 'alpha', offers })], limits: { max_recorded_candidates: 3, max_recorded_rejections: 2 } });
    const quote = await router.quote({ ...request, region: 'us-west' });
    expect(quote.candidates).toHaveLength(3);
    expect(quote.eligible_count).toBe(6);
    expect(quote.rejections).toHaveLength(2);
    expect(quote.rejection_counts.by_reason).toEqual({ region_mismatch: 4 });
    expect(quote.warnings).toEqual(['recorded the top 3 of 6 candidates', 'recorded 2 of 4 rejections; rejection_counts covers all']);
  });

  it('applies the lower of the configured and the requested budget', async () => {
    const offers = [createOffer({ provider: 'alpha', offer_id: 'cheap', price_usd_per_hour: 1 }), createOffer({ provider: 'alpha', offer_id: 'dear', price_usd_per_hour: 3 })];
    const router = createRouter({ adapters: [createMockAdapter({ name: 'alpha', offers })], limits: { budget_per_request_usd: 25 } });
    const configured = await router.quote({ ...request, gpu_hours: 10 });
    expect(configured.candidates.map((candidate) => candidate.offer.offer_id)).toEqual(['cheap']);
    expect(configured.rejections).toEqual([expect.objectContaining({ offer_id: 'dear', reason: 'over_budget' })]);
    const tighter = await router.quote({ ...request, gpu_hours: 10 }, { budget_usd: 5 });
    expect(tighter.candidates).toHaveLength(0);
    expect(tighter.rejection_counts.by_reason).toEqual({ over_budget: 2 });
  });
});

describe('router.quote offer cache', () => {
  const limits = { offer_cache_fresh_ms: 5_000, offer_cache_max_age_ms: 60_000 };

  it('serves fresh offers without asking the adapter again', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const router = createRouter({ adapters: [alpha], limits });
    await router.quote(request);
    await vi.advanceTimersByTimeAsync(4_999);
    const quote = await router.quote({ ...request, max_price: 100 });
    expect(quote.total_offers).toBe(1);
    expect(alpha.calls.listOffers).toHaveLength(1);
  });

  it('keys the cache by the offer-relevant request fields', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const router = createRouter({ adapters: [alpha], limits });
    await router.quote(request);
    await router.quote({ ...request, gpu_type: 'h100' });
    await router.quote({ ...request, gpu_count: 2 });
    await router.quote({ ...request, region: 'us-west' });
    await router.quote({ ...request, gpu_memory_gb: 40 });
    await router.quote({ ...request, allow_interruptible: false });
    await router.quote({ ...request, workload_type: 'rendering', max_latency_ms: 500 });
    expect(alpha.calls.listOffers).toHaveLength(6);
  });

  it('shares one adapter call between concurrent cold quotes', async () => {
    const alpha = createMockAdapter({ name: 'alpha', latencyMs: 50 });
    const router = createRouter({ adapters: [alpha], limits });
    const both = Promise.all([router.quote(request), router.quote(request)]);
    await vi.advanceTimersByTimeAsync(50);
    const [first, second] = await both;
    expect(first.total_offers).toBe(1);
    expect(second.total_offers).toBe(1);
    expect(alpha.calls.listOffers).toHaveLength(1);
  });

  it('keeps a shared adapter call running while one of its callers still waits', async () => {
    const alpha = createMockAdapter({ name: 'alpha', latencyMs: 100 });
    const router = createRouter({ adapters: [alpha], limits });
    const impatient = new AbortController();
    const first = router.quote(request, { signal: impatient.signal }).catch((error: unknown) => error);
    const second = router.quote(request, { signal: new AbortController().signal });
    await vi.advanceTimersByTimeAsync(50);
    impatient.abort();
    expect(await first).toMatchObject({ reason: 'aborted' });
    await vi.advanceTimersByTimeAsync(50);
    expect((await second).total_offers).toBe(1);
    expect(alpha.calls.listOffers).toHaveLength(1);
    expect(alpha.calls.listOffers[0]!.options!.signal!.aborted).toBe(false);
  });

  it('serves stale offers at once and refreshes them in the background, one refresh per key', async () => {
    const alpha = createMockAdapter({ name: 'alpha', offers: (_request, call) => [createOffer({ provider: 'alpha', offer_id: `generation-${call}` })] });
    const router = createRouter({ adapters: [alpha], limits });
    await router.quote(request);
    await vi.advanceTimersByTimeAsync(5_000);
    alpha.setLatency({ listOffers: 1_000 });

    const stale = await router.quote(request);
    const againWhileRefreshing = await router.quote(request);
    expect(stale.candidates[0]!.offer.offer_id).toBe('generation-1');
    expect(againWhileRefreshing.candidates[0]!.offer.offer_id).toBe('generation-1');
    expect(alpha.calls.listOffers).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(1_000);
    const refreshed = await router.quote(request);
    expect(refreshed.candidates[0]!.offer.offer_id).toBe('generation-2');
    expect(alpha.calls.listOffers).toHaveLength(2);
  });

  it('keeps the last good offers when a refresh fails, until they are too old', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const router = createRouter({ adapters: [alpha], limits });
    await router.quote(request);
    alpha.setFailure('listOffers', serverError());

    await vi.advanceTimersByTimeAsync(10_000);
    const first = await router.quote(request); // stale: served, refresh fails in the background
    expect(first.total_offers).toBe(1);
    await vi.advanceTimersByTimeAsync(0);

    const second = await router.quote(request);
    expect(second.total_offers).toBe(1);
    expect(second.adapter_failures).toEqual([]);
    expect(second.warnings).toEqual([expect.stringMatching(/^alpha: refresh failed \(upstream 503\); serving offers 10 s old$/)]);

    await vi.advanceTimersByTimeAsync(50_000);
    const tooOld = await router.quote(request);
    expect(tooOld.total_offers).toBe(0);
    expect(tooOld.adapter_failures).toEqual([{ provider: 'alpha', code: 'AURORA_ERR_ADAPTER_CALL', message: 'upstream 503' }]);
  });

  it('fetches in the foreground once the offers are older than the maximum age', async () => {
    const alpha = createMockAdapter({ name: 'alpha', offers: (_request, call) => [createOffer({ provider: 'alpha', offer_id: `generation-${call}` })] });
    const router = createRouter({ adapters: [alpha], limits });
    await router.quote(request);
    await vi.advanceTimersByTimeAsync(60_000);
    const quote = await router.quote(request);
    expect(quote.candidates[0]!.offer.offer_id).toBe('generation-2');
    expect(alpha.calls.listOffers).toHaveLength(2);
  });

  it('does not ask a provider whose circuit is open and rejects its cached offers as circuit_open', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const beta = createMockAdapter({ name: 'beta' });
    const router = createRouter({ adapters: [alpha, beta], limits: { ...limits, circuit: { consecutive_failures: 2 } } });
    await router.quote(request);
    alpha.setFailure('healthCheck', serverError());
    await router.checkHealth('alpha');
    await router.checkHealth('alpha');
    expect(router.providers().find((health) => health.provider === 'alpha')).toMatchObject({ circuit: 'open', healthy: false });

    await vi.advanceTimersByTimeAsync(10_000); // stale: a closed circuit would refresh
    const quote = await router.quote(request);
    expect(quote.candidates.map((candidate) => candidate.offer.provider)).toEqual(['beta']);
    expect(quote.rejections).toEqual([expect.objectContaining({ provider: 'alpha', reason: 'circuit_open' })]);
    expect(quote.warnings).toContain('alpha: not asked, circuit open');
    expect(alpha.calls.listOffers).toHaveLength(1);
  });

  it('sends a half-open provider one real call (its probe), which closes the circuit on success', async () => {
    const alpha = createMockAdapter({ name: 'alpha', failures: { listOffers: [serverError(), serverError()] } });
    const router = createRouter({ adapters: [alpha], limits: { ...limits, circuit: { consecutive_failures: 2, cooldown_ms: 30_000 } } });
    await router.quote(request);
    await router.quote(request);
    expect(router.providers()[0]!.circuit).toBe('open');
    await router.quote(request);
    expect(alpha.calls.listOffers).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(router.providers()[0]!.circuit).toBe('half_open');
    const probe = await router.quote(request);
    expect(probe.total_offers).toBe(1);
    expect(alpha.calls.listOffers).toHaveLength(3);
    expect(router.providers()[0]!.circuit).toBe('closed');
  });
});
