import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConflictError, type Deployment } from '@aurora/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { buildDeployment } from '../ledger/testing/ledger-fixtures';
import { canonicalHash } from './canonical-hash';
import { ClaimHandoff } from './claim-handoff';
import { IdempotentExecutor } from './idempotent-executor';

describe('IdempotentExecutor with a claim handoff', () => {
  let directory: string;
  let store: DeploymentStore;
  let handoff: ClaimHandoff;
  const clock = { time: Date.parse('2026-05-01T00:00:00.000Z') };
  const executor = (waitMs = 1_000) =>
    new IdempotentExecutor({ store, handoff, waitMs, pollMs: 1, now: () => new Date(clock.time), sleep: async (ms) => void (clock.time += ms) });
  const scope = { tenant: 'acme', key: 'key-1', body: { a: 1 } };

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-handoff-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    await store.migrate();
    handoff = new ClaimHandoff();
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  /** What the ledger registry does with a route's first intent. */
  async function saveIntentOf(intent: Deployment) {
    const offered = handoff.take('acme', intent.idempotency_key!);
    if (!offered) throw new Error('no claim offered');
    const { claimed } = await store.saveIntentClaimingKey(intent, offered.claim);
    offered.settle(claimed);
    if (!claimed) throw new ConflictError({ message: 'claimed elsewhere', details: { reason: 'in_progress' } });
    return intent;
  }

  const saveIntent = () => saveIntentOf(buildDeployment({ tenant: 'acme', idempotency_key: scope.key }));

  it('writes a new key\'s claim only with the first intent, then completes it', async () => {
    const result = await executor().execute(scope, async () => {
      expect(await store.peekIdempotencyKey({ tenant: 'acme', key: 'key-1' })).toBeUndefined();
      const intent = await saveIntent();
      expect(await store.peekIdempotencyKey({ tenant: 'acme', key: 'key-1' })).toMatchObject({ outcome: 'in_progress' });
      return { status: 201, body: { id: intent.deployment_id } };
    });

    expect(result.replayed).toBe(false);
    const replay = await executor().execute(scope, async () => ({ status: 201, body: { id: 'never' } }));
    expect(replay).toEqual({ status: 201, body: result.body, replayed: true });
  });

  it('goes the usual way when another replica claimed the key meanwhile: nothing is saved, the holder\'s answer is replayed', async () => {
    let attempted: string | undefined;
    // The holder finishes while this request waits for it.
    const waiting = new IdempotentExecutor({
      store,
      handoff,
      waitMs: 1_000,
      pollMs: 1,
      now: () => new Date(clock.time),
      sleep: async (ms) => {
        clock.time += ms;
        await store.completeIdempotencyKey({ tenant: 'acme', key: 'key-1', response_status: 201, response_body: { id: 'dep-other' } }).catch(() => undefined);
      },
    });

    const result = await waiting.execute(scope, async () => {
      // Another replica claims the key before this route saves its intent.
      await store.claimIdempotencyKey({ tenant: 'acme', key: 'key-1', request_hash: canonicalHash(scope.body), now: new Date(clock.time).toISOString() });
      const intent = buildDeployment({ tenant: 'acme', idempotency_key: 'key-1' });
      attempted = intent.deployment_id;
      await saveIntentOf(intent);
      return { status: 201, body: { id: 'dep-mine' } };
    });

    expect(result).toEqual({ status: 201, body: { id: 'dep-other' }, replayed: true });
    expect(await store.get(attempted!)).toBeUndefined();
  });

  it('leaves no trace of a run that failed before its intent, and releases one that failed after', async () => {
    await expect(executor().execute(scope, async () => Promise.reject(new Error('no offers')))).rejects.toThrow('no offers');
    expect(await store.peekIdempotencyKey({ tenant: 'acme', key: 'key-1' })).toBeUndefined();

    await expect(
      executor().execute(scope, async () => {
        await saveIntent();
        throw new Error('deploy failed');
      }),
    ).rejects.toThrow('deploy failed');
    expect(await store.peekIdempotencyKey({ tenant: 'acme', key: 'key-1' })).toBeUndefined();
  });

  it('claims up front when the key is known already', async () => {
    await store.claimIdempotencyKey({ tenant: 'acme', key: 'key-1', request_hash: 'another-body', now: new Date(clock.time).toISOString() });
    await expect(executor().execute(scope, async () => ({ status: 201, body: {} }))).rejects.toSatisfy(
      (error: unknown) => ConflictError.isInstance(error) && error.details.reason === 'different_body',
    );
  });
});
