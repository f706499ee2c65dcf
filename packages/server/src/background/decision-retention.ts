import type { DeploymentStore, PurgedDecisions } from '../ledger/index';

export type DecisionRetentionOptions = {
  store: Pick<DeploymentStore, 'purgeDecisions'>;
  /** Decisions (with their outcomes and logged offers) older than this many days are deleted. */
  retentionDays: number;
  clock: { now(): number };
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** Delete statements per table and pass; what is left goes at the next pass. Default 50. */
  maxBatchesPerPass?: number;
};

const dayMs = 86_400_000;

/**
 * Keeps the decision log to a window: each pass deletes what fell out of it, a bounded number of
 * short batches at a time so routes' writes keep flowing while a backlog drains.
 */
export class DecisionRetention {
  private readonly options: DecisionRetentionOptions;

  constructor(options: DecisionRetentionOptions) {
    this.options = options;
  }

  async runOnce(signal?: AbortSignal): Promise<PurgedDecisions | undefined> {
    if (signal?.aborted) return undefined;
    const { store, retentionDays, clock, log, maxBatchesPerPass = 50 } = this.options;
    const olderThan = new Date(clock.now() - retentionDays * dayMs).toISOString();
    const purged = await store.purgeDecisions({ olderThan, maxBatches: maxBatchesPerPass });
    if (purged.decisions + purged.outcomes + purged.offers > 0) {
      log('info', `retention: deleted ${purged.decisions} decisions, ${purged.outcomes} outcomes and ${purged.offers} logged offers from before ${olderThan}`, { ...purged });
    }
    return purged;
  }
}
