import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startIonetFake, type IonetFake, type IonetFakeRequest } from '@aurora/adapter-ionet/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fastIonetFakeTiming, inferenceRouteRequest as request, uniqueSecret } from '../__fixtures__/real-provider-stack';
import { getJson, startServerProcess, type ServerProcess } from '../__fixtures__/server-process';
import { knownProviderIds } from '../providers/known-providers';


/**
 * Short limits so a crashed intent is reconciled within seconds: an intent older than the grace
 * period is resolved, and a retry waits `idempotency_wait_ms` for the dead holder of its key.
 */
const routerConfig = {
  server: { log_level: 'info' },
  limits: { deploy_timeout_ms: 2_000, route_deadline_ms: 2_000, idempotency_wait_ms: 2_500 },
  background: { reconcile_interval_ms: 200, reconcile_grace_period_ms: 2_500, status_poll_interval_ms: 500 },
};

type Crash = {
  fake: IonetFake;
  environment: Record<string, string>;
  /** The io.net deployment the killed server created but never recorded. */
  orphan: { id: string; name: string };
};

/**
 * io.net creates the deployment, but its answer is lost (504) and the lookup by name that follows
 * hangs: the server is SIGKILLed right then, with the intent in its ledger and no provider id.
 */
async function crashMidDeploy(directory: string, routeHeaders: Record<string, string>, servers: ServerProcess[]): Promise<Crash> {
  let deploySeen = false;
  let lookupAfterLostAnswer!: () => void;
  const lookupStarted = new Promise<void>((resolve) => (lookupAfterLostAnswer = resolve));
  const fake = await startIonetFake({
    apiKey: uniqueSecret('ionet-key'),
    timing: fastIonetFakeTiming,
    onRequest: (call: IonetFakeRequest) => {
      if (call.method === 'POST' && call.path === '/deploy') {
        deploySeen = true;
        fake.setFault([
          { kind: 'deploy-answer-lost', method: 'POST', path: /^\/deploy$/, times: 1 },
          { kind: 'slow', method: 'GET', path: /^\/deployments$/, delayMs: 60_000, times: 1 },
        ]);
      } else if (deploySeen && call.method === 'GET' && call.path === '/deployments') {
        lookupAfterLostAnswer();
      }
    },
  });

  const providers = Object.fromEntries(knownProviderIds.map((id) => [id, id === 'ionet' ? { enabled: true, api_url: fake.url } : { enabled: false }]));
  await writeFile(path.join(directory, 'router.yaml'), stringify(routerConfig));
  await writeFile(path.join(directory, 'providers.yaml'), stringify({ providers }));
  const environment = {
    AURORA_CONFIG_DIR: directory,
    AURORA_PORT: '0',
    AURORA_SQLITE_PATH: path.join(directory, 'ledger.db'),
    IONET_API_KEY: fake.apiKey,
  };

  const first = await startServerProcess(environment);
  servers.push(first);
  const routing = fetch(`${first.url}/route`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...routeHeaders },
    body: JSON.stringify(request),
  }).then(
    (response) => `answered ${response.status}`,
    () => 'connection lost',
  );
  await lookupStarted;
  expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  expect(await routing).toBe('connection lost');

  const created = [...fake.state.deployments.values()];
  expect(created).toHaveLength(1);
  return { fake, environment, orphan: { id: created[0]!.id, name: created[0]!.name } };
}

/** Two server starts (tsx compiles the sources each time) plus the grace and wait periods above. */
const crashTestTimeoutMs = 60_000;

describe('a server killed between the io.net deploy and the ledger write', () => {
  let directory: string;
  const servers: ServerProcess[] = [];
  const fakes: IonetFake[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop('SIGKILL')));
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('adopts the deployment on restart (the route had an Idempotency-Key), and the retry gets it, not a second one', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-crash-'));
    const { fake, environment, orphan } = await crashMidDeploy(directory, { 'idempotency-key': 'order-4711' }, servers);
    fakes.push(fake);
    expect(orphan.name).toMatch(/^aurora-dep-[a-z0-9]+-1$/);

    const second = await startServerProcess(environment);
    servers.push(second);
    const [intent] = (await getJson(`${second.url}/deployments`)).deployments;
    expect(intent).toMatchObject({ provider: 'ionet', idempotency_key: 'order-4711' });
    expect(orphan.name).toBe(`aurora-${intent.deployment_id}-1`);
    await expect
      .poll(async () => (await getJson(`${second.url}/deployments/${intent.deployment_id}`)).provider_deployment_id, { timeout: 10_000, interval: 100 })
      .toBe(`ionet:${orphan.id}`);
    // The reconciler logs once the adoption is saved: the line can reach the pipe after the poll saw the record.
    await expect.poll(() => second.output(), { timeout: 10_000, interval: 50 }).toContain(`reconciler: adopted ionet:${orphan.id} at ionet for ${intent.deployment_id}`);

    const retry = await fetch(`${second.url}/route`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'order-4711' },
      body: JSON.stringify(request),
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await retry.json()) as any;
    expect(replayed).toMatchObject({ deployment_id: intent.deployment_id, provider: 'ionet', provider_deployment_id: `ionet:${orphan.id}` });
    expect(replayed.decision.warnings.join(' ')).toMatch(/decision record was lost/);

    await expect
      .poll(async () => (await getJson(`${second.url}/deployments/${intent.deployment_id}`)).status, { timeout: 10_000, interval: 100 })
      .toBe('running');
    expect(fake.state.deployments.size).toBe(1);
    expect(fake.state.requests.filter((call) => call.method === 'POST' && call.path === '/deploy')).toHaveLength(1);
    expect(fake.state.requests.some((call) => call.method === 'DELETE')).toBe(false);
    expect(second.output()).not.toContain(fake.apiKey);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, crashTestTimeoutMs);

  it('terminates the deployment at io.net on restart when no client can claim it (no Idempotency-Key)', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-crash-'));
    const { fake, environment, orphan } = await crashMidDeploy(directory, {}, servers);
    fakes.push(fake);

    const second = await startServerProcess(environment);
    servers.push(second);
    const [intent] = (await getJson(`${second.url}/deployments`)).deployments;
    expect(intent).toMatchObject({ provider: 'ionet', idempotency_key: null });
    await expect
      .poll(async () => (await getJson(`${second.url}/deployments/${intent.deployment_id}`)).status, { timeout: 10_000, interval: 100 })
      .toBe('terminated');
    const record = await getJson(`${second.url}/deployments/${intent.deployment_id}`);
    expect(record).toMatchObject({ provider_deployment_id: `ionet:${orphan.id}`, error: expect.stringMatching(/no idempotency key/) });

    expect(fake.state.requests.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/deployment/${orphan.id}`]);
    expect(['termination requested', 'destroyed']).toContain(fake.state.statusOf(orphan.id));
    expect(fake.state.deployments.size).toBe(1);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, crashTestTimeoutMs);
});
