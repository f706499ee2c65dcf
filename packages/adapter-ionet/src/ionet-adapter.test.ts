import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, ConfigurationError, InvalidArgumentError, offerSchema, type Offer, type RoutingRequestInput } from '@aurora/router';
import { createOffer, createRoutingRequest } from '@aurora/router/testkit';
import { createIonet, type IonetAdapterSettings } from './index';
import { defaultIonetFakeCatalog, startIonetFake, type IonetFake, type IonetFakeOptions } from './testing/index';

const start = Date.parse('2026-03-01T12:00:00.000Z');
const timing = { provisioningMs: 1_000, workerReadyMs: 1_000, terminationMs: 500, hourMs: 60_000, logPollMs: 5 };
let fakes: IonetFake[] = [];

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

/** A fake on a manual clock and an adapter pointed at it. */
async function setup(options: { fake?: IonetFakeOptions; adapter?: IonetAdapterSettings } = {}) {
  const clock = { time: start, now: () => clock.time, advance: (ms: number) => void (clock.time += ms) };
  const fake = await startIonetFake({ timing, clock, ...options.fake });
  fakes.push(fake);
  const adapter = createIonet({ baseURL: fake.url, apiKey: fake.apiKey, environment: {}, clock, ...options.adapter });
  const calls = (method: string, path: string) => fake.state.requests.filter((request) => request.method === method && request.path.startsWith(path));
  return { fake, adapter, clock, calls };
}

const deployable = (overrides: Partial<RoutingRequestInput> = {}) =>
  createRoutingRequest({ gpu_type: 'h100', gpu_count: 2, image: 'vllm/vllm-openai:latest', ...overrides });

async function firstOffer(adapter: ReturnType<typeof createIonet>, request = deployable()): Promise<Offer> {
  const { offers } = await adapter.listOffers(request);
  return offerSchema.parse(offers[0]);
}

