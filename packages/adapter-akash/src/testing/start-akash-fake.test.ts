import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stringify } from 'yaml';
import { startAkashFake, type AkashFake, type AkashFakeOptions } from './index';

let fake: AkashFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const pollTiming = { bidsAfterMs: 0, bidsAfterPolls: 1, leaseStatusAfterMs: 0, leaseStatusAfterPolls: 1, leaseReadyAfterMs: 0, leaseReadyAfterPolls: 2, logLineIntervalMs: 5 };

async function start(options: AkashFakeOptions = {}) {
  fake = await startAkashFake({ timing: pollTiming, ...options });
  return fake;
}

/** Answers are read loosely here: each test asserts the exact shape it cares about. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = any;

async function call(path: string, init: { method?: string; body?: unknown; key?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== null) headers['x-api-key'] = init.key ?? fake!.apiKey;
  const response = await fetch(`${fake!.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as LooseJson };
}

function sdl(options: { model?: string; units?: number; amount?: number; denom?: string } = {}) {
  return stringify({
    version: '2.0',
    services: { web: { image: 'nginx:1', expose: [{ port: 80, as: 80, to: [{ global: true }] }] } },
    profiles: {
      compute: { gpu: { resources: { cpu: { units: 1 }, memory: { size: '1Gi' }, storage: { size: '1Gi' }, gpu: { units: options.units ?? 1, attributes: { vendor: { nvidia: [{ model: options.model ?? 'a100' }] } } } } } },
      placement: { dc: { pricing: { gpu: { denom: options.denom ?? 'uact', amount: options.amount ?? 100_000 } } } },
    },
    deployment: { web: { dc: { profile: 'gpu', count: 1 } } },
  });
}

async function createDeployment(body: unknown = { data: { sdl: sdl(), deposit: 5 } }) {
  const created = await call('/v1/deployments', { method: 'POST', body });
  expect(created.status).toBe(201);
  return created.json.data as { dseq: string; manifest: string };
}

async function bidsUntilPresent(dseq: string) {
  for (let poll = 0; poll < 10; poll++) {
    const { json } = await call(`/v1/bids?dseq=${dseq}`);
    if (json.data.length > 0) return json.data as Array<{ bid: { id: { provider: string; gseq: number; oseq: number; bseq: number }; state: string; price: { denom: string; amount: string } } }>;
  }
  throw new Error('no bids');
}

async function leaseCheapest(dseq: string, manifest: string) {
  const bids = await bidsUntilPresent(dseq);
  const cheapest = [...bids].sort((a, b) => Number(a.bid.price.amount) - Number(b.bid.price.amount))[0]!.bid;
  const leased = await call('/v1/leases', { method: 'POST', body: { manifest, leases: [{ dseq, gseq: cheapest.id.gseq, oseq: cheapest.id.oseq, provider: cheapest.id.provider }] } });
  expect(leased.status).toBe(200);
  return { leased, bid: cheapest };
}

function openSocket(url: string, token?: string): Promise<{ status?: number; code?: number; reason?: string; frames: string[] }> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    const socket = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    socket.on('message', (data) => frames.push(data.toString()));
    socket.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode, frames }));
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), frames }));
    socket.on('error', () => undefined);
  });
}

async function token(provider: string, scope = ['logs']) {
  const minted = await call('/v1/create-jwt-token', { method: 'POST', body: { data: { ttl: 60, leases: { access: 'granular', permissions: [{ provider, access: 'scoped', scope }] } } } });
  expect(minted.status).toBe(201);
  return minted.json.data.token as string;
}

describe('startAkashFake: discovery (public)', () => {
  it('serves providers pointing at its gateway, and GPU prices derived from what they bid', async () => {
    await start();
    const providers = (await call('/v1/providers', { key: null })).json;
    expect(providers.map((provider: { hostUri: string }) => provider.hostUri)).toEqual(Array(4).fill(fake!.providerGatewayUrl));
    const prices = (await call('/v1/gpu-prices', { key: null })).json;
    const a100 = prices.models.find((model: { model: string; ram: string }) => model.model === 'a100' && model.ram === '80Gi');
    // West bids 2000 and East 1800 uact/block per GPU: 1.20 and 1.08 USD/h; the offline provider's A100 40Gi is not priced
    expect(a100.price).toMatchObject({ currency: 'USD', min: 1.08, max: 1.2 });
    expect(a100.availability).toEqual({ total: 12, available: 10 });
    expect(prices.models.find((model: { ram: string }) => model.ram === '40Gi').price).toBeNull();
  });

  it('serves gpu-models, provider-regions, one provider, market data and health without a key', async () => {
    await start({ aktUsd: 3.1 });
    expect((await call('/v1/gpu-models', { key: null })).json.find((vendor: { name: string }) => vendor.name === 'nvidia').models.map((model: { name: string }) => model.name)).toContain('rtx4090');
    expect((await call('/v1/provider-regions', { key: null })).json.map((region: { key: string }) => region.key)).toContain('eu-central');
    expect((await call('/v1/providers/akash1fakewest00000000000000000000000000000', { key: null })).json).toMatchObject({ isOnline: true, isAudited: true, stats: { gpu: { available: 10 } } });
    expect((await call('/v1/providers/akash1nobody', { key: null })).status).toBe(404);
    expect((await call('/v1/market-data', { key: null })).json.price).toBe(3.1);
    expect((await call('/v1/healthz/readiness', { key: null })).json).toEqual({ data: { postgres: true, jobQueue: true } });
    expect((await call('/v1/blockchain-status', { key: null })).json).toEqual({ isBlockchainReachable: true });
  });
});

describe('startAkashFake: deployments, bids, leases', () => {
  it('refuses calls without the right x-api-key with the documented 401 body', async () => {
    await start();
    for (const key of [null, 'wrong']) {
      const answer = await call('/v1/deployments/1', { key });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: 'Unauthorized', message: 'Invalid API key' });
    }
    expect(fake!.state.requests.map((request) => request.authorized)).toEqual([false, false]);
  });

  it('accepts the wrapped body of the console code and the unwrapped one of the docs', async () => {
    await start();
    const wrapped = await createDeployment({ data: { sdl: sdl(), deposit: 5 } });
    const unwrapped = await createDeployment({ sdl: sdl() });
    expect(fake!.state.deployments.get(wrapped.dseq)).toMatchObject({ requestForm: 'wrapped', deposit: 5 });
    expect(fake!.state.deployments.get(unwrapped.dseq)).toMatchObject({ requestForm: 'unwrapped', deposit: undefined });
    expect(typeof wrapped.manifest).toBe('string');
  });

  it('refuses an SDL that is not one', async () => {
    await start();
    const answer = await call('/v1/deployments', { method: 'POST', body: { data: { sdl: 'version: "2.0"\nservices: {}' } } });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('BadRequest');
    expect(answer.json.message).toMatch(/^Invalid SDL/);
  });

  it('answers no bids for the first polls, then open bids within the price ceiling', async () => {
    await start({ timing: { ...pollTiming, bidsAfterPolls: 2 } });
    const { dseq } = await createDeployment({ data: { sdl: sdl({ amount: 1_900 }) } });
    expect((await call(`/v1/bids?dseq=${dseq}`)).json.data).toEqual([]);
    expect((await call(`/v1/bids/${dseq}`)).json.data).toEqual([]);
    const bids = (await call(`/v1/bids?dseq=${dseq}`)).json.data;
    // Only East (1800 uact/block) bids under a 1900 ceiling; West asks 2000.
    expect(bids).toEqual([
      expect.objectContaining({
        bid: expect.objectContaining({
          id: { owner: expect.any(String), dseq, gseq: 1, oseq: 1, provider: 'akash1fakeeast000000000000000000000000000000', bseq: 1 },
          state: 'open',
          price: { denom: 'uact', amount: '1800.000000000000000000' },
        }),
      }),
    ]);
  });

  it('bids in uakt through the AKT price when the SDL prices in uakt', async () => {
    await start({ aktUsd: 2 });
    const { dseq } = await createDeployment({ data: { sdl: sdl({ denom: 'uakt' }) } });
    const bids = await bidsUntilPresent(dseq);
    expect(bids.map((entry) => entry.bid.price).sort((a, b) => Number(a.amount) - Number(b.amount))[0]).toEqual({ denom: 'uakt', amount: '900.000000000000000000' });
  });

  it('shows the bids only after the delay, by its clock', async () => {
    let clock = 1_000_000;
    await start({ now: () => clock, timing: { ...pollTiming, bidsAfterPolls: 0, bidsAfterMs: 30_000 } });
    const { dseq } = await createDeployment();
    expect((await call(`/v1/bids?dseq=${dseq}`)).json.data).toEqual([]);
    clock += 30_000;
    expect((await call(`/v1/bids?dseq=${dseq}`)).json.data.length).toBeGreaterThan(0);
  });

  it('creates a lease (status null at first), is idempotent, and refuses a wrong manifest or bid', async () => {
    await start();
    const { dseq, manifest } = await createDeployment();
    const { leased, bid } = await leaseCheapest(dseq, manifest);
    expect(leased.json.data.leases).toEqual([expect.objectContaining({ state: 'active', status: null, id: expect.objectContaining({ provider: bid.id.provider }) })]);
    const again = await call('/v1/leases', { method: 'POST', body: { manifest, leases: [{ dseq, gseq: 1, oseq: 1, provider: bid.id.provider }] } });
    expect(again.status).toBe(200);
    expect(fake!.state.deployments.get(dseq)!.bids.map((entry) => entry.state).sort()).toEqual(['active', 'lost']);

    const other = await createDeployment();
    await bidsUntilPresent(other.dseq);
    expect((await call('/v1/leases', { method: 'POST', body: { manifest: 'nope', leases: [{ dseq: other.dseq, gseq: 1, oseq: 1, provider: bid.id.provider }] } })).status).toBe(400);
    expect((await call('/v1/leases', { method: 'POST', body: { manifest: other.manifest, leases: [{ dseq: other.dseq, gseq: 1, oseq: 1, provider: 'akash1nobody' }] } })).status).toBe(400);
  });

  it('walks a lease from status null through replicas starting to ready with a URI', async () => {
    await start();
    const { dseq, manifest } = await createDeployment();
    await leaseCheapest(dseq, manifest);
    const statuses = [];
    for (let poll = 0; poll < 3; poll++) statuses.push((await call(`/v1/deployments/${dseq}`)).json.data.leases[0].status);
    expect(statuses[0]).toBeNull();
    expect(statuses[1].services.web).toMatchObject({ replicas: 1, ready_replicas: 0, available: 0, total: 1, uris: [] });
    expect(statuses[2].services.web).toMatchObject({ replicas: 1, ready_replicas: 1, available: 1, total: 1, uris: [`web-${dseq}.ingress.fake-provider.local`] });
  });

  it('closes on DELETE (closed lease, owner reason), refuses a second DELETE, 404s unknown deployments', async () => {
    await start();
    const { dseq, manifest } = await createDeployment();
    await leaseCheapest(dseq, manifest);
    expect((await call(`/v1/deployments/${dseq}`, { method: 'DELETE' })).json).toEqual({ data: { success: true } });
    const after = (await call(`/v1/deployments/${dseq}`)).json.data;
    expect(after.deployment.state).toBe('closed');
    expect(after.leases[0]).toMatchObject({ state: 'closed', reason: 'lease_closed_owner', status: null });
    expect((await call(`/v1/deployments/${dseq}`, { method: 'DELETE' })).status).toBe(400);
    const unknown = await call('/v1/deployments/424242');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toBe('NotFound');
  });

  it('lists active deployments with pagination', async () => {
    await start();
    await createDeployment();
    const { dseq } = await createDeployment();
    await call(`/v1/deployments/${dseq}`, { method: 'DELETE' });
    const listed = (await call('/v1/deployments?skip=0&limit=10')).json.data;
    expect(listed.pagination).toEqual({ total: 1, skip: 0, limit: 10, hasMore: false });
  });
});

describe('startAkashFake: market faults', () => {
  it('no-bids keeps the bid list empty; bid-vanishes withdraws the leased bid; lease-never-ready and insufficient-funds stall the lease', async () => {
    await start({ faults: [{ type: 'no-bids' }] });
    const { dseq, manifest } = await createDeployment();
    for (let poll = 0; poll < 3; poll++) expect((await call(`/v1/bids?dseq=${dseq}`)).json.data).toEqual([]);

    fake!.setFault({ type: 'bid-vanishes' });
    const bids = await bidsUntilPresent(dseq);
    const target = bids[0]!.bid.id;
    const refused = await call('/v1/leases', { method: 'POST', body: { manifest, leases: [{ dseq, gseq: 1, oseq: 1, provider: target.provider }] } });
    expect(refused.status).toBe(400);
    expect((await call(`/v1/bids?dseq=${dseq}`)).json.data.map((entry: { bid: { id: { provider: string } } }) => entry.bid.id.provider)).not.toContain(target.provider);

    fake!.setFault([{ type: 'lease-never-ready' }]);
    const next = await createDeployment();
    await leaseCheapest(next.dseq, next.manifest);
    for (let poll = 0; poll < 4; poll++) await call(`/v1/deployments/${next.dseq}`);
    expect((await call(`/v1/deployments/${next.dseq}`)).json.data.leases[0].status.services.web.ready_replicas).toBe(0);

    fake!.setFault({ type: 'insufficient-funds' });
    const broke = (await call(`/v1/deployments/${next.dseq}`)).json.data;
    expect(broke.leases[0].state).toBe('insufficient_funds');
    expect(broke.escrow_account.state.state).toBe('overdrawn');
  });
});

describe('startAkashFake: HTTP faults', () => {
  it('answers an injected status with the Akash error body, with and without Retry-After, on matching calls only', async () => {
    await start({ faults: [{ type: 'http-status', status: 429, retryAfterSeconds: 7, path: '/v1/gpu' }] });
    const limited = await call('/v1/gpu-prices', { key: null });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json).toEqual({ error: 'TooManyRequests', message: 'injected HTTP 429' });
    expect((await call('/v1/providers', { key: null })).status).toBe(200);
    fake!.setFault({ type: 'http-status', status: 503 });
    const unavailable = await call('/v1/providers', { key: null });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    expect(unavailable.json.error).toBe('ServiceUnavailable');
  });

  it('lifts a fault after `times` hits, and setFault(null) clears all', async () => {
    await start();
    fake!.setFault({ type: 'http-status', status: 500, times: 2 });
    expect([(await call('/v1/providers')).status, (await call('/v1/providers')).status, (await call('/v1/providers')).status]).toEqual([500, 500, 200]);
    fake!.setFault([{ type: 'http-status', status: 403 }, { type: 'no-bids' }]);
    expect(fake!.state.faults).toHaveLength(2);
    expect((await call('/v1/providers')).json).toEqual({ error: 'Forbidden', message: 'injected HTTP 403' });
    fake!.setFault(null);
    expect(fake!.state.faults).toEqual([]);
    expect((await call('/v1/providers')).status).toBe(200);
  });

  it('answers malformed JSON and slow answers on request', async () => {
    await start({ faults: [{ type: 'malformed-json', path: '/v1/gpu-prices' }, { type: 'slow', delayMs: 30, path: '/v1/providers' }] });
    const malformed = await call('/v1/gpu-prices');
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    const slow = await call('/v1/providers');
    expect(slow.status).toBe(200);
    expect(fake!.state.requests.map((request) => request.fault)).toEqual(['malformed-json', 'slow']);
  });
});

describe('startAkashFake: JWTs and the provider gateway', () => {
  async function readyLease() {
    const { dseq, manifest } = await createDeployment();
    const { bid } = await leaseCheapest(dseq, manifest);
    for (let poll = 0; poll < 3; poll++) await call(`/v1/deployments/${dseq}`);
    return { dseq, provider: bid.id.provider };
  }

  it('mints JWT-shaped tokens with a readable exp, and refuses bodies that are not token requests', async () => {
    await start({ now: () => 1_700_000_000_000 });
    const value = await token('akash1fakeeast000000000000000000000000000000');
    const payload = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.exp).toBe(1_700_000_060);
    expect((await call('/v1/create-jwt-token', { method: 'POST', body: { ttl: 60 } })).status).toBe(400);
    expect((await call('/v1/create-jwt-token', { method: 'POST', body: { data: { ttl: 60, leases: { access: 'scoped', scope: ['logs'] } } } })).status).toBe(201);
  });

  it('streams {"name","message"} frames with tail and follow=false, and checks the bearer token', async () => {
    await start();
    const { dseq, provider } = await readyLease();
    const url = `${fake!.providerGatewayUrl.replace('http', 'ws')}/lease/${dseq}/1/1/logs?follow=false&tail=2`;
    expect((await openSocket(url)).status).toBe(401);
    expect((await openSocket(url, 'not-a-token')).status).toBe(401);
    expect((await openSocket(url, await token(provider, ['status']))).status).toBe(401);
    const stream = await openSocket(url, await token(provider));
    expect(stream.code).toBe(1000);
    expect(stream.frames.map((frame) => JSON.parse(frame))).toEqual([
      { name: `web-${dseq}-0`, message: 'Container started' },
      { name: `web-${dseq}-0`, message: 'Service ready' },
    ]);
    const filtered = await openSocket(`${url}&service=other`, await token(provider));
    expect(filtered.frames).toEqual([]);
  });

  it('closes with 4001 for an unknown lease and 4000 before the pods run', async () => {
    await start();
    const { provider } = await readyLease();
    const gateway = fake!.providerGatewayUrl.replace('http', 'ws');
    expect(await openSocket(`${gateway}/lease/99999/1/1/logs?follow=true`, await token(provider))).toMatchObject({ code: 4001, reason: 'lease not found' });
    const { dseq, manifest } = await createDeployment();
    await leaseCheapest(dseq, manifest);
    expect(await openSocket(`${gateway}/lease/${dseq}/1/1/logs?follow=true`, await token(provider))).toMatchObject({ code: 4000, reason: 'no running pods' });
  });

  it('serves lease status with a status-scoped token, and the public /status, /version, /address', async () => {
    await start();
    const { dseq, provider } = await readyLease();
    const leaseStatus = await fetch(`${fake!.providerGatewayUrl}/lease/${dseq}/1/1/status`, { headers: { authorization: `Bearer ${await token(provider, ['status'])}` } });
    expect(((await leaseStatus.json()) as LooseJson).services.web.ready_replicas).toBe(1);
    expect((await fetch(`${fake!.providerGatewayUrl}/lease/${dseq}/1/1/status`)).status).toBe(401);
    for (const path of ['/status', '/version', '/address']) expect((await fetch(`${fake!.providerGatewayUrl}${path}`)).status).toBe(200);
  });

  it('writeLog appends a line that followers receive', async () => {
    await start({ timing: { ...pollTiming, logLineIntervalMs: 60_000 } });
    const { dseq, provider } = await readyLease();
    const socket = new WebSocket(`${fake!.providerGatewayUrl.replace('http', 'ws')}/lease/${dseq}/1/1/logs?follow=true&tail=0`, { headers: { authorization: `Bearer ${await token(provider)}` } });
    const received = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    await new Promise((resolve) => socket.once('open', resolve));
    while (fake!.state.logConnections.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    fake!.writeLog(dseq, 'hello from the test');
    expect(JSON.parse(await received)).toEqual({ name: `web-${dseq}-0`, message: 'hello from the test' });
    socket.close();
  });
});
