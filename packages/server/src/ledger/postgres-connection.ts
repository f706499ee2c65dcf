import pg from 'pg';
import { advisoryLockKey, migrationLockNamespace } from './advisory-lock-key';
import type { SqlValue } from './deployment-columns';
import type { LedgerConnection, WriteResult } from './ledger-connection';
import type { Row } from './ledger-rows';
import { ledgerStatements } from './ledger-sql';
import type { Migration } from './migration';
import { PostgresLeadership } from './postgres-leadership';

export type PostgresConnectionOptions = {
  connectionString: string;
  schema: string;
  maxConnections: number;
  connectionTimeoutMs: number;
  onBackgroundError?: (error: unknown) => void;
};

/**
 * A `pg.Pool` whose sessions all start with the ledger's schema on `search_path`, so statements
 * stay unqualified. Every statement auto-commits: a resolved write is committed.
 */
export class PostgresConnection implements LedgerConnection {
  readonly dialect = 'postgres';
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly leadership: PostgresLeadership;
  private readonly statementNames = new Map<string, string>();

  constructor({ connectionString, schema, maxConnections, connectionTimeoutMs, onBackgroundError }: PostgresConnectionOptions) {
    this.schema = schema;
    const clientConfig: pg.ClientConfig = {
      connectionString,
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: connectionTimeoutMs,
    };
    this.pool = new pg.Pool({ ...clientConfig, max: maxConnections, application_name: 'aurora-ledger' });
    // An idle client that loses its connection is dropped by the pool; without a listener the
    // 'error' event would crash the process.
    this.pool.on('error', (error) => onBackgroundError?.(error));
    this.leadership = new PostgresLeadership({ clientConfig, schema, onBackgroundError });
  }

  async read(statement: string, values: readonly SqlValue[], { prepared = true }: { prepared?: boolean } = {}): Promise<Row[]> {
    const result = await this.pool.query(this.query(statement, values, prepared));
    return result.rows as Row[];
  }

  async write(statement: string, values: readonly SqlValue[]): Promise<WriteResult> {
    const result = await this.pool.query(this.query(statement, values, true));
    return { rows: result.rows as Row[], changes: result.rowCount ?? 0 };
  }

  async writeAtomically(statements: ReadonlyArray<{ statement: string; values: readonly SqlValue[] }>): Promise<WriteResult[]> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const results: WriteResult[] = [];
        for (const { statement, values } of statements) {
          const result = await client.query(this.query(statement, values, true));
          results.push({ rows: result.rows as Row[], changes: result.rowCount ?? 0 });
        }
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      // A session whose ROLLBACK failed may still be in a transaction: discard it.
      client.release(broken);
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    const sql = ledgerStatements('postgres');
    const client = await this.pool.connect();
    let failed = false;
    try {
      // Replicas starting together queue here; the lock dies with the session if one crashes.
      await client.query('SELECT pg_advisory_lock($1, $2)', [migrationLockNamespace, advisoryLockKey(this.schema)]);
      try {
        const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
        if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${this.schema}`);
        await client.query(sql.createMigrationsTable);
        const applied = new Set((await client.query(sql.listMigrations)).rows.map((row: Row) => Number(row.version)));
        for (const migration of [...migrations].sort((left, right) => left.version - right.version)) {
          if (applied.has(migration.version)) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query(sql.recordMigration, [migration.version, migration.name, new Date().toISOString()]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [migrationLockNamespace, advisoryLockKey(this.schema)]);
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // A session that failed mid-migration may still hold the lock or a transaction: discard it.
      client.release(failed);
    }
  }

  tryAcquireLeadership(name: string): Promise<boolean> {
    return this.leadership.tryAcquire(name);
  }

  releaseLeadership(name: string): Promise<void> {
    return this.leadership.release(name);
  }

  async close(): Promise<void> {
    try {
      await this.leadership.close();
    } finally {
      await this.pool.end();
    }
  }

  /** Static statements are prepared once per session under a stable name. */
  private query(text: string, values: readonly SqlValue[], prepared: boolean): pg.QueryConfig {
    if (!prepared) return { text, values: values as SqlValue[] };
    let name = this.statementNames.get(text);
    if (name === undefined) {
      name = `aurora_ledger_${this.statementNames.size + 1}`;
      this.statementNames.set(text, name);
    }
    return { name, text, values: values as SqlValue[] };
  }
}
