import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAkashFake, type AkashFake } from '@aurora/adapter-akash/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fastAkashFakeTiming, fastAkashTuning, inferenceRouteRequest as request, uniqueSecret } from '../__fixtures__/real-provider-stack';
import { getJson, startServerProcess, type ServerProcess } from '../__fixtures__/server-process';
import { knownProviderIds } from '../providers/known-providers';


/**
 * Short limits so that, after the restart, the intent and the orphan are both past the grace period
 * within seconds. The route deadline must not run out before the kill: a route that gave up would
 * clean up after itself, and there would be no crash to recover from. On a loaded machine quoting
 * and creating the deployment take over two seconds, so it has five.
 */
const routerConfig = {
  server: { log_level: 'info' },
  limits: { deploy_timeout_ms: 5_000, route_deadline_ms: 5_000 },
  background: { reconcile_interval_ms: 200, reconcile_grace_period_ms: 6_000, status_poll_interval_ms: 500 },
};

/** Two server starts (tsx compiles the sources each time), the grace period twice, and the polls. */
const crashTestTimeoutMs = 90_000;
const recoveryTimeoutMs = 30_000;

describe('a server killed between the Akash deploy and the ledger write', () => {
  let directory: string | undefined;
  let fake: AkashFake | undefined;
  const servers: ServerProcess[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop('SIGKILL')));
    await fake?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
    fake = undefined;
    directory = undefined;
  });

  it('marks the intent failed on restart, and the orphan sweep closes the Akash deployment', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-akash-orphan-'));
    // Akash creates the deployment, then the bid poll hangs: the server is SIGKILLed right then.
    const akash = (fake = await startAkashFake({
      apiKey: uniqueSecret('akash-key'),
      timing: fastAkashFakeTiming,
      faults: [{ type: 'slow', method: 'GET', path: /^\/v1\/bids/, delayMs: 60_000 }],
    }));
    const providers = Object.fromEntries(
      knownProviderIds.map((id) => [id, id === 'akash' ? { enabled: true, api_url: akash.url, orphan_sweep: true } : { enabled: false }]),
    );
    await writeFile(path.join(directory, 'router.yaml'), stringify(routerConfig));
    await writeFile(path.join(directory, 'providers.yaml'), stringify({ providers }));
    const environment = {
      AURORA_CONFIG_DIR: directory,
      AURORA_PORT: '0',
      AURORA_SQLITE_PATH: path.join(directory, 'ledger.db'),
      AKASH_API_KEY: akash.apiKey,
      ...fastAkashTuning,
    };

    const first = await startServerProcess(environment);
    servers.push(first);
    const routing = fetch(`${first.url}/route`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) }).then(
      (response) => `answered ${response.status}`,
      () => 'connection lost',
    );
    await expect.poll(() => akash.state.requests.some((call) => call.path.startsWith('/v1/bids')), { timeout: 15_000, interval: 5 }).toBe(true);
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await routing).toBe('connection lost');
    akash.clearFaults();

    const created = [...akash.state.deployments.values()];
    expect(created).toHaveLength(1);
    const dseq = created[0]!.dseq;
    expect(created[0]!.state).toBe('active');

    const second = await startServerProcess(environment);
    servers.push(second);
    const [intent] = (await getJson(`${second.url}/deployments`)).deployments;
    expect(intent).toMatchObject({ provider: 'akash', provider_deployment_id: null });

    await expect
      .poll(async () => (await getJson(`${second.url}/deployments/${intent.deployment_id}`)).status, { timeout: recoveryTimeoutMs, interval: 100 })
      .toBe('failed');
    await expect.poll(() => akash.state.deployments.get(dseq)?.state, { timeout: recoveryTimeoutMs, interval: 100 }).toBe('closed');

    expect(akash.state.requests.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/v1/deployments/${dseq}`]);
    // The fake closes the deployment as the DELETE arrives; the server logs and counts it once the answer is back.
    await expect.poll(() => second.output(), { timeout: recoveryTimeoutMs, interval: 50 }).toContain(`orphan sweep: terminated ${dseq} at akash`);
    const metrics = await fetch(`${second.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^aurora_orphans_terminated_total\{provider="akash"\} 1$/m);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, crashTestTimeoutMs);
});
