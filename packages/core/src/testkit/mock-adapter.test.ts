import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdapterCallError, AuroraError, offerSchema } from '@aurora/router';
import { MockAdapter, createMockAdapter, createOffer, createOffers, createRoutingRequest } from '@aurora/router/testkit';

const request = createRoutingRequest();

afterEach(() => {
  vi.useRealTimers();
});

describe('offer builders', () => {
  it('builds valid offers with overrides and varied defaults', () => {
    const offer = createOffer({ provider: 'akash', gpu_type: 'NVIDIA H100 80GB' });
    expect(offer.gpu_type).toBe('h100');
    expect(offer.provider).toBe('akash');
    const offers = createOffers(3, (index) => ({ provider: `p${index}` }));
    expect(offers.map((each) => each.offer_id)).toEqual(['offer-1', 'offer-2', 'offer-3']);
    expect(offers.map((each) => each.provider)).toEqual(['p0', 'p1', 'p2']);
    expect(new Set(offers.map((each) => each.price_usd_per_hour)).size).toBe(3);
    for (const each of offers) expect(offerSchema.safeParse(each).success).toBe(true);
  });

  it('builds parsed routing requests', () => {
    const parsed = createRoutingRequest({ gpu_type: 'RTX 4090', region: 'us-west-2' });
    expect(parsed).toMatchObject({ gpu_type: '4090', region: 'us-west', gpu_count: 1 });
  });
});

describe('MockAdapter', () => {
  it('returns its offers, fills in its name, and records calls', async () => {
    const adapter = createMockAdapter({
      name: 'alpha',
      offers: [{ ...createOffer(), provider: undefined }],
      warnings: ['skipped one'],
    });
    const result = await adapter.listOffers(request);
    expect(result.offers[0]!.provider).toBe('alpha');
    expect(result.warnings).toEqual(['skipped one']);
    expect(adapter.calls.listOffers).toHaveLength(1);
    expect(adapter.calls.listOffers[0]!.request).toBe(request);
    expect(adapter.simulated).toBe(true);
  });

  it('computes offers from a function of the request and call number', async () => {
    const adapter = new MockAdapter({ offers: (_request, call) => createOffers(call) });
    expect((await adapter.listOffers(request)).offers).toHaveLength(1);
    expect((await adapter.listOffers(request)).offers).toHaveLength(2);
  });

  it('injects failures: always, by sequence and by call number', async () => {
    const error = new AdapterCallError({ message: 'boom', adapterId: 'mock', operation: 'deploy', statusCode: 503 });
    const always = createMockAdapter({ failures: { listOffers: error } });
    await expect(always.listOffers(request)).rejects.toBe(error);

    const sequence = createMockAdapter({ failures: { listOffers: [error, undefined, error] } });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => sequence.listOffers(request)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);

    const byCall = createMockAdapter({ failures: { healthCheck: (call) => (call % 2 === 0 ? error : undefined) } });
    await expect(byCall.healthCheck()).resolves.toMatchObject({ healthy: true });
    await expect(byCall.healthCheck()).rejects.toBe(error);
  });

  it('wraps non-Aurora injected errors so it throws only Aurora errors', async () => {
    const adapter = createMockAdapter({ failures: { deploy: new Error('plain') } });
    const error = await adapter.deploy(request, createOffer(), { idempotency_key: 'k' }).catch((caught: unknown) => caught);
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect((error as AdapterCallError).message).toBe('plain');
  });

  it('progresses provisioning -> running after N status calls, and terminates idempotently', async () => {
    const adapter = createMockAdapter({ deploy: { runningAfterStatusCalls: 2, endpoint: 'https://x.test' } });
    const deployed = await adapter.deploy(request, createOffer(), { idempotency_key: 'k' });
    expect(deployed.status).toBe('provisioning');
    expect((await adapter.getStatus(deployed.provider_deployment_id)).status).toBe('provisioning');
    const running = await adapter.getStatus(deployed.provider_deployment_id);
    expect(running).toMatchObject({ status: 'running', endpoint: 'https://x.test' });
    await adapter.terminate(deployed.provider_deployment_id);
    await adapter.terminate(deployed.provider_deployment_id);
    await adapter.terminate('never-existed');
    expect((await adapter.getStatus(deployed.provider_deployment_id)).status).toBe('terminated');
    expect(adapter.calls.terminate).toHaveLength(3);
  });

  it('progresses to running after a time by its clock', async () => {
    let now = 0;
    const adapter = createMockAdapter({ deploy: { runningAfterMs: 1_000 }, clock: { now: () => now } });
    const { provider_deployment_id: id } = await adapter.deploy(request, createOffer(), { idempotency_key: 'k' });
    expect((await adapter.getStatus(id)).status).toBe('provisioning');
    now = 1_000;
    expect((await adapter.getStatus(id)).status).toBe('running');
  });

  it('follows an explicit status sequence, repeating its last entry', async () => {
    const adapter = createMockAdapter({ deploy: { initialStatus: 'pending', statusSequence: ['provisioning', 'running', 'completed'] } });
    const deployed = await adapter.deploy(request, createOffer(), { idempotency_key: 'k' });
    expect(deployed.status).toBe('pending');
    const seen: string[] = [];
    for (let call = 0; call < 4; call++) seen.push((await adapter.getStatus(deployed.provider_deployment_id)).status);
    expect(seen).toEqual(['provisioning', 'running', 'completed', 'completed']);
  });

  it('answers unknown ids with a non-retryable 404', async () => {
    const adapter = createMockAdapter();
    const error = await adapter.getStatus('nope').catch((caught: unknown) => caught);
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
  });

  it('waits its latency and rejects with an Aurora error when aborted', async () => {
    vi.useFakeTimers();
    const adapter = createMockAdapter({ latencyMs: { listOffers: 500 } });
    const controller = new AbortController();
    const pending = adapter.listOffers(request, { signal: controller.signal });
    const settled = vi.fn();
    pending.then(settled, settled);
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).not.toHaveBeenCalled();
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(AuroraError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'aborted', isRetryable: false });

    const slow = adapter.listOffers(request);
    await vi.advanceTimersByTimeAsync(500);
    await expect(slow).resolves.toMatchObject({ offers: [expect.any(Object)] });
  });

  it('reports a timeout signal as a retryable timeout', async () => {
    const adapter = createMockAdapter();
    const error = await adapter.listOffers(request, { signal: AbortSignal.abort(new DOMException('t', 'TimeoutError')) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'timeout', isRetryable: true });
  });

  it('streams log lines with tail, and follows until terminate', async () => {
    const adapter = createMockAdapter({ logLines: ['one', 'two', 'three'] });
    const { provider_deployment_id: id } = await adapter.deploy(request, createOffer(), { idempotency_key: 'k' });
    const tailed: string[] = [];
    for await (const line of adapter.getLogs(id, { tail: 2 })) tailed.push(line.message);
    expect(tailed).toEqual(['two', 'three']);

    const followed: string[] = [];
    const done = (async () => {
      for await (const line of adapter.getLogs(id, { follow: true })) followed.push(line.message);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(followed).toEqual(['one', 'two', 'three']);
    await adapter.terminate(id);
    await done;
  });
});
