import { abMetricsStateSchema, emptyAbMetricsState, mergeAbMetrics, type AbMetricsState } from '@aurora/router';
import { z } from 'zod';
import type { DeploymentStore } from '../ledger/index';

/** The ledger row (policy_state) holding every replica's outcomes of the current stage. */
export const sharedAbMetricsId = 'aurora.ab-metrics';

const recordSchema = z.object({
  format: z.literal('aurora.ab-metrics'),
  stage_key: z.string(),
  replicas: z.record(z.string(), z.object({ updated_at: z.string(), metrics: abMetricsStateSchema })),
  /** Outcomes of replicas that stopped reporting, folded together. */
  archived: abMetricsStateSchema.nullable(),
});
type SharedRecord = z.infer<typeof recordSchema>;

export type PublishResult = {
  /** Every replica's outcomes of `stageKey` merged; undefined when the record is already on a later stage. */
  merged: AbMetricsState | undefined;
  replicas: number;
  /**
   * True when this replica's entry had been archived (it stopped reporting for too long): its
   * outcomes are in the archive now, so it must start counting from zero to avoid counting twice.
   */
  archivedMine: boolean;
};

export type SharedAbMetricsOptions = {
  store: DeploymentStore;
  replicaId: string;
  /** An entry not refreshed for this long is folded into the archive. */
  staleAfterMs: number;
};

const maximumAttempts = 8;

/**
 * A/B outcomes shared between replicas through the ledger. Each replica writes only its own
 * cumulative outcomes of the current stage (compare-and-swap on the row's version, retried on a
 * conflict), so concurrent writers never lose each other's samples; the samples are disjoint, so
 * their sum (`mergeAbMetrics`) is the stage's A/B metrics. A later stage key replaces the record.
 */
export class SharedAbMetrics {
  private readonly options: SharedAbMetricsOptions;
  private publishedStage: string | undefined;

  constructor(options: SharedAbMetricsOptions) {
    this.options = options;
  }

  async publish(stageKey: string, metrics: AbMetricsState, now: number): Promise<PublishResult> {
    const { store, replicaId, staleAfterMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      const stored = await store.loadPolicyState(sharedAbMetricsId);
      const current = stored ? parse(stored.state_json) : undefined;
      if (current && isLaterStage(current.stage_key, stageKey)) return { merged: undefined, replicas: Object.keys(current.replicas).length, archivedMine: false };

      const record: SharedRecord =
        current && current.stage_key === stageKey ? structuredClone(current) : { format: 'aurora.ab-metrics', stage_key: stageKey, replicas: {}, archived: null };
      const archivedMine = this.publishedStage === stageKey && record.replicas[replicaId] === undefined && current?.stage_key === stageKey;
      for (const [id, entry] of Object.entries(record.replicas)) {
        if (id === replicaId || now - Date.parse(entry.updated_at) <= staleAfterMs) continue;
        record.archived = mergeAbMetrics(record.archived ?? emptyAbMetricsState(), entry.metrics);
        delete record.replicas[id];
      }
      if (!archivedMine) record.replicas[replicaId] = { updated_at: new Date(now).toISOString(), metrics };

      const saved = await store.savePolicyState(sharedAbMetricsId, JSON.stringify(record), (stored?.version ?? 0) + 1);
      if (saved) {
        // An archived replica writes again from zero, as if new to the stage.
        this.publishedStage = archivedMine ? undefined : stageKey;
        return { merged: mergedOf(record), replicas: Object.keys(record.replicas).length, archivedMine };
      }
      if (attempt >= maximumAttempts) return { merged: current?.stage_key === stageKey ? mergedOf(current) : undefined, replicas: 0, archivedMine: false };
    }
  }
}

/**
 * Rollout stage keys (`rollout:<stage start>`) are ordered by time: a replica still on an earlier
 * stage never overwrites a later one. Other keys (a fixed split) are replaced by whoever writes.
 */
export function isLaterStage(stored: string, mine: string): boolean {
  return stored.startsWith('rollout:') && mine.startsWith('rollout:') && stored > mine;
}

function parse(text: string): SharedRecord | undefined {
  try {
    const result = recordSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function mergedOf(record: SharedRecord): AbMetricsState {
  let merged = record.archived ?? emptyAbMetricsState();
  for (const entry of Object.values(record.replicas)) merged = mergeAbMetrics(merged, entry.metrics);
  return merged;
}
