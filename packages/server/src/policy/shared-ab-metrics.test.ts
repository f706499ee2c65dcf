import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAbMetrics, type AbMetricsState, type HybridArm } from '@aurora/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { isLaterStage, SharedAbMetrics } from './shared-ab-metrics';

function metrics(outcomes: Array<[HybridArm, boolean]>): AbMetricsState {
  const tracker = createAbMetrics();
  outcomes.forEach(([arm, filled], index) =>
    tracker.observe({ arm, decision_id: `d${index}`, provider: 'p', offer_id: 'o', filled, observed_at: '2026-03-01T12:00:00.000Z' }),
  );
  return tracker.toJSON();
}

describe('SharedAbMetrics', () => {
  let directory: string;
  let store: DeploymentStore;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-shared-ab-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('sums the replicas\' outcomes of a stage, also when they publish at the same time, without counting a replica twice', async () => {
    const a = new SharedAbMetrics({ store, replicaId: 'a', staleAfterMs: 60_000 });
    const b = new SharedAbMetrics({ store, replicaId: 'b', staleAfterMs: 60_000 });
    const key = 'rollout:2026-03-01T12:00:00.000Z';
    const now = Date.parse('2026-03-01T12:01:00.000Z');
    const [first, second] = await Promise.all([
      a.publish(key, metrics([['ai', true], ['rules', true]]), now),
      b.publish(key, metrics([['ai', false], ['ai', true], ['rules', true]]), now),
    ]);
    const last = [first, second].find((result) => result.replicas === 2)!;
    expect(createAbMetrics(last.merged).outcomes('ai')).toBe(3);
    expect(createAbMetrics(last.merged).outcomes('rules')).toBe(2);

    // A replica republishes its cumulative outcomes: replaced, not added.
    const again = await a.publish(key, metrics([['ai', true], ['rules', true], ['rules', false]]), now + 1_000);
    expect(createAbMetrics(again.merged).outcomes('ai')).toBe(3);
    expect(createAbMetrics(again.merged).outcomes('rules')).toBe(3);
  });

  it('starts afresh on a later stage and never lets a replica still on an earlier stage overwrite it', async () => {
    const a = new SharedAbMetrics({ store, replicaId: 'a', staleAfterMs: 60_000 });
    const b = new SharedAbMetrics({ store, replicaId: 'b', staleAfterMs: 60_000 });
    const now = Date.parse('2026-03-02T12:00:00.000Z');
    await a.publish('rollout:2026-03-02T10:00:00.000Z', metrics([['ai', true]]), now);
    const later = await b.publish('rollout:2026-03-02T11:00:00.000Z', metrics([['rules', true]]), now);
    expect(createAbMetrics(later.merged).outcomes('ai')).toBe(0);
    expect(later.replicas).toBe(1);
    const behind = await a.publish('rollout:2026-03-02T10:00:00.000Z', metrics([['ai', true], ['ai', true]]), now);
    expect(behind.merged).toBeUndefined();
    expect(isLaterStage('rollout:2026-03-02T11:00:00.000Z', 'rollout:2026-03-02T10:00:00.000Z')).toBe(true);
    expect(isLaterStage('static:hybrid:30', 'static:hybrid:20')).toBe(false);
  });

  it('archives a replica that stopped reporting; the archived one, if it comes back, counts from zero', async () => {
    const a = new SharedAbMetrics({ store, replicaId: 'a', staleAfterMs: 60_000 });
    const b = new SharedAbMetrics({ store, replicaId: 'b', staleAfterMs: 60_000 });
    const key = 'rollout:2026-03-03T12:00:00.000Z';
    const start = Date.parse('2026-03-03T12:00:00.000Z');
    await a.publish(key, metrics([['ai', true], ['ai', true]]), start);
    const later = await b.publish(key, metrics([['rules', true]]), start + 120_000);
    expect(later.replicas).toBe(1);
    expect(createAbMetrics(later.merged).outcomes('ai')).toBe(2);

    const back = await a.publish(key, metrics([['ai', true], ['ai', true], ['ai', true]]), start + 121_000);
    expect(back.archivedMine).toBe(true);
    expect(createAbMetrics(back.merged).outcomes('ai')).toBe(2);
    const fresh = await a.publish(key, metrics([['ai', true]]), start + 122_000);
    expect(fresh.archivedMine).toBe(false);
    expect(createAbMetrics(fresh.merged).outcomes('ai')).toBe(3);
  });
});
