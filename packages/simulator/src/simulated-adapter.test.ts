import {
  AdapterCallError, AuroraError, InvalidResponseDataError, logLineSchema, offerSchema, type LogLine, type Offer, type RoutingRequest,
} from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { createTestProfile } from './__fixtures__/test-profile';
import { createManualClock, type ManualClock } from './clock/manual-clock';
import { marketWindowMs } from './market/simulated-market';
import { providerProfiles } from './profiles/index';
import type { ProviderProfile } from './profiles/provider-profile';
import { createSimulatedAdapter, type SimulatedAdapter, type SimulatedAdapterOptions } from './simulated-adapter';

const inference = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'a100', ports: [8000], image: 'vllm/vllm-openai:latest' });

function setup(profile: ProviderProfile, options: Partial<SimulatedAdapterOptions> = {}): { adapter: SimulatedAdapter; clock: ManualClock } {
  const clock = createManualClock();
  const adapter = createSimulatedAdapter(profile, { seed: 'test', clock, apiLatency: false, ...options });
  return { adapter, clock };
}

async function offersFor(adapter: SimulatedAdapter, request: RoutingRequest): Promise<Offer[]> {
  const { offers } = await adapter.listOffers(request);
  return offers.map((offer) => offerSchema.parse(offer));
}

