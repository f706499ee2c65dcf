import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAbMetrics, HybridPolicy, RulePolicy, type AbMetricsState, type StageChange } from '@aurora/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routerConfigSchema } from '../config/router-config-schema';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { RolloutCoordinator, rolloutStateId } from './rollout-coordinator';

/** Synthetic outcomes of one stage: `n` per arm, the ai arm filling with probability `aiFill`. */
function stageMetrics(n: number, aiFill: number): AbMetricsState {
  const tracker = createAbMetrics();
  for (let index = 0; index < n; index++) {
    const observed_at = '2026-03-01T12:00:00.000Z';
    tracker.observe({ arm: 'rules', decision_id: `r${index}`, provider: 'p', offer_id: 'o', filled: index % 20 !== 0, time_to_running_ms: 30_000, observed_at });
    tracker.observe({ arm: 'ai', decision_id: `a${index}`, provider: 'p', offer_id: 'o', filled: index < n * aiFill, time_to_running_ms: 30_000, observed_at });
  }
  return tracker.toJSON();
}

describe('RolloutCoordinator', () => {
  let directory: string;
  let store: DeploymentStore;
  let now: number;
  const clock = { now: () => now };
  const settings = (overrides: Record<string, unknown> = {}) =>
    routerConfigSchema.parse({ mode: 'hybrid', rollout: { enabled: true, minimum_samples_per_stage: 50, minimum_samples_for_test: 20, minimum_stage_duration_ms: 60_000, ...overrides } }).rollout;
  const hybrid = () => new HybridPolicy({ control: new RulePolicy(), treatment: new RulePolicy(), treatmentPercentage: 0 });
  /** A replica: `leader` decides whether it wins the leadership lock. */
  const replica = (leader: boolean, overrides: Record<string, unknown> = {}) => {
    const changes: Array<{ change: StageChange; origin: string }> = [];
    const target = hybrid();
    const replicaStore: DeploymentStore = Object.create(store);
    replicaStore.tryAcquireLeadership = async () => leader;
    const coordinator = new RolloutCoordinator({
      store: replicaStore,
      target,
      settings: settings(overrides),
      clock,
      log: () => {},
      onStageChange: (change, origin) => changes.push({ change, origin }),
    });
    return { coordinator, target, changes };
  };

  beforeEach(async () => {
    now = Date.parse('2026-03-01T12:00:00.000Z');
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-rollout-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('the leader rolls back on a degraded ai arm; a follower adopts the stored state; an operator resume reaches both', async () => {
    const leader = replica(true);
    const follower = replica(false);
    expect(leader.target.treatmentPercentage).toBe(10);

    now += 30_000;
    expect((await follower.coordinator.evaluate(stageMetrics(200, 0.5)))).toBeUndefined();
    const decision = await leader.coordinator.evaluate(stageMetrics(200, 0.5));
    expect(decision?.action).toBe('rollback');
    expect(leader.target.treatmentPercentage).toBe(0);
    expect(leader.changes).toEqual([{ change: expect.objectContaining({ kind: 'rollback', from: 10, to: 0 }), origin: 'evaluated' }]);
    expect((await store.loadPolicyState(rolloutStateId))?.version).toBe(1);

    await follower.coordinator.refresh();
    expect(follower.target.treatmentPercentage).toBe(0);
    expect(follower.coordinator.status()).toMatchObject({ phase: 'rolled_back', version: 1, leader: false });
    // The follower had read nothing before: the stored history is news to it only after its first read.
    expect(follower.changes).toEqual([]);

    now += 60_000;
    await follower.coordinator.control({ action: 'resume', stage_index: 1, reason: 'fixed' });
    expect(follower.target.treatmentPercentage).toBe(50);
    expect(follower.changes.map(({ change, origin }) => [change.kind, origin])).toEqual([['resume', 'operator']]);
    await leader.coordinator.refresh();
    expect(leader.target.treatmentPercentage).toBe(50);
    expect(leader.changes.map(({ change, origin }) => [change.kind, origin])).toEqual([['rollback', 'evaluated'], ['resume', 'ledger']]);
    expect(leader.coordinator.stageKey).toBe(follower.coordinator.stageKey);
  });

  it('advances a healthy stage only after its minimum duration, and holds with the reasons', async () => {
    const leader = replica(true, { guardrails: [{ metric: 'fill_rate', margin: 0.1 }] });
    now += 10_000;
    const early = await leader.coordinator.evaluate(stageMetrics(300, 0.95));
    expect(early?.action).toBe('hold');
    expect(early?.reasons.join('; ')).toMatch(/stage has run 10 s of 1 min/);
    now += 60_000;
    const later = await leader.coordinator.evaluate(stageMetrics(300, 0.95));
    expect(later?.action).toBe('advance');
    expect(leader.target.treatmentPercentage).toBe(50);
    expect(leader.coordinator.stageKey).toBe(`rollout:${new Date(now).toISOString()}`);
  });

  it('starts a new rollout when router.yaml changes the stages', async () => {
    const fillRateOnly = { guardrails: [{ metric: 'fill_rate', margin: 0.1 }] };
    const first = replica(true, fillRateOnly);
    now += 70_000;
    await first.coordinator.evaluate(stageMetrics(300, 0.95));
    expect(first.target.treatmentPercentage).toBe(50);

    const changed = replica(true, { ...fillRateOnly, stages: [5, 100] });
    await changed.coordinator.refresh();
    expect(changed.target.treatmentPercentage).toBe(5);
    await changed.coordinator.evaluate(undefined);
    const stored = JSON.parse((await store.loadPolicyState(rolloutStateId))!.state_json);
    expect(stored.stages).toEqual([5, 100]);
  });
});
