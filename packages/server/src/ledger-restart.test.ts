import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest } from './__fixtures__/test-server';
import { buildServer } from './app';
import { resolveServerConfig } from './config/resolve-server-config';

// CI starts PostgreSQL: when it is unreachable this test fails, it never skips.
const postgresUrl = process.env.AURORA_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const postgresSchema = `aurora_server_test_${process.pid}_${Date.now().toString(36)}`;

const ledgers = [
  { name: 'SQLite', environment: (directory: string) => ({ AURORA_SQLITE_PATH: path.join(directory, 'ledger.db') }) },
  { name: 'PostgreSQL', environment: () => ({ AURORA_DATABASE_URL: postgresUrl, AURORA_DATABASE_SCHEMA: postgresSchema }) },
];

/** One server life: the ledger comes from the environment, as with `aurora serve`. */
async function withServer<T>(environment: Record<string, string>, directory: string, use: (url: string) => Promise<T>): Promise<T> {
  const config = resolveServerConfig({
    router: { content: { background: { enabled: false } }, name: 'router.yaml' },
    environment,
    workingDirectory: directory,
  });
  // A fresh adapter each life, as after a process restart: the ledger is the only memory.
  const adapter = createMockAdapter({ name: 'mock', offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })] });
  const app = await buildServer({ config, environment, providers: [adapter], logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  try {
    return await use(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  } finally {
    await app.close();
  }
}

describe.each(ledgers)('the $name ledger through the server', ({ environment }) => {
  const directories: string[] = [];
  afterAll(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  it('keeps a routed deployment, its decision and its idempotency key across a restart', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'aurora-ledger-restart-'));
    directories.push(directory);
    const variables = environment(directory);
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'restart-key' };

    const first = await withServer(variables, directory, async (url) => {
      const response = await fetch(`${url}/route`, { method: 'POST', headers, body: JSON.stringify(exampleRouteRequest) });
      expect(response.status).toBe(201);
      return (await response.json()) as { deployment_id: string; decision_id: string };
    });

    await withServer(variables, directory, async (url) => {
      const stored = await fetch(`${url}/deployments/${first.deployment_id}`);
      expect(stored.status).toBe(200);
      const deployment = (await stored.json()) as { deployment_id: string; provider: string; provider_deployment_id: string; decision_id: string };
      expect(deployment).toMatchObject({ deployment_id: first.deployment_id, provider: 'mock', provider_deployment_id: 'mock-dep-1', decision_id: first.decision_id });

      const listed = (await (await fetch(`${url}/deployments`)).json()) as { deployments: Array<{ deployment_id: string }> };
      expect(listed.deployments.map((item) => item.deployment_id)).toEqual([first.deployment_id]);

      const replay = await fetch(`${url}/route`, { method: 'POST', headers, body: JSON.stringify(exampleRouteRequest) });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(((await replay.json()) as { deployment_id: string }).deployment_id).toBe(first.deployment_id);
    });
  });
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${postgresSchema} CASCADE`);
  } finally {
    await client.end();
  }
});
