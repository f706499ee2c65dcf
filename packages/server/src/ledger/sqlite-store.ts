import type { DeploymentStore } from './deployment-store';
import type { CommittedBatch } from './group-commit-queue';
import { createLedgerStore } from './ledger-store';
import { SqliteConnection, type SqliteSynchronousMode, type SqliteWriterMode } from './sqlite-connection';
import { sqliteMigrations } from './sqlite-migrations';

export type SqliteStoreOptions = {
  /** Database file; its directory is created. `':memory:'` for a throwaway ledger (tests). */
  path: string;
  /** `'normal'` (default): durable against process crashes. `'full'`: also against OS crashes. */
  synchronous?: SqliteSynchronousMode;
  /** How long a write waits for another process's lock before failing. Default 5000. */
  busyTimeoutMs?: number;
  /** Most writes committed in one transaction. Default 1000. */
  maxBatchSize?: number;
  /**
   * `'thread'` (default): writes commit on a writer thread with its own connection, so WAL writes
   * and checkpoints never block the event loop. `'inline'`: on this thread. In memory: always inline.
   */
  writer?: SqliteWriterMode;
  /** Called after every group commit, e.g. to record the batch size. */
  onCommit?: (batch: CommittedBatch) => void;
  now?: () => Date;
};

/**
 * A ledger in one SQLite file (Node's built-in `node:sqlite`, WAL mode) for a single server process.
 * Writes issued in the same event-loop turn commit together in one transaction (group commit), on
 * a writer thread; while one batch commits the next gathers, so batches grow with the load.
 */
export function createSqliteStore({
  path,
  synchronous = 'normal',
  busyTimeoutMs = 5_000,
  maxBatchSize = 1_000,
  writer,
  onCommit,
  now,
}: SqliteStoreOptions): DeploymentStore {
  const connection = new SqliteConnection({ path, synchronous, busyTimeoutMs, maxBatchSize, onCommit, ...(writer ? { writer } : {}) });
  return createLedgerStore({ connection, migrations: sqliteMigrations, now });
}