describe('listOffers', () => {
  it('quotes each location with free replicas for one hour and prices the whole request', async () => {
    const { adapter, calls } = await setup();
    const { offers, warnings } = await adapter.listOffers(deployable());
    expect(warnings).toEqual([]);
    // Singapore has no H100: no offer. 2.19 USDC per GPU-hour x 2 GPUs, plus 0.25% and 2% fees.
    expect(offers.map((offer) => [offer.offer_id, offer.region, offer.price_usd_per_hour, offer.capacity])).toEqual([
      ['hw203-loc3-2x1', 'us-east', 4.47855, 8],
      ['hw203-loc7-2x1', 'eu-central', 4.47855, 4],
    ]);
    expect(offers[0]!.provider_metadata).toMatchObject({ price_usd_per_gpu_hour: 2.239275, total_cost_usdc: 4.47855, quote_duration_hours: 1 });
    expect(calls('GET', '/available-replicas')[0]!.query).toEqual({ hardware_id: '203', hardware_qty: '2' });
    expect(calls('GET', '/price')[0]!.query).toEqual({
      location_ids: '[3]', hardware_id: '203', duration_hours: '1', gpus_per_container: '2', replica_count: '1',
      currency: 'usdc', duration_type: 'hourly', duration_qty: '1', hardware_qty: '2',
    });
    expect(fake_apiKeySent(calls('GET', '/'))).toBe(true);
  });

  it('quotes only the requested region', async () => {
    const { adapter, calls } = await setup();
    const { offers } = await adapter.listOffers(deployable({ region: 'eu-central' }));
    expect(offers.map((offer) => offer.offer_id)).toEqual(['hw203-loc7-2x1']);
    expect(calls('GET', '/price')).toHaveLength(1);
  });

  it('maps GPU names through the alias table (A100-SXM4-80GB -> a100, 80 GB)', async () => {
    const { adapter } = await setup();
    const { offers } = await adapter.listOffers(createRoutingRequest({ gpu_type: 'a100', region: 'asia-southeast', image: 'vllm/vllm-openai:latest' }));
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ gpu_type: 'a100', gpu_memory_gb: 80, region: 'asia-southeast', price_usd_per_hour: 1.319025 });
  });

  it('warns and skips when one container cannot hold the requested GPUs', async () => {
    const { adapter, calls } = await setup();
    const { offers, warnings } = await adapter.listOffers(deployable({ gpu_count: 16 }));
    expect(offers).toEqual([]);
    expect(warnings).toEqual(['H100 80GB HBM3 fits at most 8 GPUs per container; the request needs 16']);
    expect(calls('GET', '/price')).toHaveLength(0);
  });

  it('returns no offers for more than one port (io.net routes one traffic port), without calling io.net', async () => {
    const { adapter, fake } = await setup();
    const { offers, warnings } = await adapter.listOffers(deployable({ ports: [80, 443] }));
    expect(offers).toEqual([]);
    expect(warnings?.[0]).toMatch(/one traffic port/);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('returns no offers for a request without an image (unless a default image is set), without calling io.net', async () => {
    const { adapter, fake } = await setup();
    const { image: _image, ...withoutImage } = deployable({});
    const { offers, warnings } = await adapter.listOffers(withoutImage);
    expect(offers).toEqual([]);
    expect(warnings?.[0]).toMatch(/container image/);
    expect(fake.state.requests).toHaveLength(0);

    const { adapter: withDefault } = await setup({ adapter: { defaultImage: 'ubuntu:24.04' } });
    expect((await withDefault.listOffers(withoutImage)).offers.length).toBeGreaterThan(0);
  });

  it('turns unknown GPUs and malformed records into warnings', async () => {
    const catalog = defaultIonetFakeCatalog();
    catalog.hardware.push({ hardware_id: 999, hardware_name: 'Quantum Q1', brand_name: 'Acme', max_gpus_per_container: 4, price_per_gpu_hour: 9 });
    const { fake } = await setup({ fake: { catalog } });
    // A fetch that corrupts one hardware row the way a drifting API might.
    const corrupting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/hardware/')) return response;
      const body = (await response.json()) as { data: { hardware: unknown[] } };
      body.data.hardware.push({ hardware_name: 42 });
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const adapter = createIonet({ baseURL: fake.url, apiKey: fake.apiKey, environment: {}, fetch: corrupting });
    const { offers, warnings } = await adapter.listOffers(deployable());
    expect(offers).toHaveLength(2);
    expect(warnings).toHaveLength(2);
    expect(warnings?.[0]).toBe('skipped unknown GPU "Quantum Q1" (hardware_id 999)');
    expect(warnings?.[1]).toMatch(/^skipped a hardware record: hardware_id/);
  });

  it('quotes at most maxPriceQuotes locations, the ones with the most free replicas', async () => {
    const { adapter } = await setup({ adapter: { maxPriceQuotes: 1 } });
    const { offers, warnings } = await adapter.listOffers(deployable());
    expect(offers.map((offer) => offer.offer_id)).toEqual(['hw203-loc3-2x1']);
    expect(warnings).toEqual(['quoted the 1 locations with the most free replicas of 2 (maxPriceQuotes)']);
  });

  it('sees capacity taken by a deployment', async () => {
    const { adapter } = await setup();
    const germany = (await adapter.listOffers(deployable({ gpu_count: 8, region: 'eu-central' }))).offers;
    expect(germany).toHaveLength(1);
    await adapter.deploy(deployable({ gpu_count: 8 }), offerSchema.parse(germany[0]), { idempotency_key: 'fill-germany' });
    expect((await adapter.listOffers(deployable({ gpu_count: 8, region: 'eu-central' }))).offers).toEqual([]);
  });

  it('accepts answers without the data envelope and string ids (both unconfirmed drifts)', async () => {
    const catalog = defaultIonetFakeCatalog();
    catalog.hardware[0]!.hardware_id = 'gpu_h100';
    catalog.freeGpus.gpu_h100 = catalog.freeGpus['203']!;
    const { fake, clock } = await setup({ fake: { catalog } });
    const unwrapping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      const body = json && 'data' in json ? json.data : json;
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const adapter = createIonet({ baseURL: fake.url, apiKey: fake.apiKey, environment: {}, fetch: unwrapping, clock });
    const offer = await firstOffer(adapter);
    expect(offer.offer_id).toBe('hwgpu_h100-loc3-2x1');
    const deployed = await adapter.deploy(deployable(), offer, { idempotency_key: 'bare' });
    clock.advance(2_000);
    expect((await adapter.getStatus(deployed.provider_deployment_id)).status).toBe('running');
  });
});

function fake_apiKeySent(requests: Array<{ apiKeySent: boolean }>): boolean {
  return requests.length > 0 && requests.every((request) => request.apiKeySent);
}