async function firstOffer(adapter: SimulatedAdapter, request: RoutingRequest = inference): Promise<Offer> {
  const offers = await offersFor(adapter, request);
  const offer = offers.find((candidate) => candidate.capacity > 0);
  if (!offer) throw new Error(`no offer with capacity from ${adapter.name}`);
  return offer;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function expectCallError(error: unknown, expected: { statusCode?: number; reason: string; isRetryable: boolean; scope?: string }): void {
  expect(AdapterCallError.isInstance(error), `expected AdapterCallError, got ${String(error)}`).toBe(true);
  const callError = error as AdapterCallError;
  expect(callError.reason).toBe(expected.reason);
  expect(callError.isRetryable).toBe(expected.isRetryable);
  if (expected.statusCode !== undefined) expect(callError.statusCode).toBe(expected.statusCode);
  if (expected.scope !== undefined) expect(callError.scope).toBe(expected.scope);
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const collected: LogLine[] = [];
  for await (const line of lines) collected.push(line);
  return collected;
}

describe('createSimulatedAdapter', () => {
  it('is a simulated ProviderAdapterV1 named after its profile', () => {
    const { adapter } = setup(providerProfiles.akash);
    expect(adapter.specificationVersion).toBe('v1');
    expect(adapter.name).toBe('akash');
    expect(adapter.simulated).toBe(true);
    expect(adapter.profile).toBe(providerProfiles.akash);
  });

  describe('listOffers', () => {
    const requests = [
      createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'h100' }),
      createRoutingRequest({ workload_type: 'llm_training', gpu_type: 'A100-SXM4-80GB', gpu_count: 2 }),
      createRoutingRequest({ workload_type: 'rendering', gpu_type: 'RTX 4090' }),
      createRoutingRequest({ workload_type: 'general', gpu_type: '4090', gpu_count: 3 }),
      createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'l40s', gpu_count: 8 }),
    ];

    it.each(Object.values(providerProfiles))('$id: offers parse with offerSchema and fit the request', async (profile) => {
      const { adapter, clock } = setup(profile);
      for (const request of requests) {
        const { offers } = await adapter.listOffers(request);
        for (const input of offers) {
          const offer = offerSchema.parse(input);
          expect(offer.provider).toBe(profile.id);
          expect(offer.gpu_type).toBe(request.gpu_type);
          expect(offer.gpu_count).toBeGreaterThanOrEqual(request.gpu_count);
          expect(offer.quoted_at).toBe(new Date(clock.now()).toISOString());
          const offering = profile.gpus.find((candidate) => candidate.providerGpuName === offer.provider_metadata['provider_gpu_name'])!;
          // The smallest machine shape that holds the request.
          expect(offer.gpu_count).toBe(Math.min(...offering.gpuCounts.filter((count) => count >= request.gpu_count)));
          const perGpu = offer.provider_metadata['price_per_gpu_hour'] as number;
          expect(offer.price_usd_per_hour).toBeCloseTo(perGpu * offer.gpu_count, 2);
          const band = offer.interruptible && offering.interruptiblePrice ? offering.interruptiblePrice : offering.price;
          expect(perGpu).toBeGreaterThanOrEqual(band.min * 0.9 - 1e-9);
          expect(perGpu).toBeLessThanOrEqual(band.max * 1.1 + 1e-9);
          if (!profile.reportsSoldOut) expect(offer.capacity).toBeGreaterThan(0);
          if (profile.interruptibleOnly) expect(offer.interruptible).toBe(true);
        }
      }
    });

    it('quotes H100s from most providers, with distinct ids', async () => {
      const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'h100' });
      const providersWithOffers: string[] = [];
      for (const profile of Object.values(providerProfiles)) {
        const { adapter } = setup(profile);
        const offers = await offersFor(adapter, request);
        expect(new Set(offers.map((offer) => offer.offer_id)).size).toBe(offers.length);
        if (offers.length > 0) providersWithOffers.push(profile.id);
      }
      expect(providersWithOffers.sort()).toEqual(['aethir', 'akash', 'ionet', 'render', 'runpod', 'vastai']);
    });

    it('quotes list prices exactly: RunPod A100 80GB PCIe x2 is 2 x 1.99 USD/h', async () => {
      const { adapter } = setup(providerProfiles.runpod);
      const offers = await offersFor(adapter, createRoutingRequest({ workload_type: 'general', gpu_type: 'a100', gpu_count: 2 }));
      const pcie = offers.filter((offer) => offer.provider_metadata['provider_gpu_name'] === 'A100 80GB PCIe');
      expect(pcie.length).toBeGreaterThan(0);
      for (const offer of pcie) expect(offer.price_usd_per_hour).toBe(3.98);
    });

    it('moves marketplace prices and capacity between quotes as simulated time passes', async () => {
      const { adapter, clock } = setup(providerProfiles.vastai);
      const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: '4090' });
      const prices = new Set<number>();
      const capacities = new Set<number>();
      for (let quote = 0; quote < 6; quote++) {
        const offer = (await offersFor(adapter, request))[0]!;
        prices.add(offer.price_usd_per_hour);
        capacities.add(offer.capacity);
        await clock.advance(marketWindowMs);
      }
      expect(prices.size).toBeGreaterThan(1);
      expect(capacities.size).toBeGreaterThan(1);
    });

    it('warns instead of quoting when the request needs more GPUs than any machine shape has', async () => {
      const { adapter } = setup(providerProfiles.salad);
      const result = await adapter.listOffers(createRoutingRequest({ workload_type: 'rendering', gpu_type: '4090', gpu_count: 2 }));
      expect(result.offers).toEqual([]);
      expect(result.warnings?.[0]).toMatch(/at most 1 GPU\(s\) per placement; the request needs 2/);
    });

    it('returns nothing for a GPU the provider does not rent', async () => {
      const { adapter } = setup(providerProfiles.salad);
      expect(await adapter.listOffers(createRoutingRequest({ workload_type: 'general', gpu_type: 'h100' }))).toEqual({ offers: [], warnings: [] });
    });

    it('waits the API latency on the clock and honours an abort while waiting', async () => {
      const { adapter, clock } = setup(createTestProfile(), { apiLatency: true });
      let settled = false;
      const listing = adapter.listOffers(inference).then((result) => {
        settled = true;
        return result;
      });
      await clock.advance(99);
      expect(settled).toBe(false);
      await clock.advance(1);
      expect((await listing).offers.length).toBeGreaterThan(0);

      const controller = new AbortController();
      const aborted = adapter.listOffers(inference, { signal: controller.signal });
      controller.abort();
      expectCallError(await rejection(aborted), { reason: 'aborted', isRetryable: false });

      const timedOut = new AbortController();
      const slow = adapter.listOffers(inference, { signal: timedOut.signal });
      timedOut.abort(new DOMException('deadline', 'TimeoutError'));
      expectCallError(await rejection(slow), { reason: 'timeout', isRetryable: true });
      expectCallError(await rejection(adapter.listOffers(inference, { signal: AbortSignal.abort() })), { reason: 'aborted', isRetryable: false });
    });
  });

  describe('determinism', () => {
    /** A scripted session: quotes, deploys, time passing, statuses and logs. */
    async function transcript(seed: string): Promise<unknown[]> {
      const clock = createManualClock();
      const adapter = createSimulatedAdapter(providerProfiles.vastai, { seed, clock, apiLatency: false, failureRateMultiplier: 3 });
      const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: '4090', ports: [8000] });
      const events: unknown[] = [];
      const ids: string[] = [];
      for (let round = 0; round < 4; round++) {
        const offers = await offersFor(adapter, request);
        events.push(offers.map((offer) => [offer.offer_id, offer.price_usd_per_hour, offer.capacity, offer.availability, offer.reputation]));
        for (const [index, offer] of offers.slice(0, 3).entries()) {
          try {
            const deployed = await adapter.deploy(request, offer, { idempotency_key: `round-${round}-${index}` });
            ids.push(deployed.provider_deployment_id);
            events.push(deployed);
          } catch (error) {
            events.push((error as AuroraError).toJSON());
          }
        }
        await clock.advance(20 * 60_000);
        for (const id of ids) events.push(await adapter.getStatus(id));
      }
      events.push(await collect(adapter.getLogs(ids[0]!, { tail: 20 })));
      return events;
    }

    it('replays the same offers and outcomes for the same seed, and differs for another', async () => {
      const first = await transcript('seed-1');
      expect(await transcript('seed-1')).toEqual(first);
      expect(await transcript('seed-2')).not.toEqual(first);
    });

    it('shows the same market at the same time, whatever was asked before', async () => {
      const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: 'h100' });
      const busy = setup(providerProfiles.akash);
      const fresh = setup(providerProfiles.akash);
      for (let quote = 0; quote < 5; quote++) {
        await busy.adapter.listOffers(request);
        await busy.adapter.listOffers(createRoutingRequest({ workload_type: 'general', gpu_type: '4090', gpu_count: 2 }));
        await busy.clock.advance(7 * 60_000);
      }
      await fresh.clock.advanceTo(busy.clock.now());
      expect(await busy.adapter.listOffers(request)).toEqual(await fresh.adapter.listOffers(request));
    });

    it('gives the same deploy outcome for the same request key and offer, whatever came before', async () => {
      const busy = setup(providerProfiles.ionet);
      const fresh = setup(providerProfiles.ionet);
      const offer = await firstOffer(busy.adapter);
      const elsewhere = (await offersFor(busy.adapter, inference)).find((candidate) => candidate.offer_id !== offer.offer_id && candidate.capacity > 0)!;
      await busy.adapter.deploy(inference, elsewhere, { idempotency_key: 'another-request' });
      const a = await busy.adapter.deploy(inference, offer, { idempotency_key: 'request-1' });
      const b = await fresh.adapter.deploy(inference, offer, { idempotency_key: 'request-1' });
      expect(a).toEqual(b);
      await busy.clock.advance(3_600_000);
      await fresh.clock.advance(3_600_000);
      expect(await busy.adapter.getStatus(a.provider_deployment_id)).toEqual(await fresh.adapter.getStatus(b.provider_deployment_id));
    });
  });

  describe('deployment lifecycle', () => {
    it('goes pending -> provisioning -> running at the simulated times, then terminates idempotently', async () => {
      const { adapter, clock } = setup(createTestProfile());
      const offer = await firstOffer(adapter);
      const deployed = await adapter.deploy(inference, offer, { idempotency_key: 'lifecycle' });
      expect(deployed).toMatchObject({ status: 'pending', provider_status: 'PROVISIONING', endpoint: null, price_usd_per_hour: 2 });
      const id = deployed.provider_deployment_id;
      expect(id).toMatch(/^[a-z0-9]{14}$/);

      await clock.advance(9_999);
      expect((await adapter.getStatus(id)).status).toBe('pending');
      await clock.advance(1);
      expect(await adapter.getStatus(id)).toMatchObject({ status: 'provisioning', provider_status: 'STARTING' });
      await clock.advance(49_999);
      expect((await adapter.getStatus(id)).status).toBe('provisioning');
      await clock.advance(1);
      const running = await adapter.getStatus(id);
      expect(running).toMatchObject({
        provider_deployment_id: id,
        status: 'running',
        provider_status: 'RUNNING',
        endpoint: `https://${id}-8000.runpod.simulated.invalid`,
        started_at: new Date(clock.now()).toISOString(),
      });
      expect(adapter.liveDeploymentIds()).toEqual([id]);

      await adapter.terminate(id);
      expect(await adapter.getStatus(id)).toMatchObject({ status: 'terminated', provider_status: 'TERMINATED', endpoint: null });
      await expect(adapter.terminate(id)).resolves.toBeUndefined();
      await expect(adapter.terminate('never-deployed')).resolves.toBeUndefined();
      expect(adapter.liveDeploymentIds()).toEqual([]);
    });

    it.each(Object.values(providerProfiles))('$id: reaches running after its provisioning time', async (profile) => {
      const { adapter, clock } = setup(profile, { failureRateMultiplier: 0 });
      const offering = profile.gpus[0]!;
      const request = createRoutingRequest({ workload_type: 'llm_inference', gpu_type: offering.gpuType, gpu_count: Math.min(...offering.gpuCounts) });
      const deployed = await adapter.deploy(request, await firstOffer(adapter, request), { idempotency_key: 'start' });
      expect(deployed.status).toBe('pending');
      const deployedAt = clock.now();
      let status = deployed.status;
      while (status !== 'running') {
        await clock.advance(5_000);
        status = (await adapter.getStatus(deployed.provider_deployment_id)).status;
        expect(['pending', 'provisioning', 'running']).toContain(status);
      }
      const { startup } = profile;
      expect(clock.now() - deployedAt).toBeGreaterThanOrEqual((startup.pending.minMs ?? 0) + (startup.provisioning.minMs ?? 0));
    });

    it('fails to start as often as told, with the reason in status and logs', async () => {
      const { adapter, clock } = setup(createTestProfile({ rates: { startFailure: 1 } }));
      const deployed = await adapter.deploy(inference, await firstOffer(adapter), { idempotency_key: 'doomed' });
      await clock.advance(3_600_000);
      const status = await adapter.getStatus(deployed.provider_deployment_id);
      expect(status).toMatchObject({ status: 'failed', provider_status: 'ERROR' });
      expect(status.started_at).toBeUndefined();
      const lines = await collect(adapter.getLogs(deployed.provider_deployment_id));
      expect(lines.at(-2)).toMatchObject({ stream: 'stderr', message: `Error: ${status.message}` });
      expect(lines.at(-1)?.message).toBe(`Deployment failed: ${status.message}`);
      // Terminating what already failed changes nothing.
      await adapter.terminate(deployed.provider_deployment_id);
      expect((await adapter.getStatus(deployed.provider_deployment_id)).status).toBe('failed');
    });

    it('preempts interruptible capacity: failed with provider_status "preempted"', async () => {
      const profile = createTestProfile({ interruptibleOnly: true, rates: { preemptionPerHour: 1_000 } });
      const { adapter, clock } = setup(profile);
      const offer = await firstOffer(adapter);
      expect(offer.interruptible).toBe(true);
      const deployed = await adapter.deploy(inference, offer, { idempotency_key: 'spot' });
      await clock.advance(60_000 + 3_600_000);
      expect(await adapter.getStatus(deployed.provider_deployment_id)).toMatchObject({ status: 'failed', provider_status: 'preempted' });
      const lines = await collect(adapter.getLogs(deployed.provider_deployment_id));
      expect(lines.at(-1)?.message).toMatch(/reclaimed the node/);
    });

    it('completes a batch workload after its GPU-hours', async () => {
      const { adapter, clock } = setup(createTestProfile());
      const training = createRoutingRequest({ workload_type: 'llm_training', gpu_type: 'a100', gpu_count: 2, gpu_hours: 4 });
      const deployed = await adapter.deploy(training, await firstOffer(adapter, training), { idempotency_key: 'train' });
      await clock.advance(60_000 + 2 * 3_600_000 - 1);
      expect((await adapter.getStatus(deployed.provider_deployment_id)).status).toBe('running');
      await clock.advance(1);
      expect(await adapter.getStatus(deployed.provider_deployment_id)).toMatchObject({ status: 'completed', provider_status: 'EXITED' });
    });

    it('replays a deploy with the same idempotency key and refuses the key for another offer', async () => {
      const { adapter, clock } = setup(createTestProfile());
      const [first, second] = await offersFor(adapter, inference);
      const deployed = await adapter.deploy(inference, first!, { idempotency_key: 'same-key' });
      await clock.advance(1_000);
      const replayed = await adapter.deploy(inference, first!, { idempotency_key: 'same-key' });
      expect(replayed.provider_deployment_id).toBe(deployed.provider_deployment_id);
      expect(adapter.liveDeploymentIds()).toHaveLength(1);
      expectCallError(await rejection(adapter.deploy(inference, second!, { idempotency_key: 'same-key' })), {
        statusCode: 409, reason: 'idempotency_conflict', isRetryable: false,
      });
    });

    it('refuses an offer that is not its own or not a shape it sells', async () => {
      const { adapter } = setup(createTestProfile());
      const offer = await firstOffer(adapter);
      const foreign = { ...offer, provider: 'vastai' };
      expectCallError(await rejection(adapter.deploy(inference, foreign, { idempotency_key: 'foreign' })), {
        statusCode: 400, reason: 'invalid_offer', isRetryable: false,
      });
      const unknown = { ...offer, offer_id: 'runpod-nothing-1x', provider_metadata: {} };
      expectCallError(await rejection(adapter.deploy(inference, unknown, { idempotency_key: 'unknown' })), { reason: 'invalid_offer', isRetryable: false });
      const tooSmall = { ...offer, gpu_count: 1 };
      const twoGpus = createRoutingRequest({ workload_type: 'general', gpu_type: 'a100', gpu_count: 2 });
      expectCallError(await rejection(adapter.deploy(twoGpus, tooSmall, { idempotency_key: 'small' })), { reason: 'invalid_offer', isRetryable: false });
    });

    it('takes capacity from the pool while running and gives it back when terminated', async () => {
      const profile = createTestProfile({ offering: { gpuCounts: [1], gpusPerRegion: 40 }, regions: [createTestProfile().regions[0]!] });
      const { adapter } = setup(profile);
      const before = await firstOffer(adapter);
      const ids: string[] = [];
      for (let index = 0; index < before.capacity; index++) {
        const offer = (await offersFor(adapter, inference))[0]!;
        expect(offer.capacity).toBe(before.capacity - index);
        ids.push((await adapter.deploy(inference, offer, { idempotency_key: `fill-${index}` })).provider_deployment_id);
      }
      const soldOut = (await offersFor(adapter, inference))[0]!;
      expect(soldOut).toMatchObject({ capacity: 0, availability: 0 });
      expectCallError(await rejection(adapter.deploy(inference, soldOut, { idempotency_key: 'one-more' })), {
        reason: 'no_capacity', isRetryable: true, scope: 'offer',
      });
      await adapter.terminate(ids[0]!);
      expect((await offersFor(adapter, inference))[0]!.capacity).toBe(1);
    });

    it('forgets deployments that ended longer ago than the retention, and keeps live and recent ones', async () => {
      const { adapter, clock } = setup(createTestProfile(), { failureRateMultiplier: 0, endedRetentionMs: 60_000 });
      const offer = await firstOffer(adapter);
      const deploy = async (key: string) => (await adapter.deploy(inference, offer, { idempotency_key: key })).provider_deployment_id;
      const live = await deploy('live');
      const ended: string[] = [];
      for (let index = 0; index < 600; index++) {
        const id = await deploy(`old-${index}`);
        await adapter.terminate(id);
        ended.push(id);
      }
      await clock.advance(61_000);
      // Each deploy looks at a few of the oldest entries: these are enough to reach every old one.
      const recent: string[] = [];
      for (let index = 0; index < 1_000; index++) {
        const id = await deploy(`new-${index}`);
        await adapter.terminate(id);
        recent.push(id);
      }

      for (const id of [ended[0]!, ended[599]!]) {
        expectCallError(await rejection(adapter.getStatus(id)), { statusCode: 404, reason: 'not_found', isRetryable: false });
      }
      expect((await adapter.getStatus(live)).provider_deployment_id).toBe(live);
      expect((await adapter.getStatus(recent[0]!)).status).toBe('terminated');
      expect(adapter.liveDeploymentIds()).toEqual([live]);
    });

    it('refuses a negative retention of ended deployments', () => {
      expect(() => setup(createTestProfile(), { endedRetentionMs: -1 })).toThrow(/endedRetentionMs/);
    });

    it('reports unknown deployments as a non-retryable 404', async () => {
      const { adapter } = setup(createTestProfile());
      expectCallError(await rejection(adapter.getStatus('missing')), { statusCode: 404, reason: 'not_found', isRetryable: false });
      expectCallError(await rejection(collect(adapter.getLogs('missing'))), { statusCode: 404, reason: 'not_found', isRetryable: false });
    });
  });

  describe('getLogs', () => {
    async function runningDeployment(profile = createTestProfile()) {
      const { adapter, clock } = setup(profile);
      const deployed = await adapter.deploy(inference, await firstOffer(adapter), { idempotency_key: 'logs' });
      return { adapter, clock, id: deployed.provider_deployment_id };
    }

    it('yields the history up to now, in time order, as valid log lines', async () => {
      const { adapter, clock, id } = await runningDeployment();
      await clock.advance(5 * 60_000);
      const lines = await collect(adapter.getLogs(id));
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) expect(logLineSchema.safeParse(line).success).toBe(true);
      const times = lines.map((line) => Date.parse(line.timestamp));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBeLessThanOrEqual(clock.now());
      const messages = lines.map((line) => line.message);
      expect(messages[0]).toMatch(/^RunPod accepted deployment/);
      expect(messages).toContain('Pulling image vllm/vllm-openai:latest');
      expect(messages).toContain('Image pulled; container started');
      expect(messages.some((message) => /^INFO Model loaded in \d+\.\d s$/.test(message))).toBe(true);
      expect(messages.some((message) => message.includes('POST /v1/chat/completions'))).toBe(true);
    });

    it('applies since and tail', async () => {
      const { adapter, clock, id } = await runningDeployment();
      await clock.advance(10 * 60_000);
      const all = await collect(adapter.getLogs(id));
      expect(await collect(adapter.getLogs(id, { tail: 3 }))).toEqual(all.slice(-3));
      expect(await collect(adapter.getLogs(id, { tail: 0 }))).toEqual([]);
      const since = all[Math.floor(all.length / 2)]!.timestamp;
      expect(await collect(adapter.getLogs(id, { since }))).toEqual(all.filter((line) => line.timestamp >= since));
      const badSince = await rejection(collect(adapter.getLogs(id, { since: 'yesterday' })));
      expect(AuroraError.isInstance(badSince) && badSince.code).toBe('AURORA_ERR_INVALID_ARGUMENT');
    });

    it('follows new lines as time passes until the deployment is terminated', async () => {
      const { adapter, clock, id } = await runningDeployment();
      const seen: LogLine[] = [];
      let ended = false;
      const following = (async () => {
        for await (const line of adapter.getLogs(id, { follow: true })) seen.push(line);
        ended = true;
      })();
      await clock.advance(0);
      const backlog = seen.length;
      await clock.advance(3 * 60_000);
      expect(seen.length).toBeGreaterThan(backlog + 5);
      expect(ended).toBe(false);

      await adapter.terminate(id);
      await following;
      expect(ended).toBe(true);
      expect(seen.slice(-2).map((line) => line.message)).toEqual(['Termination requested', 'Container stopped; resources released']);
      // What the follower saw is exactly the history a later reader gets.
      expect(await collect(adapter.getLogs(id))).toEqual(seen);
    });

    it('stops following when the signal aborts or the adapter closes', async () => {
      const { adapter, clock, id } = await runningDeployment();
      const controller = new AbortController();
      const aborted = collect(adapter.getLogs(id, { follow: true, signal: controller.signal }));
      const closed = collect(adapter.getLogs(id, { follow: true }));
      await clock.advance(2 * 60_000);
      controller.abort();
      const linesBeforeAbort = await aborted;
      expect(linesBeforeAbort.length).toBeGreaterThan(0);
      await adapter.close();
      expect((await closed).length).toBeGreaterThanOrEqual(linesBeforeAbort.length);
      expect((await adapter.getStatus(id)).status).toBe('running');
    });

    it('ends a follow by itself when the deployment fails', async () => {
      const { adapter, clock, id } = await runningDeployment(createTestProfile({ interruptibleOnly: true, rates: { preemptionPerHour: 50 } }));
      const following = collect(adapter.getLogs(id, { follow: true }));
      await clock.advance(24 * 3_600_000);
      const lines = await following;
      expect(lines.at(-1)?.message).toMatch(/reclaimed the node/);
    });
  });

  describe('outages and injected faults', () => {
    it('answers 503 for the provider and reports unhealthy during an outage', async () => {
      const { adapter } = setup(createTestProfile({ rates: { healthFailure: 1 } }));
      expectCallError(await rejection(adapter.listOffers(inference)), {
        statusCode: 503, reason: 'provider_unavailable', isRetryable: true, scope: 'provider',
      });
      expect(await adapter.healthCheck()).toMatchObject({ healthy: false, latency_ms: 100 });
      const healthy = setup(createTestProfile());
      expect(await healthy.adapter.healthCheck()).toEqual({ healthy: true, latency_ms: 100 });
    });

    it('injects HTTP faults, slow answers and malformed responses, optionally per operation', async () => {
      const { adapter, clock } = setup(createTestProfile());
      const offer = await firstOffer(adapter);
      adapter.setFault({ type: 'http-status', status: 429, retryAfterMs: 7_000 });
      const limited = await rejection(adapter.listOffers(inference));
      expectCallError(limited, { statusCode: 429, reason: 'http_429', isRetryable: true, scope: 'provider' });
      expect((limited as AdapterCallError).retryAfterMs).toBe(7_000);
      expect((await adapter.healthCheck()).healthy).toBe(false);

      adapter.setFault({ type: 'http-status', status: 401, operations: ['deploy'] });
      expect((await adapter.listOffers(inference)).offers.length).toBeGreaterThan(0);
      expectCallError(await rejection(adapter.deploy(inference, offer, { idempotency_key: 'unauthorised' })), {
        statusCode: 401, reason: 'http_401', isRetryable: false,
      });

      adapter.setFault({ type: 'malformed-response' });
      expect(InvalidResponseDataError.isInstance(await rejection(adapter.getStatus('anything')))).toBe(true);

      adapter.setFault({ type: 'slow', delayMs: 30_000 });
      let answered = false;
      const slow = adapter.listOffers(inference).then(() => {
        answered = true;
      });
      await clock.advance(29_999);
      expect(answered).toBe(false);
      await clock.advance(1);
      await slow;
      expect(answered).toBe(true);

      adapter.setFault(undefined);
      expect((await adapter.healthCheck()).healthy).toBe(true);
    });

    it('records each call that reaches the provider, and none at construction', async () => {
      const operations: string[] = [];
      const { adapter } = setup(createTestProfile(), { onProviderCall: ({ operation }) => operations.push(operation) });
      expect(operations).toEqual([]);
      await adapter.listOffers(inference);
      await adapter.healthCheck();
      await rejection(adapter.getStatus('x', { signal: AbortSignal.abort() }));
      expect(operations).toEqual(['listOffers', 'healthCheck']);
    });
  });
});
