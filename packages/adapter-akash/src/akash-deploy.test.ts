import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AdapterCallError } from '@aurora/router';
import { createOffer } from '@aurora/router/testkit';
import { fastTiming, firstOffer, rejectionOf, shortWaits, startTestAkash, testRequest, type TestAkash } from './__fixtures__/start-test-akash';
import type { AkashAdapterSettings } from './akash-settings';
import type { AkashFakeOptions } from './testing/index';

const west = 'akash1fakewest00000000000000000000000000000';
const east = 'akash1fakeeast000000000000000000000000000000';

let running: TestAkash | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: { fake?: AkashFakeOptions; adapter?: AkashAdapterSettings } = {}) {
  running = await startTestAkash(options);
  return running;
}

function callsTo(test: TestAkash, method: string, path: string | RegExp) {
  return test.fake.state.requests.filter((request) => request.method === method && (typeof path === 'string' ? request.path === path : path.test(request.path)));
}

/** The deploy error, checked to be a retryable AdapterCallError with `reason`, plus the one deployment it made. */
async function expectFailedDeploy(test: TestAkash, deploying: Promise<unknown>, reason: string) {
  const error = await rejectionOf(deploying);
  expect(AdapterCallError.isInstance(error), String(error)).toBe(true);
  const callError = error as AdapterCallError;
  expect(callError.reason).toBe(reason);
  const deployments = [...test.fake.state.deployments.values()];
  expect(deployments).toHaveLength(1);
  return { error: callError, deployment: deployments[0]! };
}

describe('deploy on the fake Console API', () => {
  it('creates the deployment from the SDL, leases the chosen bid, and returns once the services run', async () => {
    const test = await start();
    const request = testRequest({ env: { HF_HOME: '/data' } });
    const offer = (await test.adapter.listOffers(request)).offers.find((candidate) => candidate.region === 'us-east')!;
    const result = await test.adapter.deploy(request, createOffer(offer), { idempotency_key: 'happy' });

    const [create] = callsTo(test, 'POST', '/v1/deployments');
    expect(create).toMatchObject({ authorized: true, status: 201 });
    const body = create!.body as { data: { sdl: string; deposit: number } };
    expect(body.data.deposit).toBe(5);
    const sdl = parse(body.data.sdl);
    expect(sdl.services.worker).toMatchObject({ image: 'vllm/vllm-openai:latest', env: ['HF_HOME=/data'], expose: [{ port: 8000, as: 80, to: [{ global: true }] }] });
    expect(sdl.profiles.compute['gpu-a100'].resources.gpu).toEqual({ units: 1, attributes: { vendor: { nvidia: [{ model: 'a100', ram: '80Gi' }] } } });

    const deployment = test.fake.state.deployments.get(result.provider_deployment_id)!;
    const [lease] = callsTo(test, 'POST', '/v1/leases');
    expect(lease!.body).toEqual({ manifest: deployment.manifest, leases: [{ dseq: deployment.dseq, gseq: 1, oseq: 1, provider: east }] });
    expect(result).toMatchObject({
      provider_deployment_id: deployment.dseq,
      status: 'running',
      provider_status: 'deployment=active lease=active ready=1/1',
      endpoint: `http://worker-${deployment.dseq}.ingress.fake-provider.local`,
      provider_metadata: { akash: { dseq: deployment.dseq, gseq: 1, oseq: 1, bseq: 1, provider: east, price: { denom: 'uact', amount: '1800.000000000000000000' } } },
    });
    // The East provider bids 1800 uact/block: 1800 x 600 / 1e6 = 1.08 USD/h
    expect(result.price_usd_per_hour).toBeCloseTo(1.08, 12);
    expect(test.fake.state.requests.every((call) => call.authorized || !/^\/v1\/(deployments|bids|leases)/.test(call.path))).toBe(true);
  });

  it('lands in the chosen offer region when providers there bid, though cheaper bids come from elsewhere', async () => {
    const test = await start();
    const offer = (await test.adapter.listOffers(testRequest())).offers.find((candidate) => candidate.region === 'us-west')!;
    const result = await test.adapter.deploy(testRequest(), createOffer(offer), { idempotency_key: 'west' });
    expect(result.provider_metadata).toMatchObject({ akash: { provider: west } });
    expect(result.price_usd_per_hour).toBeCloseTo(1.2, 12);
  });

  it('uses an overridden bid chooser', async () => {
    const test = await start({ adapter: { chooseBid: ({ bids }) => bids.find((bid) => bid.provider === west) } });
    const result = await test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'hook' });
    expect(result.provider_metadata).toMatchObject({ akash: { provider: west } });
  });

  it('prices uakt bids with the AKT price from /v1/market-data', async () => {
    const test = await start({ fake: { aktUsd: 2.5 }, adapter: { denom: 'uakt' } });
    const offer = (await test.adapter.listOffers(testRequest())).offers.find((candidate) => candidate.region === 'us-east')!;
    const result = await test.adapter.deploy(testRequest(), createOffer(offer), { idempotency_key: 'uakt' });
    // East bids 1800 uact = 720 uakt per block; 720 x 600 / 1e6 x 2.5 = 1.08 USD/h
    expect(result.provider_metadata).toMatchObject({ akash: { price: { denom: 'uakt', amount: '720.000000000000000000' } } });
    expect(result.price_usd_per_hour).toBeCloseTo(1.08, 12);
    expect(callsTo(test, 'GET', '/v1/market-data').length).toBeGreaterThan(0);
  });

  it('shares one deployment between calls with the same idempotency key', async () => {
    const test = await start();
    const offer = await firstOffer(test.adapter);
    const [first, second] = await Promise.all([
      test.adapter.deploy(testRequest(), offer, { idempotency_key: 'same' }),
      test.adapter.deploy(testRequest(), offer, { idempotency_key: 'same' }),
    ]);
    expect(second).toBe(first);
    expect(callsTo(test, 'POST', '/v1/deployments')).toHaveLength(1);
  });

  it('returns at provisioning when told not to wait (leaseReadyTimeoutMs 0); getStatus then reaches running', async () => {
    const test = await start({ adapter: { leaseReadyTimeoutMs: 0 } });
    const result = await test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'nowait' });
    expect(result.status).toBe('provisioning');
    const statuses = [];
    for (let poll = 0; poll < 5; poll++) statuses.push((await test.adapter.getStatus(result.provider_deployment_id)).status);
    expect(statuses).toContain('running');
    expect(statuses.indexOf('running')).toBeGreaterThan(0);
  });

  it('waits out a transient 429 while polling bids', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 429, retryAfterSeconds: 0, path: '/v1/bids', times: 1 }] } });
    const result = await test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'throttled' });
    expect(result.status).toBe('running');
    expect(callsTo(test, 'GET', '/v1/bids')[0]!.status).toBe(429);
  });
});

