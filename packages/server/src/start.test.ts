import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer } from './__fixtures__/test-server';
import { isLoopbackHost } from './config/assert-listen-allowed';
import { startServer } from './start';

describe('startServer', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-start-test-'));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  it('starts from a config directory with the SQLite ledger under the working directory, and closes', async () => {
    await mkdir(path.join(directory, 'config'));
    await writeFile(path.join(directory, 'config', 'router.yaml'), 'server:\n  port: 0\n  log_level: silent\nsimulator:\n  api_latency: false\n  failure_rate_multiplier: 0\n');
    const server = await startServer({ environment: {}, workingDirectory: directory });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.config.sqlitePath).toBe(path.join(directory, '.aurora', 'aurora.db'));
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      const routed = await fetch(`${server.url}/route`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exampleRouteRequest),
      });
      expect(routed.status).toBe(201);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('refuses to listen on a non-loopback address without API keys', async () => {
    const attempt = startServer({ environment: { AURORA_HOST: '0.0.0.0', AURORA_PORT: '0' }, workingDirectory: directory, logger: false });
    await expect(attempt).rejects.toSatisfy((error: unknown) => ConfigurationError.isInstance(error));
    await expect(attempt).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 without API keys/);
  });

  it('stops with the configuration error before opening anything', async () => {
    await writeFile(path.join(directory, 'router.yaml'), 'server:\n  prot: 1\n');
    await expect(startServer({ configDirectory: directory, environment: {}, workingDirectory: directory, logger: false })).rejects.toThrow(
      /router\.yaml: server\.prot \(line 2\): unknown key/,
    );
  });
});

describe('isLoopbackHost', () => {
  it('accepts loopback names and addresses only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('graceful shutdown', () => {
  it('finishes requests in flight, refuses new ones, stops the loops and closes the ledger', async () => {
    const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })], latencyMs: { deploy: 200 } });
    const server = await startTestServer({ adapters: [adapter], startBackground: true, router: { background: { enabled: true } } });
    const loops = server.app.aurora.background.loops;
    expect(loops.every((loop) => loop.active)).toBe(true);

    const inFlight = server.request('POST', '/route', { body: exampleRouteRequest });
    await expect.poll(() => adapter.calls.deploy.length).toBe(1);
    const closing = server.app.close();
    const response = await inFlight;
    await closing;

    expect(response.status).toBe(201);
    expect(loops.some((loop) => loop.active)).toBe(false);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    // The test harness owns this ledger; the server is done with it, and the deployment is durable.
    expect((await server.store.get(response.body.deployment_id))?.provider_deployment_id).toBe('mock-dep-1');
    await server.close();
  });

  it('closes the ledger and the adapters it created itself', async () => {
    const server = await startServer({
      environment: { AURORA_PORT: '0', AURORA_LOG_LEVEL: 'silent', AURORA_SQLITE_PATH: path.join(tmpdir(), `aurora-close-${process.pid}-${Date.now()}.db`) },
      workingDirectory: tmpdir(),
      configDirectory: await mkdtemp(path.join(tmpdir(), 'aurora-empty-config-')),
    });
    const { store } = server.app.aurora;
    await server.close();
    await expect(store.get('dep-x')).rejects.toThrow();
  });
});
