import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitQueue, type CommittedBatch } from './group-commit-queue';

describe('GroupCommitQueue', () => {
  let database: DatabaseSync;
  let queue: GroupCommitQueue;
  let flushes: Array<() => void>;
  let batches: CommittedBatch[];

  beforeEach(() => {
    database = new DatabaseSync(':memory:');
    database.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
    flushes = [];
    batches = [];
    queue = new GroupCommitQueue({
      database,
      maxBatchSize: 100,
      onCommit: (batch) => batches.push(batch),
      schedule: (flush) => {
        flushes.push(flush);
        return { cancel: () => {} };
      },
    });
  });

  afterEach(() => database.close());

  const insert = (id: number, value: string | null = `v${id}`) => () =>
    database.prepare('INSERT INTO items (id, value) VALUES (?, ?)').run(id, value);
  const count = () => Number(database.prepare('SELECT COUNT(*) AS n FROM items').get()!.n);

  it('settles nothing before the flush and everything after its commit', async () => {
    const settled: number[] = [];
    const writes = [1, 2, 3].map((id) => queue.enqueue(insert(id)).then(() => settled.push(id)));
    await Promise.resolve();

    expect(settled).toEqual([]);
    expect(flushes).toHaveLength(1);
    expect(queue.pending).toBe(3);

    flushes[0]!();
    await Promise.all(writes);

    expect(settled).toEqual([1, 2, 3]);
    expect(count()).toBe(3);
    expect(batches).toEqual([{ writes: 3, failed: 0 }]);
    expect(database.isTransaction).toBe(false);
  });

  it('undoes a failed atomic write completely and keeps the others', async () => {
    const good = queue.enqueue(insert(1));
    const partial = queue.enqueue(
      () => {
        insert(2)();
        insert(3, null)();
      },
      { atomic: true },
    );
    queue.flush();

    await expect(good).resolves.toBeDefined();
    await expect(partial).rejects.toThrow(/NOT NULL/);
    expect(database.prepare('SELECT id FROM items ORDER BY id').all().map((row) => row.id)).toEqual([1]);
    expect(batches).toEqual([{ writes: 2, failed: 1 }]);
  });

  it('rejects the whole batch when the transaction is lost mid-batch', async () => {
    const before = queue.enqueue(insert(1));
    const breaking = queue.enqueue(() => {
      database.exec('ROLLBACK');
      throw new Error('disk I/O error');
    });
    const after = queue.enqueue(insert(2));
    queue.flush();

    const results = await Promise.allSettled([before, breaking, after]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(count()).toBe(0);
    expect(batches).toEqual([]);
  });

  it('rejects every write of a batch whose COMMIT fails', async () => {
    database.exec('PRAGMA foreign_keys = ON');
    database.exec(
      'CREATE TABLE children (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    const good = queue.enqueue(insert(1));
    const orphan = queue.enqueue(() => database.prepare('INSERT INTO children (id, item_id) VALUES (1, 99)').run());
    queue.flush();

    const results = await Promise.allSettled([good, orphan]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(count()).toBe(0);
    expect(database.isTransaction).toBe(false);
  });

  it('keeps committing after a failed batch', async () => {
    queue.enqueue(() => {
      throw new Error('boom');
    }).catch(() => {});
    queue.flush();

    const next = queue.enqueue(insert(7));
    queue.flush();

    await expect(next).resolves.toBeDefined();
    expect(count()).toBe(1);
  });
});
