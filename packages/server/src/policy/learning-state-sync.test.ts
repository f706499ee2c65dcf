import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultWeights, LearningPolicy, scoreOffers } from '@aurora/router';
import { createOffers, createRoutingRequest } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { learningStateId, LearningStateSync } from './learning-state-sync';

const start = Date.parse('2026-03-01T12:00:00.000Z');
let sequence = 0;

/** `count` decisions of `learner`, each with a filled or failed outcome learned at once. */
function learn(learner: LearningPolicy, count: number): void {
  for (let step = 0; step < count; step++) {
    const id = `dec-${sequence++}`;
    const now = start + sequence * 1_000;
    const candidates = scoreOffers(createOffers(4, (index) => ({ provider: `p${index}`, offer_id: `${id}-o${index}` })), defaultWeights);
    const choice = learner.decide({ decision_id: id, request: createRoutingRequest(), weights: defaultWeights, now }, candidates);
    const offer = candidates[choice.index]!.offer;
    const filled = sequence % 3 !== 0;
    learner.observe({ decision_id: id, provider: offer.provider, offer_id: offer.offer_id, filled, observed_at: new Date(now + 30_000).toISOString(), ...(filled ? { time_to_running_ms: 30_000 } : {}) });
  }
}

describe('LearningStateSync', () => {
  let directory: string;
  let store: DeploymentStore;
  const quiet = () => {};
  const clock = { now: () => start };

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-state-sync-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps what the learner learns while a sync waits on the ledger: stored by the next sync, never lost or counted twice', async () => {
    const learner = new LearningPolicy({ guard: false });
    let during: (() => void) | undefined;
    const slowStore: DeploymentStore = Object.create(store);
    slowStore.savePolicyState = async (...args) => {
      during?.();
      return store.savePolicyState(...args);
    };
    const sync = new LearningStateSync({ store: slowStore, learner, clock, log: quiet });
    learn(learner, 10);
    during = () => learn(learner, 4);
    await sync.sync();
    during = undefined;
    expect(learner.diagnostics().observations).toBe(14);
    expect(JSON.parse((await store.loadPolicyState(learningStateId))!.state_json).statistics.observations).toBe(10);

    await sync.sync();
    expect(JSON.parse((await store.loadPolicyState(learningStateId))!.state_json).statistics.observations).toBe(14);
    expect(learner.diagnostics().observations).toBe(14);
    expect(sync.snapshot()).toMatchObject({ version: 2, incompatible: null });
  });

  it('lets replicas sync at the same moment: each stores its evidence once, and all converge', async () => {
    const learners = [0, 1, 2].map(() => new LearningPolicy({ guard: false }));
    const syncs = learners.map((learner) => new LearningStateSync({ store, learner, clock, log: quiet }));
    learners.forEach((learner, index) => learn(learner, 5 * (index + 1)));
    await Promise.all(syncs.map((sync) => sync.sync()));
    await Promise.all(syncs.map((sync) => sync.sync()));
    const stored = JSON.parse((await store.loadPolicyState(learningStateId))!.state_json);
    expect(stored.statistics.observations).toBe(30);
    for (const learner of learners) expect(learner.toJSON().state_id).toBe(stored.state_id);
  });

  it('leaves a state of another configuration alone when it did not replace it at start', async () => {
    const first = new LearningPolicy({ hashBuckets: 128 });
    learn(first, 3);
    const learner = new LearningPolicy();
    const warnings: string[] = [];
    const sync = new LearningStateSync({ store, learner, clock, log: (_level, message) => void warnings.push(message) });
    // Another replica, configured with 128 hash buckets, stores its state after this one started.
    await store.savePolicyState(learningStateId, JSON.stringify(first.toJSON()), 5);
    learn(learner, 2);
    await sync.sync();
    expect((await store.loadPolicyState(learningStateId))?.version).toBe(5);
    expect(sync.snapshot().incompatible).toMatch(/feature layout/);
    expect(warnings.join('\n')).toMatch(/learning locally only/);

    // Loaded at start instead, it is replaced by this configuration's state.
    const restarted = new LearningStateSync({ store, learner, clock, log: quiet });
    await restarted.load();
    await restarted.sync();
    expect((await store.loadPolicyState(learningStateId))?.version).toBe(6);
    expect(JSON.parse((await store.loadPolicyState(learningStateId))!.state_json).features.hash_buckets).toBe(64);
  });
});
