import type { ProviderAdapter, Router } from '@aurora/router';
import type { BackgroundWork } from './background/background-work';
import type { CostAccrual } from './background/cost-accrual';
import type { DecisionRetention } from './background/decision-retention';
import type { OutcomeRecorder } from './background/outcome-recorder';
import type { Reconciler } from './background/reconciler';
import type { StatusPoller } from './background/status-poller';
import type { ServerConfig } from './config/server-config';
import type { IdempotentExecutor } from './idempotency/idempotent-executor';
import type { DeploymentStore } from './ledger/index';
import type { PrometheusMetrics } from './metrics/prometheus-metrics';
import type { PolicyRuntime } from './policy/policy-runtime';
import type { MarketBook } from './providers/market-book';
import type { ProviderEntry } from './providers/provider-entry';
import type { BudgetGuard } from './routing/budget-guard';
import type { LedgerRegistry } from './routing/ledger-registry';

/** Everything a running server holds, decorated on the fastify instance as `aurora`. */
export type ServerContext = {
  readonly config: ServerConfig;
  readonly router: Router;
  readonly store: DeploymentStore;
  /** The ledger as the router's registry; knows the JSON of the decisions it saved. */
  readonly registry: LedgerRegistry;
  /** The routing policy of the configured mode, its decision log, rollout and evaluation (GET /policy). */
  readonly policy: PolicyRuntime;
  readonly providers: readonly ProviderEntry[];
  readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  readonly market: MarketBook;
  readonly metrics: PrometheusMetrics;
  readonly idempotency: IdempotentExecutor;
  readonly budgets: BudgetGuard;
  readonly outcomes: OutcomeRecorder;
  readonly reconciler: Reconciler;
  readonly poller: StatusPoller;
  readonly costs: CostAccrual;
  /** Absent when `ledger.decision_retention_days` is null. */
  readonly retention: DecisionRetention | undefined;
  readonly background: BackgroundWork;
  readonly clock: { now(): number };
  /** Aborted when the server starts closing: log streams end, readiness turns false. */
  readonly shutdownSignal: AbortSignal;
};

declare module 'fastify' {
  interface FastifyInstance {
    aurora: ServerContext;
  }
}
