import { learningPolicyStateSchema, mergeStates, type LearningPolicy, type LearningPolicyState } from '@aurora/router';
import type { DeploymentStore } from '../ledger/index';

/** The ledger row (policy_state) of the shared learning-policy state. */
export const learningStateId = 'aurora.learning';

export type LearningStateSyncOptions = {
  store: DeploymentStore;
  learner: LearningPolicy;
  clock: { now(): number };
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** Called with the ledger version each time the learner holds another stored state. */
  onVersion?: (version: number) => void;
};

export type LearningStateSnapshot = {
  /** Ledger version of the state last stored or loaded (0: none yet). */
  version: number;
  state_id: string;
  synced_at: string | null;
  /** Set when the stored state cannot be used by this configuration (feature layout, half-life). */
  incompatible: string | null;
};

const maximumAttempts = 8;

/**
 * Keeps the learning policy's state in the ledger, shared by every replica.
 *
 * Each replica remembers `synced`, the state it last stored or loaded. Its own evidence since then
 * is `learner - synced`. A sync reads the stored state S (S holds `synced`: every writer stores S'
 * = S + its own new evidence, by compare-and-swap on the row's version), stores
 * `S + (learner - synced)` as the next version and adopts it, with `mergeStates` over the common
 * base `synced`. The learner keeps its pending decisions (`adoptState`), and evidence gathered
 * while the ledger was busy is folded in on top. So every outcome is counted exactly once, and
 * replicas converge to what one learner would hold had it seen every outcome.
 */
export class LearningStateSync {
  private readonly options: LearningStateSyncOptions;
  private synced: LearningPolicyState;
  private version = 0;
  private syncedAt: number | null = null;
  /** Load found a state this configuration cannot use: the first sync replaces it. */
  private supersede = false;
  private incompatible: string | null = null;

  constructor(options: LearningStateSyncOptions) {
    this.options = options;
    this.synced = options.learner.toJSON();
  }

  /** At start: adopts the stored state, or plans to replace one this configuration cannot use. */
  async load(): Promise<void> {
    const stored = await this.options.store.loadPolicyState(learningStateId);
    if (!stored) return;
    const state = this.parse(stored.state_json);
    if (!state.ok) {
      this.supersede = true;
      this.options.log('warn', `the stored learning-policy state cannot be used (${state.reason}); this replica starts a new one and replaces it`, { version: stored.version });
      return;
    }
    this.options.learner.adoptState(state.value);
    this.synced = state.value;
    this.version = stored.version;
    this.syncedAt = this.options.clock.now();
    this.options.onVersion?.(this.version);
    this.options.log('info', 'learning-policy state loaded from the ledger', { version: stored.version, state_id: state.value.state_id });
  }

  /** One exchange with the ledger: stores this replica's new evidence and adopts everyone's. */
  async sync(): Promise<void> {
    const { store, learner } = this.options;
    for (let attempt = 1; attempt <= maximumAttempts; attempt++) {
      const stored = await store.loadPolicyState(learningStateId);
      const snapshot = learner.toJSON();
      let remote: LearningPolicyState | undefined;
      if (stored) {
        const parsed = this.parse(stored.state_json);
        if (parsed.ok) {
          remote = parsed.value;
          this.incompatible = null;
        } else if (!this.supersede) {
          // A replica with another configuration owns the row now; do not fight over it.
          if (this.incompatible !== parsed.reason) this.options.log('warn', `the stored learning-policy state cannot be used (${parsed.reason}); learning locally only`);
          this.incompatible = parsed.reason;
          return;
        }
      }
      const merged = this.merge(remote, snapshot);
      let version = stored?.version ?? 0;
      if (merged.state_id !== remote?.state_id) {
        if (!(await store.savePolicyState(learningStateId, JSON.stringify(merged), version + 1))) continue;
        version += 1;
      }
      this.adopt(merged, snapshot);
      this.synced = merged;
      this.supersede = false;
      this.syncedAt = this.options.clock.now();
      if (version !== this.version) {
        this.version = version;
        this.options.onVersion?.(version);
      }
      return;
    }
    this.options.log('warn', `learning-policy state sync gave up after ${maximumAttempts} conflicting writes; it retries on the next pass`);
  }

  snapshot(): LearningStateSnapshot {
    return {
      version: this.version,
      state_id: this.synced.state_id,
      synced_at: this.syncedAt === null ? null : new Date(this.syncedAt).toISOString(),
      incompatible: this.incompatible,
    };
  }

  /** The stored state plus this replica's evidence since its last sync. */
  private merge(remote: LearningPolicyState | undefined, snapshot: LearningPolicyState): LearningPolicyState {
    if (!remote) return snapshot;
    const localChanged = snapshot.state_id !== this.synced.state_id;
    if (!localChanged) return remote;
    if (remote.state_id === this.synced.state_id) return snapshot;
    return mergeStates(withBase(remote, this.synced), withBase(snapshot, this.synced));
  }

  /** Adopts `merged`, plus whatever the learner learned since `snapshot` was taken. */
  private adopt(merged: LearningPolicyState, snapshot: LearningPolicyState): void {
    const { learner } = this.options;
    const now = learner.toJSON();
    const target = now.state_id === snapshot.state_id ? merged : mergeStates(withBase(merged, snapshot), withBase(now, snapshot));
    if (target.state_id !== now.state_id) learner.adoptState(target);
  }

  private parse(text: string): { ok: true; value: LearningPolicyState } | { ok: false; reason: string } {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
    const result = learningPolicyStateSchema.safeParse(value);
    if (!result.success) return { ok: false, reason: 'not a learning-policy state of this version' };
    const state = result.data;
    const { learner } = this.options;
    const layout = this.synced.features;
    const sameLayout =
      state.features.hash_buckets === learner.hashBuckets &&
      state.features.dimension === layout.dimension &&
      state.features.hash_seed === layout.hash_seed &&
      state.features.dense.join() === layout.dense.join() &&
      state.features.hashed.join() === layout.hashed.join();
    if (!sameLayout) return { ok: false, reason: 'another feature layout (policy.learning.hash_buckets or the package version differ)' };
    if ((state.options.half_life_ms ?? Infinity) !== learner.halfLifeMs) return { ok: false, reason: 'another half-life (policy.learning.half_life_ms differs)' };
    return { ok: true, value: state };
  }
}

/** `state` declared to descend from `base`: merging two of them adds their evidence beyond `base`. */
function withBase(state: LearningPolicyState, base: LearningPolicyState): LearningPolicyState {
  return { ...state, base: { state_id: base.state_id, statistics: base.statistics } };
}