describe('deploy', () => {
  it('prepays ceil(gpu_hours / gpu_count) hours and reports the prepaid total', async () => {
    const { adapter, fake } = await setup();
    const request = deployable({ gpu_hours: 5, env: { HF_TOKEN: 'hf_x', MODEL: 'qwen' }, ports: [8080], command: ['serve'] });
    const offer = await firstOffer(adapter, request);
    const result = await adapter.deploy(request, offer, { idempotency_key: 'job-1' });

    const [deployment] = [...fake.state.deployments.values()];
    expect(result.provider_deployment_id).toBe(`ionet:${deployment!.id}`);
    expect(deployment).toMatchObject({ name: 'aurora-job-1', durationHours: 3, gpusPerContainer: 2, replicaCount: 1 });
    expect(deployment!.containerConfig).toEqual({
      replica_count: 1, traffic_port: 8080, entrypoint: ['serve'], env_variables: { MODEL: 'qwen' }, secret_env_variables: { HF_TOKEN: 'hf_x' },
    });
    // 3 h x 2 GPUs x 2.19 x 1.0225 = 13.43565 paid up front; 4.47855 per hour.
    expect(result).toMatchObject({
      status: 'pending',
      provider_status: 'success',
      endpoint: null,
      price_usd_per_hour: 4.47855,
      committed_cost_usd: 13.43565,
      provider_metadata: {
        resource_private_name: 'aurora-job-1', requested_hours: 2.5, prepaid_hours: 3, prepaid_total_usd: 13.43565,
        billing: 'prepaid', refund_on_early_termination: 'unconfirmed', hardware_id: 203, location_id: 3,
      },
    });
    expect(deployment!.amountPaid).toBe(13.43565);
  });

  it('is idempotent by name: the same key finds the first deployment instead of paying twice', async () => {
    const { adapter, calls } = await setup();
    const offer = await firstOffer(adapter);
    const first = await adapter.deploy(deployable(), offer, { idempotency_key: 'retry-me' });
    const second = await adapter.deploy(deployable(), offer, { idempotency_key: 'retry-me' });
    expect(second.provider_deployment_id).toBe(first.provider_deployment_id);
    expect(second.provider_metadata).toMatchObject({ adopted: true, prepaid_total_usd: 4.47855 });
    expect(second.committed_cost_usd).toBe(4.47855);
    expect(calls('POST', '/deploy')).toHaveLength(1);
  });

  it('adopts the deployment when the deploy answer is lost (504 after io.net created it)', async () => {
    const { adapter, fake } = await setup();
    const offer = await firstOffer(adapter);
    fake.setFault({ kind: 'deploy-answer-lost' });
    const result = await adapter.deploy(deployable(), offer, { idempotency_key: 'lost' });
    const [deployment] = [...fake.state.deployments.values()];
    expect(result.provider_deployment_id).toBe(`ionet:${deployment!.id}`);
    expect(result.provider_metadata).toMatchObject({ adopted: true, resource_private_name: 'aurora-lost' });
  });

  it('rejects an offer of another provider, or one without io.net placement, before calling io.net', async () => {
    const { adapter, fake } = await setup();
    const foreign = createOffer({ provider: 'akash', gpu_type: 'h100', gpu_count: 2 });
    await expect(adapter.deploy(deployable(), foreign, { idempotency_key: 'x' })).rejects.toSatisfy(InvalidArgumentError.isInstance);
    const stripped = createOffer({ provider: 'ionet', gpu_type: 'h100', gpu_count: 2, provider_metadata: { hardware_id: 203 } });
    await expect(adapter.deploy(deployable(), stripped, { idempotency_key: 'x' })).rejects.toThrow(/provider_metadata.location_id/);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('rejects a request without an image before calling io.net', async () => {
    const { adapter, fake } = await setup();
    const offer = await firstOffer(adapter);
    fake.state.clearRequests();
    const error = await adapter.deploy(deployable({ image: undefined }), offer, { idempotency_key: 'x' }).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('fails retryably for this offer when the capacity went away since the quote', async () => {
    const { adapter, fake, calls } = await setup();
    const offer = await firstOffer(adapter);
    fake.setFault({ kind: 'no-capacity', path: '/price' });
    const error = await adapter.deploy(deployable(), offer, { idempotency_key: 'gone' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'no_capacity', isRetryable: true, scope: 'offer' });
    expect(calls('POST', '/deploy')).toHaveLength(0);
  });
});

describe('getStatus', () => {
  it('follows io.net from deployment requested to running, then completed (expired)', async () => {
    const { adapter, clock } = await setup();
    const { provider_deployment_id: id } = await adapter.deploy(deployable({ gpu_hours: 4 }), await firstOffer(adapter), { idempotency_key: 'progress' });

    expect(await adapter.getStatus(id)).toEqual({ provider_deployment_id: id, status: 'pending', provider_status: 'deployment requested', endpoint: null });
    clock.advance(1_000);
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'provisioning', provider_status: 'running', endpoint: null, message: '0/1 containers ready; Pulling image vllm/vllm-openai:latest' });
    clock.advance(1_000);
    const running = await adapter.getStatus(id);
    expect(running).toMatchObject({ status: 'running', provider_status: 'running', started_at: '2026-03-01T12:00:01.000Z' });
    expect(running.endpoint).toMatch(/\/fake-workers\/.+-c1$/);
    clock.advance(2 * 60_000);
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'terminated', provider_status: 'completed', message: 'expired: the prepaid duration ran out' });
  });

  it('reports a failed deployment with its container event', async () => {
    const { adapter, fake, clock } = await setup();
    const offer = await firstOffer(adapter);
    fake.setFault({ kind: 'deployment-fails' });
    const { provider_deployment_id: id } = await adapter.deploy(deployable(), offer, { idempotency_key: 'fails' });
    clock.advance(1_000);
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'failed', provider_status: 'failed', message: 'Container exited with code 1' });
  });

  it('maps the other resource states io.net uses (unpaid, deploying)', async () => {
    const { adapter, fake } = await setup();
    const { provider_deployment_id: id } = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'forced' });
    const uuid = id.slice('ionet:'.length);
    fake.state.forceStatus(uuid, 'unpaid');
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'pending', provider_status: 'unpaid', message: 'waiting for payment' });
    fake.state.forceStatus(uuid, 'deploying');
    expect(await adapter.getStatus(uuid)).toMatchObject({ provider_deployment_id: id, status: 'provisioning', provider_status: 'deploying' });
  });

  it('rejects an unknown deployment with a non-retryable 404', async () => {
    const { adapter } = await setup();
    const error = await adapter.getStatus('ionet:00000000-0000-0000-0000-000000000000').catch((caught: unknown) => caught);
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
  });
});