describe('deploy failures close the half-made deployment', () => {
  it('no bids before the timeout: no_bids (retryable, whole provider), deployment closed', async () => {
    const test = await start({ fake: { faults: [{ type: 'no-bids' }] }, adapter: shortWaits });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'nobids' }), 'no_bids');
    expect(error).toMatchObject({ isRetryable: true, scope: 'provider', operation: 'deploy' });
    expect(error.details).toMatchObject({ akash_dseq: deployment.dseq, cleanup: 'closed' });
    expect(deployment.state).toBe('closed');
    expect(callsTo(test, 'DELETE', `/v1/deployments/${deployment.dseq}`)).toHaveLength(1);
  });

  it('bids from no provider that meets the request: no_acceptable_bid, deployment closed', async () => {
    // Bids on the first poll, so that even one look before the short timeout sees them.
    const test = await start({ fake: { timing: { ...fastTiming, bidsAfterPolls: 0 } }, adapter: shortWaits });
    // Nobody in the fake market has A100s in Europe.
    const request = testRequest({ region: 'eu-central' });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(request, createOffer({ region: 'eu-central' }), { idempotency_key: 'eu' }), 'no_acceptable_bid');
    expect(error).toMatchObject({ isRetryable: true, scope: 'provider' });
    expect(deployment.state).toBe('closed');
  });

  it('a bid that vanishes before the lease: bid_vanished, deployment closed, provider avoided next time', async () => {
    const test = await start({ fake: { faults: [{ type: 'bid-vanishes' }] } });
    const offer = (await test.adapter.listOffers(testRequest())).offers.find((candidate) => candidate.region === 'us-east')!;
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), createOffer(offer), { idempotency_key: 'vanish' }), 'bid_vanished');
    expect(error).toMatchObject({ isRetryable: true, scope: 'offer' });
    expect(deployment.state).toBe('closed');
    expect(deployment.bids.find((bid) => bid.provider === east)).toMatchObject({ vanished: true });

    test.fake.clearFaults();
    const retry = await test.adapter.deploy(testRequest(), createOffer(offer), { idempotency_key: 'vanish-2' });
    expect(retry.provider_metadata).toMatchObject({ akash: { provider: west } });
  });

  it('a lease that never turns ready: lease_not_ready, deployment closed', async () => {
    const test = await start({ fake: { faults: [{ type: 'lease-never-ready' }] }, adapter: shortWaits });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'notready' }), 'lease_not_ready');
    expect(error).toMatchObject({ isRetryable: true, scope: 'offer' });
    expect(error.message).toContain('ready=0/1');
    expect(deployment.state).toBe('closed');
    expect(deployment.lease?.state).toBe('closed');
  });

  it('a lease that runs out of funds: lease_failed for the whole provider, deployment closed', async () => {
    const test = await start({ fake: { faults: [{ type: 'insufficient-funds' }] } });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'funds' }), 'lease_failed');
    expect(error).toMatchObject({ isRetryable: true, scope: 'provider' });
    expect(deployment.state).toBe('closed');
  });

  it('a 500 from POST /v1/leases with the bid still open: that error, deployment closed', async () => {
    const test = await start({ fake: { faults: [{ type: 'http-status', status: 500, path: '/v1/leases' }] } });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'lease500' }), 'http_500');
    expect(error).toMatchObject({ statusCode: 500, isRetryable: true });
    expect(deployment.state).toBe('closed');
  });

  it('an error answer after the lease was made anyway: continues with the existing lease', async () => {
    // A proxy times out after the console created the lease: the adapter sees 502, the lease exists.
    const test = await start({
      adapter: {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          return String(input).endsWith('/v1/leases') ? new Response('{"error":"BadGateway","message":"upstream timeout"}', { status: 502 }) : response;
        },
      },
    });
    const result = await test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'lost-answer' });
    expect(result.status).toBe('running');
    expect(test.fake.state.deployments.get(result.provider_deployment_id)?.state).toBe('active');
  });

  it('a create answer without a manifest: manifest_missing, deployment closed', async () => {
    const test = await start({
      adapter: {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith('/v1/deployments') || init?.method !== 'POST') return response;
          const { data } = (await response.json()) as { data: { dseq: string } };
          return new Response(JSON.stringify({ dseq: data.dseq, status: 'active', createdAt: '2026-01-01T00:00:00Z' }), { status: 201 });
        },
      },
    });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'nomanifest' }), 'manifest_missing');
    expect(error.scope).toBe('provider');
    expect(deployment.state).toBe('closed');
  });

  it('an abort while waiting for bids rejects with aborted, and the deployment is still closed', async () => {
    const controller = new AbortController();
    const test = await start({
      fake: { faults: [{ type: 'no-bids' }] },
      adapter: {
        bidTimeoutMs: 60_000,
        fetch: (input, init) => {
          if (String(input).includes('/v1/bids')) controller.abort();
          return fetch(input, init);
        },
      },
    });
    const deploying = test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'abort', signal: controller.signal });
    const { error, deployment } = await expectFailedDeploy(test, deploying, 'aborted');
    expect(error.isRetryable).toBe(false);
    expect(deployment.state).toBe('closed');
  });

  it('says so when closing the deployment fails too', async () => {
    const test = await start({ fake: { faults: [{ type: 'no-bids' }, { type: 'http-status', status: 503, method: 'DELETE' }] }, adapter: shortWaits });
    const { error, deployment } = await expectFailedDeploy(test, test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'stuck' }), 'no_bids');
    expect(error.details).toMatchObject({ akash_dseq: deployment.dseq, cleanup: 'failed' });
    expect(error.message).toContain(`closing deployment ${deployment.dseq} failed too`);
    expect(callsTo(test, 'DELETE', `/v1/deployments/${deployment.dseq}`)).toHaveLength(3);
    expect(deployment.state).toBe('active');
  });
});

describe('status and terminate', () => {
  it('reports terminated after terminate, and terminate stays idempotent', async () => {
    const test = await start();
    const { provider_deployment_id: id } = await test.adapter.deploy(testRequest(), await firstOffer(test.adapter), { idempotency_key: 'end' });
    await test.adapter.terminate(id);
    await test.adapter.terminate(`akash:${id}`);
    await test.adapter.terminate('99999999');
    expect(await test.adapter.getStatus(id)).toMatchObject({ provider_deployment_id: id, status: 'terminated', provider_status: 'deployment=closed lease=closed', endpoint: null });
    expect(callsTo(test, 'DELETE', `/v1/deployments/${id}`).map((call) => call.status)).toEqual([200, 400]);
  });

  it('refuses ids that are not a dseq', async () => {
    const test = await start();
    const error = await rejectionOf(test.adapter.getStatus('dep-123'));
    expect(error).toMatchObject({ code: 'AURORA_ERR_INVALID_ARGUMENT' });
    expect(test.fake.state.requests).toHaveLength(0);
  });
});
