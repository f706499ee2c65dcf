import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommittedBatch } from './group-commit-queue';
import { toLedgerError } from './ledger-error';
import { SqliteWriterThread } from './sqlite-writer-thread';

const directory = mkdtempSync(join(tmpdir(), 'aurora-writer-thread-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('SqliteWriterThread', () => {
  let path: string;
  let writer: SqliteWriterThread;
  let reader: DatabaseSync;
  let batches: CommittedBatch[];
  let counter = 0;

  beforeEach(() => {
    path = join(directory, `case-${++counter}.db`);
    reader = new DatabaseSync(path);
    reader.exec('PRAGMA journal_mode = WAL');
    reader.exec('CREATE TABLE items (id TEXT PRIMARY KEY, size INTEGER NOT NULL CHECK (size > 0))');
    batches = [];
    writer = new SqliteWriterThread({ path, pragmas: ['PRAGMA busy_timeout = 5000'], maxBatchSize: 100, checkpointIntervalMs: 0, onCommit: (batch) => batches.push(batch) });
  });
  afterEach(async () => {
    await writer.close();
    reader.close();
  });

  const insert = (id: string, size: number) => ({ sql: 'INSERT INTO items (id, size) VALUES (?1, ?2) RETURNING id', values: [id, size] });
  const ids = () => reader.prepare('SELECT id FROM items ORDER BY id').all().map((row) => row.id);

  it('commits the writes of one turn in one transaction and answers each with its rows', async () => {
    const results = await Promise.all([writer.write([insert('a', 1)]), writer.write([insert('b', 2)])]);

    expect(results).toEqual([[{ rows: [{ id: 'a' }], changes: 1 }], [{ rows: [{ id: 'b' }], changes: 1 }]]);
    expect(batches).toEqual([{ writes: 2, failed: 0 }]);
    expect(ids()).toEqual(['a', 'b']);
  });

  it('undoes a failing write of several statements alone, and says why so the ledger can classify it', async () => {
    const [good, bad] = await Promise.allSettled([writer.write([insert('c', 1)]), writer.write([insert('d', 1), insert('e', 0)])]);

    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
    const error = toLedgerError((bad as PromiseRejectedResult).reason, 'test');
    expect(error.message).toMatch(/CHECK constraint failed/);
    expect(error.details.driver_code).toMatch(/^SQLITE_\d+$/);
    expect(ids()).toEqual(['c']);
    expect(batches).toEqual([{ writes: 2, failed: 1 }]);
  });

  it('sends the writes queued while a batch commits as the next batch', async () => {
    const first = writer.write([insert('f', 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    const queued = [writer.write([insert('g', 1)]), writer.write([insert('h', 1)])];
    await Promise.all([first, ...queued]);

    expect(batches).toEqual([{ writes: 1, failed: 0 }, { writes: 2, failed: 0 }]);
  });

  it('commits what is queued when it closes, and refuses writes afterwards', async () => {
    const pending = writer.write([insert('i', 1)]);
    await writer.close();

    await expect(pending).resolves.toHaveLength(1);
    expect(ids()).toEqual(['i']);
    await expect(writer.write([insert('j', 1)])).rejects.toThrow(/closed/);
  });
});