describe('terminate', () => {
  it('deletes, reports terminating then terminated, and resolves again once destroyed', async () => {
    const { adapter, clock, calls } = await setup();
    const { provider_deployment_id: id } = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'end' });
    clock.advance(2_000);
    await adapter.terminate(id);
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'terminating', provider_status: 'termination requested' });
    clock.advance(500);
    expect(await adapter.getStatus(id)).toMatchObject({ status: 'terminated', provider_status: 'destroyed' });
    // The fake refuses to delete a destroyed deployment (400); the adapter checks and resolves.
    await adapter.terminate(id);
    expect(calls('DELETE', '/deployment/').map((request) => request.status)).toEqual([200, 400]);
  });

  it('resolves for an unknown deployment', async () => {
    const { adapter } = await setup();
    await expect(adapter.terminate('ionet:unknown')).resolves.toBeUndefined();
  });
});

describe('extend', () => {
  it('buys more whole hours and reports what io.net says was paid', async () => {
    const { adapter, fake, clock } = await setup();
    const { provider_deployment_id: id } = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'longer' });
    clock.advance(2_000);
    const extended = await adapter.extend(id, 2);
    expect(extended).toEqual({
      provider_deployment_id: id,
      added_hours: 2,
      status: 'running',
      provider_status: 'running',
      amount_paid_usd: 13.43565, // 1 h prepaid + 2 h extension, 4.47855 each
      // One fake "hour" lasts 60 s here, so the 1 s since running is one minute served.
      compute_minutes_served: 1,
      compute_minutes_remaining: 179,
    });
    expect(fake.state.requests.find((request) => request.path.endsWith('/extend'))?.body).toEqual({ duration_hours: 2 });
  });

  it('rejects hours that are not a whole number >= 1 without calling io.net', async () => {
    const { adapter, fake } = await setup();
    for (const hours of [0, 1.5, -1, Number.NaN]) {
      await expect(adapter.extend('ionet:x', hours)).rejects.toSatisfy(InvalidArgumentError.isInstance);
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('passes on io.net refusing to extend a finished deployment', async () => {
    const { adapter, clock } = await setup();
    const { provider_deployment_id: id } = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'done' });
    clock.advance(1_000 + 60_000);
    const error = await adapter.extend(id, 1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false, operation: 'extend' });
  });
});

describe('findDeployment', () => {
  it('finds the deployment made with an idempotency key, and nothing for an unused key', async () => {
    const { adapter } = await setup();
    const deployed = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'find-me' });
    expect(await adapter.findDeployment('find-me')).toMatchObject({ provider_deployment_id: deployed.provider_deployment_id, status: 'pending' });
    expect(await adapter.findDeployment('never-used')).toBeUndefined();
  });
});

