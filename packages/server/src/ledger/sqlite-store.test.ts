import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeploymentStore } from './deployment-store';
import type { CommittedBatch } from './group-commit-queue';
import { sqliteMigrations } from './sqlite-migrations';
import { ledgerStatements } from './ledger-sql';
import { createLedgerStore } from './ledger-store';
import { SqliteConnection } from './sqlite-connection';
import { createSqliteStore } from './sqlite-store';
import { describeDeploymentStore } from './testing/describe-deployment-store';
import { describeMigrationHistory } from './testing/describe-migration-history';
import { buildDeployment } from './testing/ledger-fixtures';

const directory = mkdtempSync(join(tmpdir(), 'aurora-ledger-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const contractPath = join(directory, 'contract', 'aurora.db');

describeDeploymentStore({
  name: 'SQLite',
  open: (options) => createSqliteStore({ path: contractPath, ...options }),
  async execute(statement) {
    const database = new DatabaseSync(contractPath);
    try {
      database.exec('PRAGMA busy_timeout = 5000');
      database.exec(statement);
    } finally {
      database.close();
    }
  },
});

let historyDatabases = 0;

describeMigrationHistory({
  name: 'SQLite',
  migrations: sqliteMigrations,
  newDatabase() {
    const path = join(directory, `history-${++historyDatabases}`, 'aurora.db');
    return (migrations) =>
      createLedgerStore({ connection: new SqliteConnection({ path, synchronous: 'normal', busyTimeoutMs: 5_000, maxBatchSize: 1_000 }), migrations });
  },
});

describe('createSqliteStore', () => {
  let counter = 0;
  const stores: DeploymentStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  async function openStore(options: { path?: string; maxBatchSize?: number; synchronous?: 'normal' | 'full' } = {}) {
    const batches: CommittedBatch[] = [];
    const path = options.path ?? join(directory, `case-${++counter}`, 'nested', 'aurora.db');
    const store = createSqliteStore({ ...options, path, onCommit: (batch) => batches.push(batch) });
    stores.push(store);
    await store.migrate();
    batches.length = 0;
    return { store, batches, path };
  }

  it('creates the directory and opens the file in WAL mode', async () => {
    const { path } = await openStore();
    const reader = new DatabaseSync(path, { readOnly: true });
    try {
      expect(reader.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      reader.close();
    }
  });

  it('commits the writes of one event-loop turn in one transaction', async () => {
    const { store, batches } = await openStore();
    const deployments = Array.from({ length: 50 }, () => buildDeployment());

    await Promise.all(deployments.map((deployment) => store.save(deployment)));

    expect(batches).toEqual([{ writes: 50, failed: 0 }]);
  });

  it('commits writes issued after an await in a later transaction', async () => {
    const { store, batches } = await openStore();
    const deployment = buildDeployment();

    await store.save(deployment);
    await store.save({ ...deployment, status: 'provisioning', provider_deployment_id: 'p-1' });

    expect(batches).toEqual([{ writes: 1, failed: 0 }, { writes: 1, failed: 0 }]);
  });

  it('splits a long queue into transactions of at most maxBatchSize writes', async () => {
    const { store, batches } = await openStore({ maxBatchSize: 4 });

    await Promise.all(Array.from({ length: 10 }, () => store.save(buildDeployment())));

    expect(batches.map((batch) => batch.writes)).toEqual([4, 4, 2]);
  });

  it('rejects a failing write alone and commits the rest of its batch', async () => {
    const { store, batches } = await openStore();
    const good = buildDeployment();
    const bad = buildDeployment({ gpu_count: 0 });

    const results = await Promise.allSettled([store.save(good), store.save(bad), store.addCost('dep-missing', 1, 'now')]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(batches).toEqual([{ writes: 3, failed: 1 }]);
    expect(await store.get(good.deployment_id)).toEqual(good);
    expect(await store.get(bad.deployment_id)).toBeUndefined();
  });

  it('has committed a write to the file by the time its promise resolves', async () => {
    const { store, path } = await openStore({ synchronous: 'full' });
    const deployment = buildDeployment();

    await store.save(deployment);

    const reader = new DatabaseSync(path, { readOnly: true });
    try {
      const row = reader.prepare('SELECT deployment_id, status FROM deployments WHERE deployment_id = ?').get(deployment.deployment_id);
      expect(row).toEqual({ deployment_id: deployment.deployment_id, status: 'pending' });
    } finally {
      reader.close();
    }
  });

  it('keeps its data across a reopen', async () => {
    const { store, path } = await openStore();
    const deployment = buildDeployment({ tenant: 'acme', cost_usd: 1.5 });
    await store.save(deployment);
    await store.claimIdempotencyKey({ tenant: 'acme', key: 'k', request_hash: 'h', now: '2026-03-01T12:00:00.000Z' });
    await store.close();

    const reopened = createSqliteStore({ path });
    stores.push(reopened);
    await reopened.migrate();

    expect(await reopened.get(deployment.deployment_id)).toEqual(deployment);
    expect(await reopened.spend({ tenant: 'acme' })).toBe(1.5);
    expect(await reopened.claimIdempotencyKey({ tenant: 'acme', key: 'k', request_hash: 'h', now: '2026-03-01T12:01:00.000Z' })).toEqual({
      outcome: 'in_progress',
      request_hash: 'h',
    });
    expect(await reopened.listAppliedMigrations()).toHaveLength(sqliteMigrations.length);
  });

  it('group-commits on the calling thread with writer: inline', async () => {
    const batches: CommittedBatch[] = [];
    const store = createSqliteStore({ path: join(directory, `case-${++counter}`, 'inline.db'), writer: 'inline', onCommit: (batch) => batches.push(batch) });
    stores.push(store);
    await store.migrate();
    batches.length = 0;
    const deployments = Array.from({ length: 5 }, () => buildDeployment());

    await Promise.all(deployments.map((deployment) => store.save(deployment)));

    expect(batches).toEqual([{ writes: 5, failed: 0 }]);
    expect(await store.get(deployments[4]!.deployment_id)).toEqual(deployments[4]);
  });

  it('finds the newest deployment of an idempotency key through that key\'s index, not by walking the tenant', async () => {
    const { path } = await openStore();
    const reader = new DatabaseSync(path, { readOnly: true });
    try {
      const statement = ledgerStatements('sqlite').findByIdempotencyKey.replace(/\$(\d+)/g, '?$1');
      const plan = reader.prepare(`EXPLAIN QUERY PLAN ${statement}`).all().map((row) => String(row.detail));
      expect(plan).toEqual([expect.stringContaining('USING INDEX deployments_by_idempotency_key')]);
    } finally {
      reader.close();
    }
  });

  it('works in memory', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    stores.push(store);
    await store.migrate();
    const deployment = buildDeployment();

    await store.save(deployment);

    expect(await store.get(deployment.deployment_id)).toEqual(deployment);
  });
});
