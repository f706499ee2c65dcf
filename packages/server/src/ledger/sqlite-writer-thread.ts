import { Worker } from 'node:worker_threads';
import type { SqlValue } from './deployment-columns';
import type { CommittedBatch } from './group-commit-queue';
import type { WriteResult } from './ledger-connection';
import { sqliteWriterThreadSource } from './sqlite-writer-thread-source';

export type SqliteWriterThreadOptions = {
  path: string;
  /** PRAGMA statements the thread's connection runs on open (synchronous, busy_timeout, ...). */
  pragmas: readonly string[];
  /** Most writes per transaction; a longer queue commits in several transactions. */
  maxBatchSize: number;
  /** Least time between two PASSIVE checkpoints of the WAL. */
  checkpointIntervalMs: number;
  onCommit?: (batch: CommittedBatch) => void;
};

/** One statement of a write, with `$n` placeholders already rewritten for SQLite. */
export type WriterStatement = { sql: string; values: readonly SqlValue[] };

/**
 * Two batches at most in flight: the thread finds the next batch waiting when it finishes one
 * (it never idles on a round trip), and the rest gather on this side, so batches grow with the
 * load and the per-message cost (about 20 us each way) is shared by many writes. Batches commit
 * in the order they were sent, and a write that depends on another is issued only after that one
 * resolved, so it is always in a later batch.
 */
const maxBatchesInFlight = 2;

type QueuedWrite = {
  statements: ReadonlyArray<WriterStatement>;
  resolve: (results: WriteResult[]) => void;
  reject: (error: unknown) => void;
};

type ThreadError = { message: string; code?: string; errcode?: number; errstr?: string };
type WriteOutcome = { ok: true; value: WriteResult[] } | { ok: false; error: ThreadError };
type FromThread =
  | { type: 'ready' }
  | { type: 'batch'; id: number; results: WriteOutcome[]; failed: number }
  | { type: 'batch'; id: number; error: ThreadError }
  | { type: 'closed'; error?: ThreadError };

/**
 * Group commit on a thread of its own. SQLite's calls are synchronous, so a commit on the main
 * thread stops every request for as long as it writes the WAL; here the main thread only queues
 * writes and hands them over in batches (at most two in flight) to a worker thread that owns the
 * write connection. While batches commit, the next one gathers: under load the batches grow by
 * themselves, and each write's promise resolves only after the COMMIT that holds it returned.
 * Reads stay on the caller's own connection (WAL readers never wait for the writer).
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly maxBatchSize: number;
  private readonly onCommit?: (batch: CommittedBatch) => void;
  private readonly statementIds = new Map<string, number>();
  private queue: QueuedWrite[] = [];
  /** Batches handed to the thread and not yet answered, oldest first. */
  private inFlight: Array<{ id: number; writes: QueuedWrite[] }> = [];
  private scheduled = false;
  private nextBatchId = 1;
  private failure: Error | undefined;
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private closedAnswer: ((error: Error | undefined) => void) | undefined;
  private exited = false;

  constructor({ path, pragmas, maxBatchSize, checkpointIntervalMs, onCommit }: SqliteWriterThreadOptions) {
    this.maxBatchSize = maxBatchSize;
    this.onCommit = onCommit;
    this.worker = new Worker(sqliteWriterThreadSource, {
      eval: true,
      workerData: { path, pragmas, checkpointIntervalMs },
      // The writer must not inherit the test runner's or the app's loaders: it needs none.
      execArgv: [],
      env: {},
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.worker.on('message', (message: FromThread) => this.onMessage(message));
    this.worker.on('error', (error) => this.fail(new Error(`the SQLite writer thread failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`the SQLite writer thread exited (code ${code})`));
      this.closedAnswer?.(undefined);
    });
  }

  /** Writes queued or committing. */
  get pending(): number {
    let count = this.queue.length;
    for (const batch of this.inFlight) count += batch.writes.length;
    return count;
  }

  /** Runs the statements as one write (several: all or none) in the next batch; resolves after its COMMIT. */
  write(statements: ReadonlyArray<WriterStatement>): Promise<WriteResult[]> {
    if (this.closing) return Promise.reject(new Error('the SQLite writer is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<WriteResult[]>((resolve, reject) => {
      this.queue.push({ statements, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every write queued so far has been answered. */
  drain(): Promise<void> {
    if (this.pending === 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Lets queued writes commit, then closes the thread's connection and ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drain();
      if (this.exited) return;
      const answered = new Promise<Error | undefined>((resolve) => (this.closedAnswer = resolve));
      this.worker.ref();
      this.worker.postMessage({ type: 'close' });
      const error = await answered;
      await this.worker.terminate();
      if (error) throw error;
    })();
    return this.closing;
  }

  // Batches go out on the next turn, so every write issued in this one joins.
  private schedule(): void {
    if (this.scheduled || this.inFlight.length >= maxBatchesInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    if (this.inFlight.length >= maxBatchesInFlight || this.queue.length === 0 || this.failure) return;
    const writes = this.queue.length <= this.maxBatchSize ? this.queue : this.queue.slice(0, this.maxBatchSize);
    this.queue = writes === this.queue ? [] : this.queue.slice(this.maxBatchSize);
    const define: Array<[number, string]> = [];
    const encoded = writes.map((write) => write.statements.map((statement) => [this.statementId(statement.sql, define), statement.values]));
    const id = this.nextBatchId++;
    this.inFlight.push({ id, writes });
    this.worker.ref();
    this.worker.postMessage({ type: 'batch', id, define, writes: encoded });
  }

  private statementId(sql: string, define: Array<[number, string]>): number {
    let id = this.statementIds.get(sql);
    if (id === undefined) {
      id = this.statementIds.size + 1;
      this.statementIds.set(sql, id);
      define.push([id, sql]);
    }
    return id;
  }

  private onMessage(message: FromThread): void {
    if (message.type === 'closed') {
      this.closedAnswer?.(message.error ? toDriverError(message.error) : undefined);
      return;
    }
    if (message.type !== 'batch' || this.inFlight[0]?.id !== message.id) return;
    const { writes } = this.inFlight.shift()!;
    if ('error' in message) {
      const error = toDriverError(message.error);
      for (const write of writes) write.reject(error);
    } else {
      for (let index = 0; index < writes.length; index++) {
        const outcome = message.results[index]!;
        if (outcome.ok) writes[index]!.resolve(outcome.value);
        else writes[index]!.reject(toDriverError(outcome.error));
      }
      try {
        this.onCommit?.({ writes: writes.length, failed: message.failed });
      } catch {
        // A failing metrics hook must not break the ledger.
      }
    }
    this.afterBatch();
  }

  private afterBatch(): void {
    if (this.queue.length > 0) {
      this.schedule();
      return;
    }
    if (this.inFlight.length > 0) return;
    this.worker.unref();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    const writes = [...this.inFlight.flatMap((batch) => batch.writes), ...this.queue];
    this.inFlight = [];
    this.queue = [];
    for (const write of writes) write.reject(error);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** The thread's error as an `Error` carrying node:sqlite's fields, so `toLedgerError` classifies it the same. */
function toDriverError(error: ThreadError): Error {
  return Object.assign(new Error(error.message), {
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.errcode !== undefined ? { errcode: error.errcode } : {}),
    ...(error.errstr !== undefined ? { errstr: error.errstr } : {}),
  });
}
