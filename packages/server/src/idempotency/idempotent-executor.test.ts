import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConflictError } from '@aurora/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { canonicalHash } from './canonical-hash';
import { IdempotentExecutor } from './idempotent-executor';

describe('IdempotentExecutor across replicas (two executors on one ledger)', () => {
  let directory: string;
  let store: DeploymentStore;
  const clock = { time: Date.parse('2026-05-01T00:00:00.000Z') };
  const executor = (waitMs = 1_000) =>
    new IdempotentExecutor({ store, waitMs, pollMs: 1, now: () => new Date(clock.time), sleep: async (ms) => void (clock.time += ms) });

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-idempotency-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  const scope = { tenant: 'acme', key: 'key-1', body: { b: 2, a: 1 } };

  it('a second replica replays the first one\'s stored response', async () => {
    const first = await executor().execute(scope, async () => ({ status: 201, body: { id: 'dep-1' } }));
    expect(first).toEqual({ status: 201, body: { id: 'dep-1' }, replayed: false });
    let ran = false;
    const second = await executor().execute({ ...scope, body: { a: 1, b: 2 } }, async () => {
      ran = true;
      return { status: 201, body: { id: 'dep-2' } };
    });
    expect(ran).toBe(false);
    expect(second).toEqual({ status: 201, body: { id: 'dep-1' }, replayed: true });
  });

  it('another body under the same key is a conflict, also while the first still runs', async () => {
    await store.claimIdempotencyKey({ tenant: 'acme', key: 'key-1', request_hash: 'another-hash', now: new Date(clock.time).toISOString() });
    await expect(executor().execute(scope, async () => ({ status: 201, body: {} }))).rejects.toSatisfy(
      (error: unknown) => ConflictError.isInstance(error) && error.details.reason === 'different_body',
    );
  });

  it('waits for a replica that holds the key, then gives up with 409 when nothing can be recovered', async () => {
    const holder = executor();
    let release!: () => void;
    const running = holder.execute(scope, () => new Promise((resolve) => (release = () => resolve({ status: 201, body: { id: 'dep-1' } }))));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(executor(50).execute(scope, async () => ({ status: 201, body: {} }), async () => undefined)).rejects.toSatisfy(
      (error: unknown) => ConflictError.isInstance(error) && error.details.reason === 'in_progress',
    );
    release();
    await running;
  });

  it('recovers a key whose holder died: the recovered response is stored and replayed from then on', async () => {
    await store.claimIdempotencyKey({ tenant: 'acme', key: 'key-1', request_hash: hashOf(scope.body), now: new Date(clock.time).toISOString() });
    const recovered = await executor(50).execute(scope, async () => ({ status: 201, body: { id: 'never' } }), async () => ({ status: 201, body: { id: 'dep-found' } }));
    expect(recovered).toEqual({ status: 201, body: { id: 'dep-found' }, replayed: true });
    const replay = await executor().execute(scope, async () => ({ status: 201, body: { id: 'never' } }));
    expect(replay.body).toEqual({ id: 'dep-found' });
  });

  it('runs again when the dead holder\'s work failed', async () => {
    await store.claimIdempotencyKey({ tenant: 'acme', key: 'key-1', request_hash: hashOf(scope.body), now: new Date(clock.time).toISOString() });
    const result = await executor(50).execute(scope, async () => ({ status: 201, body: { id: 'dep-new' } }), async () => 'retry');
    expect(result).toEqual({ status: 201, body: { id: 'dep-new' }, replayed: false });
  });

  it('stores the compact form a run asks for, and writes nothing more when the run completed the key itself', async () => {
    const compact = await executor().execute(scope, async () => ({ status: 201, body: '{"id":"dep-1","big":true}', stored: { id: 'dep-1' } }));
    expect(compact).toEqual({ status: 201, body: '{"id":"dep-1","big":true}', replayed: false });
    expect((await executor().execute(scope, async () => ({ status: 201, body: {} }))).body).toEqual({ id: 'dep-1' });

    const other = { ...scope, key: 'key-2' };
    const result = await executor().execute(other, async () => {
      await store.completeIdempotencyKey({ tenant: 'acme', key: 'key-2', response_status: 201, response_body: { id: 'dep-2', by: 'run' } });
      return { status: 201, body: 'ignored', stored: { id: 'dep-2', by: 'executor' }, completed: true };
    });
    expect(result.replayed).toBe(false);
    expect((await executor().execute(other, async () => ({ status: 201, body: {} }))).body).toEqual({ id: 'dep-2', by: 'run' });
  });

  it('a failed run releases the key', async () => {
    await expect(executor().execute(scope, async () => Promise.reject(new Error('deploy failed')))).rejects.toThrow('deploy failed');
    const retried = await executor().execute(scope, async () => ({ status: 201, body: { id: 'dep-3' } }));
    expect(retried.replayed).toBe(false);
  });
});

const hashOf = canonicalHash;
