import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startIonetFake, type IonetFake, type IonetFakeOptions } from './index';

let fakes: IonetFake[] = [];

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

async function setup(options: IonetFakeOptions = {}) {
  const clock = { time: Date.parse('2026-03-01T12:00:00Z'), now: () => clock.time };
  const fake = await startIonetFake({ clock, timing: { provisioningMs: 1_000, workerReadyMs: 1_000, terminationMs: 500, hourMs: 60_000 }, ...options });
  fakes.push(fake);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-api-key': fake.apiKey }) => {
    const response = await fetch(`${fake.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as any) : undefined;
    return { status: response.status, headers: response.headers, text, json };
  };
  return { fake, clock, call };
}

const deployBody = (overrides: Record<string, unknown> = {}) => ({
  resource_private_name: 'job-1',
  duration_hours: 2,
  gpus_per_container: 1,
  hardware_id: 203,
  location_ids: [3],
  container_config: { replica_count: 1, traffic_port: 8000 },
  registry_config: { image_url: 'busybox' },
  ...overrides,
});

describe('io.net fake: auth and errors', () => {
  it('answers 401 without x-api-key and 403 with a wrong one, as {"detail": ...}', async () => {
    const { call } = await setup();
    expect(await call('GET', '/hardware/max-gpus-per-container', undefined, {})).toMatchObject({ status: 401, json: { detail: 'Not authenticated' } });
    expect(await call('GET', '/hardware/max-gpus-per-container', undefined, { 'X-API-KEY': 'nope' })).toMatchObject({ status: 403, json: { detail: 'Invalid API key' } });
  });

  it('records requests without the key value, and reports them to onRequest', async () => {
    const seen: string[] = [];
    const { fake, call } = await setup({ onRequest: (request) => seen.push(`${request.method} ${request.path}`) });
    await call('GET', '/node-pools');
    expect(seen).toEqual(['GET /node-pools']);
    expect(fake.state.requests[0]).toEqual({ method: 'GET', path: '/node-pools', query: {}, apiKeySent: true, status: 200 });
    expect(JSON.stringify(fake.state.requests)).not.toContain(fake.apiKey);
  });

  it('answers 404 for unknown paths and deployments', async () => {
    const { call } = await setup();
    expect((await call('GET', '/nope')).status).toBe(404);
    expect(await call('GET', '/deployment/unknown')).toMatchObject({ status: 404, json: { detail: 'Not found' } });
    expect((await call('POST', '/deployment/unknown/extend', { duration_hours: 1 })).status).toBe(404);
  });
});

describe('io.net fake: discovery and price', () => {
  it('lists two GPU types with their maximum per container, in the data envelope', async () => {
    const { call } = await setup();
    const { json } = await call('GET', '/hardware/max-gpus-per-container');
    expect(json.data.total).toBe(2);
    expect(json.data.hardware[0]).toEqual({ hardware_id: 203, hardware_name: 'H100 80GB HBM3', brand_name: 'NVIDIA', max_gpus_per_container: 8, available: 24 });
  });

  it('gives available replicas per location, zero where there is no capacity, and 422 without hardware_qty', async () => {
    const { call } = await setup();
    const { json } = await call('GET', '/available-replicas?hardware_id=203&hardware_qty=4');
    expect(json.data).toEqual([
      { id: 3, iso2: 'US', name: 'United States', available_replicas: 4 },
      { id: 7, iso2: 'DE', name: 'Germany', available_replicas: 2 },
      { id: 12, iso2: 'SG', name: 'Singapore', available_replicas: 0 },
    ]);
    const missing = await call('GET', '/available-replicas?hardware_id=203');
    expect(missing).toMatchObject({ status: 422, json: { detail: [{ loc: ['query', 'hardware_qty'], type: 'missing' }] } });
  });

  it('prices duration x replicas x GPUs, fees included in total_cost_usdc', async () => {
    const { call } = await setup();
    const one = (await call('GET', '/price?location_ids=%5B3%5D&hardware_id=203&duration_hours=1&gpus_per_container=1&replica_count=1')).json.data;
    const twelve = (await call('GET', '/price?location_ids=%5B3%5D&hardware_id=203&duration_hours=3&gpus_per_container=2&replica_count=2')).json.data;
    expect(one).toEqual({
      replica_count: 1, gpus_per_container: 1, available_replica_count: [16], discount: 0,
      ionet_fee: 0.005475, ionet_fee_percent: 0.25, currency_conversion_fee: 0.0438, currency_conversion_fee_percent: 2,
      total_cost_usdc: 2.239275,
    });
    expect(twelve.total_cost_usdc).toBeCloseTo(one.total_cost_usdc * 12, 6);
  });

  it('accepts the third-party parameter names and location forms, and 422s a missing parameter', async () => {
    const { call } = await setup();
    const spec = (await call('GET', '/price?location_ids=%5B3%5D&hardware_id=203&duration_hours=2&gpus_per_container=2&replica_count=1')).json.data;
    const alternate = (await call('GET', '/price?location_ids=3&hardware_id=203&duration_qty=2&hardware_qty=2&replica_count=1&currency=usdc&duration_type=hourly')).json.data;
    expect(alternate).toEqual(spec);
    const missing = await call('GET', '/price?location_ids=%5B3%5D&hardware_id=203&gpus_per_container=1&replica_count=1');
    expect(missing).toMatchObject({ status: 422, json: { detail: [{ loc: ['query', 'duration_hours'], msg: 'Field required', type: 'missing' }] } });
  });
});

describe('io.net fake: deploy', () => {
  it('answers {status, deployment_id} without an envelope', async () => {
    const { call } = await setup();
    const { status, json } = await call('POST', '/deploy', deployBody());
    expect(status).toBe(200);
    expect(json).toEqual({ status: 'success', deployment_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('rejects unknown keys at every level with 422 extra_forbidden', async () => {
    const { call } = await setup();
    const extra = await call('POST', '/deploy', {
      ...deployBody({ colour: 'blue' }),
      container_config: { replica_count: 1, traffic_port: 8000, ports: [1] },
      registry_config: { image_url: 'busybox', tag: 'x' },
    });
    expect(extra.status).toBe(422);
    expect(extra.json.detail.map((issue: { loc: unknown[]; type: string }) => [issue.loc.join('.'), issue.type])).toEqual([
      ['body.colour', 'extra_forbidden'],
      ['body.container_config.ports', 'extra_forbidden'],
      ['body.registry_config.tag', 'extra_forbidden'],
    ]);
  });

  it('requires the documented fields, and one location', async () => {
    const { call } = await setup();
    const { resource_private_name: _name, container_config: _config, ...partial } = deployBody();
    const missing = await call('POST', '/deploy', partial);
    expect(missing.json.detail.map((issue: { loc: unknown[] }) => issue.loc.join('.'))).toEqual(['body.resource_private_name', 'body.container_config']);
    const twoLocations = await call('POST', '/deploy', deployBody({ location_ids: [3, 7] }));
    expect(twoLocations).toMatchObject({ status: 422, json: { detail: [{ loc: ['body', 'location_ids'], msg: 'Only single location supported' }] } });
    expect((await call('POST', '/deploy', deployBody({ gpus_per_container: 9 }))).status).toBe(422);
  });

  it('refuses a duplicate resource_private_name, missing capacity and, on request, a lack of credits', async () => {
    const { fake, call } = await setup();
    await call('POST', '/deploy', deployBody());
    expect(await call('POST', '/deploy', deployBody())).toMatchObject({ status: 400, json: { detail: "A deployment with resource_private_name 'job-1' already exists" } });
    expect((await call('POST', '/deploy', deployBody({ resource_private_name: 'big', gpus_per_container: 8, location_ids: [12] }))).json.detail).toMatch(/Not enough available replicas/);
    fake.setFault({ kind: 'payment-required' });
    expect((await call('POST', '/deploy', deployBody({ resource_private_name: 'job-2' }))).json.detail).toMatch(/Insufficient balance/);
  });
});

describe('io.net fake: a deployment over time', () => {
  it('moves deployment requested -> running (containers appear, then get public_url) -> completed', async () => {
    const { clock, call } = await setup();
    const { deployment_id: id } = (await call('POST', '/deploy', deployBody())).json;
    const status = async () => (await call('GET', `/deployment/${id}`)).json.data.status;
    const workers = async () => (await call('GET', `/deployment/${id}/containers?page=0&page_size=20`)).json.data.workers;
    expect(await status()).toBe('deployment requested');
    expect(await workers()).toEqual([]);
    clock.time += 1_000;
    expect(await status()).toBe('running');
    expect((await workers())[0]).toMatchObject({ public_url: null, status: 'pending' });
    clock.time += 1_000;
    expect((await workers())[0]).toMatchObject({ status: 'running', public_url: expect.stringMatching(/\/fake-workers\//) });
    const details = (await call('GET', `/deployment/${id}`)).json.data;
    expect(details).toMatchObject({ amount_paid: 4.47855, total_containers: 1, gpus_per_container: 1, hardware_id: 203, locations: [{ id: 3, iso2: 'US' }] });
    clock.time += 2 * 60_000;
    expect(await status()).toBe('completed');
  });

  it('extends a running deployment (422 on a bad body), and lists deployments by name', async () => {
    const { clock, call } = await setup();
    const { deployment_id: id } = (await call('POST', '/deploy', deployBody())).json;
    clock.time += 1_000;
    expect((await call('POST', `/deployment/${id}/extend`, { duration_hours: 0 })).status).toBe(422);
    expect((await call('POST', `/deployment/${id}/extend`, { duration_hours: 1, extra: true })).status).toBe(422);
    const extended = await call('POST', `/deployment/${id}/extend`, { duration_hours: 1 });
    expect(extended.json.data).toMatchObject({ id, amount_paid: 6.717825, compute_minutes_remaining: 180 });
    const listed = (await call('GET', '/deployments?status=running&page=0&page_size=10')).json.data;
    expect(listed).toMatchObject({ total: 1, deployments: [{ id, name: 'job-1', status: 'running' }] });
    expect((await call('GET', '/deployments?page_size=101')).status).toBe(422);
  });

  it('deletes: termination requested, then destroyed; deleting again while ending is fine, once destroyed it is refused', async () => {
    const { clock, call } = await setup();
    const { deployment_id: id } = (await call('POST', '/deploy', deployBody())).json;
    expect((await call('DELETE', `/deployment/${id}`)).json).toEqual({ status: 'termination requested', deployment_id: id });
    expect((await call('DELETE', `/deployment/${id}`)).status).toBe(200);
    clock.time += 500;
    expect((await call('GET', `/deployment/${id}`)).json.data.status).toBe('destroyed');
    expect(await call('DELETE', `/deployment/${id}`)).toMatchObject({ status: 400, json: { detail: 'Deployment is already destroyed' } });
    expect((await call('DELETE', '/deployment/unknown')).status).toBe(404);
  });

  it('updates with a flat PATCH body and rejects a container_config wrapper', async () => {
    const { fake, call } = await setup();
    const { deployment_id: id } = (await call('POST', '/deploy', deployBody())).json;
    expect((await call('PATCH', `/deployment/${id}`, { container_config: { traffic_port: 9000 } })).json.detail[0].type).toBe('extra_forbidden');
    expect((await call('PATCH', `/deployment/${id}`, { traffic_port: 9000, image_url: 'nginx' })).json).toEqual({ status: 'success', deployment_id: id });
    expect(fake.state.deployments.get(id)).toMatchObject({ containerConfig: { traffic_port: 9000 }, registryConfig: { image_url: 'nginx' } });
  });

  it('streams a container log as text/event-stream (or plain text), 422 for a bad stream, 404 for an unknown container', async () => {
    const { fake, clock, call } = await setup({ logs: { logMode: 'snapshot' } });
    const { deployment_id: id } = (await call('POST', '/deploy', deployBody())).json;
    clock.time += 2_000;
    const containerId = fake.state.deployments.get(id)!.containerIds[0]!;
    const sse = await call('GET', `/deployment/${id}/log/${containerId}?stream=stdout`);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(sse.text).toBe(`data: line 1 from ${containerId}\n\n`);
    expect((await call('GET', `/deployment/${id}/log/${containerId}?stream=both`)).status).toBe(422);
    expect((await call('GET', `/deployment/${id}/log/nope`)).status).toBe(404);

    const plain = await setup({ logs: { logMode: 'snapshot', logFormat: 'plain' } });
    const { deployment_id: other } = (await plain.call('POST', '/deploy', deployBody())).json;
    plain.clock.time += 2_000;
    const otherContainer = plain.fake.state.deployments.get(other)!.containerIds[0]!;
    plain.fake.state.appendLog(other, 'oops', { stream: 'stderr' });
    expect((await plain.call('GET', `/deployment/${other}/log/${otherContainer}?stream=stderr`)).text).toBe('oops\n');
  });
});

describe('io.net fake: standalone use', () => {
  it('imports no test runner outside its tests, so `aurora fake ionet` can run it', () => {
    const directory = new URL('./', import.meta.url);
    const sources = readdirSync(directory).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) expect(readFileSync(new URL(file, directory), 'utf8'), file).not.toMatch(/from 'vitest'/);
  });
});
