import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqlValue } from './deployment-columns';
import { GroupCommitQueue, type CommittedBatch } from './group-commit-queue';
import type { LedgerConnection, WriteResult } from './ledger-connection';
import type { Row } from './ledger-rows';
import { ledgerStatements } from './ledger-sql';
import { SqliteWriterThread } from './sqlite-writer-thread';
import type { Migration } from './migration';

export type SqliteSynchronousMode = 'normal' | 'full';

/** Where writes commit: on a writer thread of their own (files), or on the caller's thread. */
export type SqliteWriterMode = 'thread' | 'inline';

export type SqliteConnectionOptions = {
  path: string;
  synchronous: SqliteSynchronousMode;
  busyTimeoutMs: number;
  maxBatchSize: number;
  /** Default `thread` for a file; an in-memory database is always `inline` (a second connection would not see it). */
  writer?: SqliteWriterMode;
  /** Least time between two WAL checkpoints of the writer thread. Default 200 ms. */
  checkpointIntervalMs?: number;
  onCommit?: (batch: CommittedBatch) => void;
};

type PreparedStatement = { statement: StatementSync; returnsRows: boolean };

/**
 * The ledger's SQLite connections. Reads (and migrations) run at once on a `DatabaseSync` of the
 * calling thread. Writes are group-committed: for a file on a writer thread with its own
 * connection (`SqliteWriterThread`), so that WAL writes and checkpoints never stall the event
 * loop; in memory, or with `writer: 'inline'`, through `GroupCommitQueue` on this connection.
 * Either way a write's promise resolves only after the COMMIT that holds it.
 */
export class SqliteConnection implements LedgerConnection {
  readonly dialect = 'sqlite';
  private readonly database: DatabaseSync;
  private readonly queue: GroupCommitQueue | undefined;
  private readonly writer: SqliteWriterThread | undefined;
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly sqliteTexts = new Map<string, string>();

  constructor({ path, synchronous, busyTimeoutMs, maxBatchSize, writer = 'thread', checkpointIntervalMs = 200, onCommit }: SqliteConnectionOptions) {
    if (isFilePath(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
    this.database = new DatabaseSync(path);
    // WAL lets readers (a second process, the CLI) run beside the writer. With synchronous=NORMAL a
    // commit reaches the OS before its promise resolves, so it survives a crash of this process,
    // which is what the reconciler's intent-first story needs; only an OS crash or power loss can
    // lose the last commits. FULL also syncs the WAL on every commit: with group commit that is one
    // fsync per batch (see bench/ledger.bench.ts for what it costs).
    this.database.exec(`PRAGMA journal_mode = WAL`);
    this.database.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    this.database.exec('PRAGMA foreign_keys = OFF');
    // 32 MiB of page cache keeps the hot index pages of a large ledger in memory.
    this.database.exec('PRAGMA cache_size = -32768');
    // Statement journals (needed by statements that fire triggers) stay in memory instead of
    // spilling to temporary files: that alone halves the cost of an insert.
    this.database.exec('PRAGMA temp_store = MEMORY');
    if (writer === 'thread' && isFilePath(path)) {
      const pragmas = [
        `PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`,
        `PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`,
        'PRAGMA foreign_keys = OFF',
        'PRAGMA cache_size = -32768',
        'PRAGMA temp_store = MEMORY',
      ];
      this.writer = new SqliteWriterThread({ path: resolve(path), pragmas, maxBatchSize, checkpointIntervalMs, onCommit });
    } else {
      this.queue = new GroupCommitQueue({ database: this.database, maxBatchSize, onCommit });
    }
  }

  read(statement: string, values: readonly SqlValue[]): Promise<Row[]> {
    try {
      return Promise.resolve(this.prepare(statement).statement.all(...(values as SQLInputValue[])) as Row[]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  write(statement: string, values: readonly SqlValue[]): Promise<WriteResult> {
    if (this.writer) return this.writer.write([{ sql: this.sqliteText(statement), values }]).then(firstResult);
    return this.queue!.enqueue(() => this.runWrite(statement, values));
  }

  private runWrite(statement: string, values: readonly SqlValue[]): WriteResult {
    const prepared = this.prepare(statement);
    const parameters = values as SQLInputValue[];
    if (prepared.returnsRows) {
      const rows = prepared.statement.all(...parameters) as Row[];
      return { rows, changes: rows.length };
    }
    return { rows: [], changes: Number(prepared.statement.run(...parameters).changes) };
  }

  writeAtomically(statements: ReadonlyArray<{ statement: string; values: readonly SqlValue[] }>): Promise<WriteResult[]> {
    if (this.writer) return this.writer.write(statements.map(({ statement, values }) => ({ sql: this.sqliteText(statement), values })));
    return this.queue!.enqueue(() => statements.map(({ statement, values }) => this.runWrite(statement, values)), { atomic: true });
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.queue?.flush();
    await this.writer?.drain();
    const sql = ledgerStatements('sqlite');
    // BEGIN IMMEDIATE serialises two processes migrating one file (the other waits busy_timeout).
    this.database.exec('BEGIN IMMEDIATE');
    try {
      this.database.exec(sql.createMigrationsTable);
      const applied = new Set(
        this.database.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)),
      );
      const record = this.database.prepare(toSqlitePlaceholders(sql.recordMigration));
      for (const migration of [...migrations].sort((left, right) => left.version - right.version)) {
        if (applied.has(migration.version)) continue;
        this.database.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      }
      this.database.exec('COMMIT');
    } catch (error) {
      if (this.database.isTransaction) this.database.exec('ROLLBACK');
      throw error;
    }
  }

  /** One process owns a SQLite file, so it always leads. */
  async tryAcquireLeadership(): Promise<boolean> {
    return true;
  }

  async releaseLeadership(): Promise<void> {}

  async close(): Promise<void> {
    if (!this.database.isOpen) return;
    try {
      this.queue?.flush();
      await this.writer?.close();
    } finally {
      this.statements.clear();
      this.database.close();
    }
  }

  /** The statement with SQLite placeholders, rewritten once per distinct statement. */
  private sqliteText(statement: string): string {
    let text = this.sqliteTexts.get(statement);
    if (text === undefined) {
      text = toSqlitePlaceholders(statement);
      this.sqliteTexts.set(statement, text);
    }
    return text;
  }

  private prepare(statement: string): PreparedStatement {
    let prepared = this.statements.get(statement);
    if (prepared === undefined) {
      const compiled = this.database.prepare(toSqlitePlaceholders(statement));
      prepared = { statement: compiled, returnsRows: compiled.columns().length > 0 };
      this.statements.set(statement, prepared);
    }
    return prepared;
  }
}

function firstResult(results: WriteResult[]): WriteResult {
  return results[0]!;
}

/** `$n` (PostgreSQL) to `?n` (SQLite): both bind the n-th parameter. */
function toSqlitePlaceholders(statement: string): string {
  return statement.replace(/\$(\d+)/g, '?$1');
}

function isFilePath(path: string): boolean {
  return path !== ':memory:' && path !== '' && !path.startsWith('file:');
}
