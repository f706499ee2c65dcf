import { attachOutcome, type DecisionLogRecord, type RewardOptions } from '@aurora/router';
import type { DecisionRecord, DeploymentStore } from '../ledger/index';

export type ReadDecisionLogOptions = {
  store: DeploymentStore;
  /** ISO-8601 UTC: decisions created at or after it. */
  since?: string;
  reward?: RewardOptions;
  /** Rows read per ledger page. Default 500. */
  pageSize?: number;
};

/**
 * The ledger's decisions as decision log records, oldest first, each with its latest outcome
 * joined and the reward computed (`attachOutcome`). Decisions saved without a log record (before
 * decision logging, or decided by the router's fallback after a policy failure) are skipped.
 */
export async function* readDecisionLog(options: ReadDecisionLogOptions): AsyncGenerator<DecisionLogRecord> {
  const { store } = options;
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<DeploymentStore['listDecisions']>> = await store.listDecisions({
      limit: options.pageSize ?? 500,
      cursor,
      ...(options.since !== undefined ? { since: options.since } : {}),
    });
    for (const item of page.items) {
      const record = toLogRecord(item, options.reward);
      if (record) yield record;
    }
    cursor = page.next_cursor;
  } while (cursor !== null);
}

/** The stored log record with the stored outcome joined, or undefined without a log record. */
export function toLogRecord(item: DecisionRecord, reward?: RewardOptions): DecisionLogRecord | undefined {
  if (!item.log) return undefined;
  return item.outcome ? attachOutcome(item.log, item.outcome, reward) : item.log;
}