describe('listDeployments', () => {
  it('lists the deployments that have not ended, and omits one once it is destroyed', async () => {
    const { adapter, clock, calls } = await setup();
    const kept = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'list-kept' });
    const ended = await adapter.deploy(deployable(), await firstOffer(adapter), { idempotency_key: 'list-ended' });

    const before = await adapter.listDeployments();
    expect(before.next_cursor).toBeUndefined();
    expect(before.deployments.map((deployment) => deployment.provider_deployment_id).sort()).toEqual(
      [kept.provider_deployment_id, ended.provider_deployment_id].sort(),
    );
    expect(before.deployments[0]).toMatchObject({ status: 'pending', provider_status: 'deployment requested' });

    await adapter.terminate(ended.provider_deployment_id);
    clock.advance(timing.terminationMs + 1);
    const after = await adapter.listDeployments();
    expect(after.deployments.map((deployment) => deployment.provider_deployment_id)).toEqual([kept.provider_deployment_id]);
    expect(calls('GET', '/deployments').every((request) => request.query['page_size'] === '100')).toBe(true);
  });

  it('asks for the page its cursor names, and refuses a cursor it never returned', async () => {
    const { adapter, calls } = await setup();
    expect(await adapter.listDeployments({ cursor: '1' })).toEqual({ deployments: [] });
    expect(calls('GET', '/deployments').at(-1)?.query['page']).toBe('1');
    await expect(adapter.listDeployments({ cursor: 'next' })).rejects.toSatisfy((error: unknown) => InvalidArgumentError.isInstance(error));
  });
});

describe('healthCheck', () => {
  it('is healthy when the hardware list answers', async () => {
    const { adapter, calls } = await setup();
    expect(await adapter.healthCheck()).toEqual({ healthy: true, latency_ms: 0, message: '2 hardware types listed' });
    expect(calls('GET', '/hardware/max-gpus-per-container')).toHaveLength(1);
  });

  it('is unhealthy with the reason when the key is refused or missing', async () => {
    const { fake } = await setup();
    const wrongKey = createIonet({ baseURL: fake.url, apiKey: 'wrong', environment: {} });
    expect(await wrongKey.healthCheck()).toMatchObject({ healthy: false, message: expect.stringContaining('HTTP 403') });
    const noKey = createIonet({ baseURL: fake.url, environment: {} });
    expect(await noKey.healthCheck()).toMatchObject({ healthy: false, message: expect.stringContaining('IONET_API_KEY') });
  });
});

describe('settings and credentials', () => {
  it('reads nothing at construction, then IONET_API_KEY and IONET_BASE_URL on the first call', async () => {
    const { fake } = await setup();
    const reads: string[] = [];
    const environment = new Proxy<Record<string, string | undefined>>(
      { IONET_API_KEY: fake.apiKey, IONET_BASE_URL: fake.url },
      { get: (target, name: string) => (reads.push(name), target[name]) },
    );
    const adapter = createIonet({ environment });
    expect(reads).toEqual([]);
    expect(fake.state.requests).toHaveLength(0);
    expect((await adapter.listOffers(deployable())).offers).toHaveLength(2);
    expect(reads).toContain('IONET_API_KEY');
    expect(reads).toContain('IONET_BASE_URL');
  });

  it('reads the key from the file named by IONET_API_KEY_FILE', async () => {
    const { fake } = await setup();
    const file = join(mkdtempSync(join(tmpdir(), 'ionet-key-')), 'key');
    writeFileSync(file, `${fake.apiKey}\n`);
    const adapter = createIonet({ baseURL: fake.url, environment: { IONET_API_KEY_FILE: file } });
    expect((await adapter.healthCheck()).healthy).toBe(true);
  });

  it('fails with ConfigurationError naming the variables when no key is set, without calling io.net', async () => {
    const { fake } = await setup();
    const adapter = createIonet({ baseURL: fake.url, environment: {} });
    const error = await adapter.listOffers(deployable()).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/IONET_API_KEY or IONET_API_KEY_FILE/);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('never puts the key into an error', async () => {
    const { fake } = await setup();
    const secret = 'io-secret-0123456789';
    const adapter = createIonet({ baseURL: fake.url, apiKey: secret, environment: {} });
    const error = (await adapter.getStatus('x').catch((caught: unknown) => caught)) as AdapterCallError;
    expect(error.statusCode).toBe(403);
    expect([error.message, error.url, error.responseBody, JSON.stringify(error.details)].join(' ')).not.toContain(secret);
  });
});
