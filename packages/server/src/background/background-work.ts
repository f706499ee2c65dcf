import type { Router } from '@aurora/router';
import type { DeploymentStore } from '../ledger/index';
import type { ProviderEntry } from '../providers/provider-entry';
import type { CostAccrual } from './cost-accrual';
import type { DecisionRetention } from './decision-retention';
import { createIntervalLoop, type IntervalLoop } from './interval-loop';
import type { Reconciler } from './reconciler';
import type { StatusPoller } from './status-poller';

export type BackgroundIntervals = {
  reconcile_interval_ms: number;
  status_poll_interval_ms: number;
  cost_accrual_interval_ms: number;
  health_check_interval_ms: number;
  retention_interval_ms: number;
};

export type BackgroundWorkOptions = {
  router: Router;
  store: DeploymentStore;
  providers: readonly ProviderEntry[];
  reconciler: Reconciler;
  poller: StatusPoller;
  costs: CostAccrual;
  /** Absent when decisions are kept for ever. */
  retention?: DecisionRetention;
  intervals: BackgroundIntervals;
  onError: (error: unknown, loop: string) => void;
};

/** The lock name: with PostgreSQL one replica at a time runs the ledger-wide loops. */
export const backgroundLeadershipName = 'aurora-background';

export type BackgroundWork = {
  start(): void;
  stop(): Promise<void>;
  readonly loops: readonly IntervalLoop[];
};

/**
 * Every background loop: a health check per provider (every replica: each keeps its own circuit
 * state), and the ledger-wide reconciler, status poller, cost accrual and decision retention, which
 * run only while this replica holds the leadership lock (always with SQLite). All timers are unref'd and stoppable.
 */
export function createBackgroundWork(options: BackgroundWorkOptions): BackgroundWork {
  const { router, store, intervals, onError } = options;
  const asLeader = (run: (signal: AbortSignal) => Promise<unknown>) => async (signal: AbortSignal) => {
    if (!(await store.tryAcquireLeadership(backgroundLeadershipName))) return;
    await run(signal);
  };

  const loops: IntervalLoop[] = [
    ...options.providers.map((entry) =>
      createIntervalLoop({
        name: `health-check:${entry.id}`,
        intervalMs: entry.healthCheckIntervalMs ?? intervals.health_check_interval_ms,
        runOnStart: true,
        run: async () => {
          await router.checkHealth(entry.id);
        },
        onError,
      }),
    ),
    createIntervalLoop({ name: 'reconciler', intervalMs: intervals.reconcile_interval_ms, runOnStart: true, run: asLeader((signal) => options.reconciler.runOnce(signal)), onError }),
    createIntervalLoop({ name: 'status-poller', intervalMs: intervals.status_poll_interval_ms, run: asLeader((signal) => options.poller.runOnce(signal)), onError }),
    createIntervalLoop({ name: 'cost-accrual', intervalMs: intervals.cost_accrual_interval_ms, run: asLeader((signal) => options.costs.runOnce(signal)), onError }),
  ];
  const { retention } = options;
  if (retention) {
    loops.push(createIntervalLoop({ name: 'decision-retention', intervalMs: intervals.retention_interval_ms, runOnStart: true, run: asLeader((signal) => retention.runOnce(signal)), onError }));
  }

  return {
    loops,
    start() {
      for (const loop of loops) loop.start();
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      await store.releaseLeadership(backgroundLeadershipName).catch((error: unknown) => onError(error, 'release leadership'));
    },
  };
}
