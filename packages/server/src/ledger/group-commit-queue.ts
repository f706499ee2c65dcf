import type { DatabaseSync, StatementSync } from 'node:sqlite';

export type CommittedBatch = {
  /** Writes that ran in the transaction (successful or not). */
  writes: number;
  /** Writes that threw; their statements were undone, the others committed. */
  failed: number;
};

export type GroupCommitQueueOptions = {
  database: DatabaseSync;
  /** Most writes per transaction; a longer queue commits in several transactions. */
  maxBatchSize: number;
  /** Called after each commit, e.g. for a batch-size metric. */
  onCommit?: (batch: CommittedBatch) => void;
  /** When to flush; `setImmediate` by default, so every write issued in this turn joins the batch. */
  schedule?: (flush: () => void) => { cancel(): void };
};

type Write = {
  run: () => unknown;
  /** Several statements that must apply all or none: wrapped in a savepoint. */
  atomic: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit for a synchronous SQLite connection. Writes are queued and run together in ONE
 * transaction on the next flush; each write's promise settles only after that transaction
 * committed (or failed), so a resolved write is durable, at the cost of one WAL sync per batch
 * instead of one per write. A write that throws is undone alone (statement atomicity, or its
 * savepoint) and rejects; the rest of the batch still commits.
 */
export class GroupCommitQueue {
  private readonly database: DatabaseSync;
  private readonly maxBatchSize: number;
  private readonly onCommit?: (batch: CommittedBatch) => void;
  private readonly schedule: (flush: () => void) => { cancel(): void };
  private readonly statements: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackToSavepoint', StatementSync>;
  private queue: Write[] = [];
  private scheduled: { cancel(): void } | undefined;

  constructor({ database, maxBatchSize, onCommit, schedule = scheduleImmediate }: GroupCommitQueueOptions) {
    this.database = database;
    this.maxBatchSize = maxBatchSize;
    this.onCommit = onCommit;
    this.schedule = schedule;
    // BEGIN IMMEDIATE takes the write lock up front, so another process cannot make COMMIT fail.
    this.statements = {
      begin: database.prepare('BEGIN IMMEDIATE'),
      commit: database.prepare('COMMIT'),
      rollback: database.prepare('ROLLBACK'),
      savepoint: database.prepare('SAVEPOINT aurora_write'),
      release: database.prepare('RELEASE aurora_write'),
      rollbackToSavepoint: database.prepare('ROLLBACK TO aurora_write'),
    };
  }

  get pending(): number {
    return this.queue.length;
  }

  enqueue<T>(run: () => T, { atomic = false }: { atomic?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, atomic, resolve: resolve as (value: unknown) => void, reject });
      this.scheduled ??= this.schedule(() => {
        this.scheduled = undefined;
        this.flush();
      });
    });
  }

  /** Commits everything queued now, synchronously. */
  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.length <= this.maxBatchSize ? this.queue : this.queue.slice(0, this.maxBatchSize);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatchSize);
      this.commit(batch);
    }
  }

  private commit(batch: Write[]): void {
    try {
      this.statements.begin.run();
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    const results: Result[] = new Array(batch.length);
    let failed = 0;
    for (let index = 0; index < batch.length; index++) {
      const result = this.runOne(batch[index]!);
      results[index] = result;
      if (result.ok) continue;
      failed++;
      if (!this.database.isTransaction) {
        // SQLite abandoned the whole transaction (disk full, I/O error): nothing committed.
        for (const write of batch) write.reject(result.error);
        return;
      }
    }
    try {
      this.statements.commit.run();
    } catch (error) {
      if (this.database.isTransaction) this.statements.rollback.run();
      for (const write of batch) write.reject(error);
      return;
    }
    for (let index = 0; index < batch.length; index++) {
      const result = results[index]!;
      const write = batch[index]!;
      if (result.ok) write.resolve(result.value);
      else write.reject(result.error);
    }
    try {
      this.onCommit?.({ writes: batch.length, failed });
    } catch {
      // A failing metrics hook must not break the ledger.
    }
  }

  private runOne(write: Write): Result {
    if (!write.atomic) {
      try {
        return { ok: true, value: write.run() };
      } catch (error) {
        return { ok: false, error };
      }
    }
    this.statements.savepoint.run();
    try {
      const value = write.run();
      this.statements.release.run();
      return { ok: true, value };
    } catch (error) {
      if (this.database.isTransaction) {
        this.statements.rollbackToSavepoint.run();
        this.statements.release.run();
      }
      return { ok: false, error };
    }
  }
}

function scheduleImmediate(flush: () => void): { cancel(): void } {
  const handle = setImmediate(flush);
  return { cancel: () => clearImmediate(handle) };
}
