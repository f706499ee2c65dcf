import { ConfigurationError } from '@aurora/router';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryLockKey, leadershipLockNamespace } from './advisory-lock-key';
import type { DeploymentStore } from './deployment-store';
import { createLedgerStore } from './ledger-store';
import { PostgresConnection } from './postgres-connection';
import { postgresMigrations } from './postgres-migrations';
import { createPostgresStore } from './postgres-store';
import { describeDeploymentStore } from './testing/describe-deployment-store';
import { describeMigrationHistory } from './testing/describe-migration-history';
import { buildDeployment, uniqueSuffix } from './testing/ledger-fixtures';

// CI starts PostgreSQL: when it is unreachable these tests fail, they never skip.
const connectionString = process.env.AURORA_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const fileSchema = `aurora_ledger_test_${uniqueSuffix()}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

// Runs after every describe block's own afterAll has closed its stores.
afterAll(() => dropSchema(fileSchema));

describeDeploymentStore({
  name: 'PostgreSQL',
  open: (options) => createPostgresStore({ connectionString, schema: fileSchema, maxConnections: 4, ...options }),
  async execute(statement) {
    const client = new pg.Client({ connectionString, options: `-c search_path=${fileSchema}` });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  },
});

const historySchemas: string[] = [];
afterAll(() => Promise.all(historySchemas.map(dropSchema)));

describeMigrationHistory({
  name: 'PostgreSQL',
  migrations: postgresMigrations,
  newDatabase() {
    const schema = `${fileSchema}_history_${historySchemas.length + 1}`;
    historySchemas.push(schema);
    return (migrations) =>
      createLedgerStore({ connection: new PostgresConnection({ connectionString, schema, maxConnections: 2, connectionTimeoutMs: 10_000 }), migrations });
  },
});

describe('createPostgresStore', () => {
  const stores: DeploymentStore[] = [];
  const extraSchemas: string[] = [];

  function openStore(schema = fileSchema): DeploymentStore {
    const store = createPostgresStore({ connectionString, schema, maxConnections: 4 });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    await openStore().migrate();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(extraSchemas.map(dropSchema));
  });

  it('lets two replicas migrate a new schema at the same time, each migration applied once', async () => {
    const schema = `${fileSchema}_race`;
    extraSchemas.push(schema);
    const replicas = Array.from({ length: 3 }, () => openStore(schema));

    await Promise.all(replicas.map((replica) => replica.migrate()));

    const applied = await replicas[0]!.listAppliedMigrations();
    expect(applied.map((migration) => migration.version)).toEqual(postgresMigrations.map((migration) => migration.version));
    const deployment = buildDeployment();
    await replicas[1]!.save(deployment);
    expect(await replicas[2]!.get(deployment.deployment_id)).toEqual(deployment);
  });

  it('gives leadership to one store at a time until the holder releases or closes', async () => {
    const name = `reconciler-${uniqueSuffix()}`;
    const first = openStore();
    const second = openStore();
    const third = openStore();

    expect(await first.tryAcquireLeadership(name)).toBe(true);
    expect(await second.tryAcquireLeadership(name)).toBe(false);
    expect(await first.tryAcquireLeadership(name)).toBe(true);
    expect(await second.tryAcquireLeadership(name)).toBe(false);

    await first.releaseLeadership(name);
    expect(await second.tryAcquireLeadership(name)).toBe(true);
    expect(await first.tryAcquireLeadership(name)).toBe(false);
    expect(await third.tryAcquireLeadership(name)).toBe(false);

    await second.close();
    expect(await third.tryAcquireLeadership(name)).toBe(true);
    expect(await first.tryAcquireLeadership(name)).toBe(false);
  });

  it('keeps leadership names of different schemas apart', async () => {
    const schema = `${fileSchema}_other`;
    extraSchemas.push(schema);
    const name = `accrual-${uniqueSuffix()}`;
    const here = openStore();
    const there = openStore(schema);

    expect(await here.tryAcquireLeadership(name)).toBe(true);
    expect(await there.tryAcquireLeadership(name)).toBe(true);
  });

  it('hands leadership over when the holder\'s session dies, and the old holder notices', async () => {
    const name = `reconciler-${uniqueSuffix()}`;
    const holder = openStore();
    const standby = openStore();
    expect(await holder.tryAcquireLeadership(name)).toBe(true);

    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' " +
          'AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 2',
        [leadershipLockNamespace >>> 0, advisoryLockKey(`${fileSchema}:${name}`) >>> 0],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }

    expect(await standby.tryAcquireLeadership(name)).toBe(true);
    expect(await holder.tryAcquireLeadership(name)).toBe(false);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => createPostgresStore({ connectionString, schema: 'public; DROP TABLE x' })).toThrow(
      expect.toSatisfy(ConfigurationError.isInstance),
    );
  });
});
