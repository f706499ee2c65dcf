import type { EventEmitter } from 'eventemitter3';
import type { Decision } from '../schemas/decision';
import type { Deployment } from '../schemas/deployment';
import type { LogLine } from '../schemas/log-line';
import type { OutcomeInput, Outcome } from '../schemas/outcome';
import type { ProviderHealth } from '../schemas/provider-health';
import type { RoutingRequestInput } from '../schemas/routing-request';
import type { QuoteResult } from './quote-offers';
import type { RouterEvents } from './router-events';

export type QuoteOptions = {
  signal?: AbortSignal;
  tenant?: string;
  /** Most the whole request may cost; the lower of this and `limits.budget_per_request_usd` applies. */
  budget_usd?: number;
};

export type RouteOptions = QuoteOptions & {
  /**
   * One deployment per key (and tenant): a concurrent or later `route` with the same key returns
   * the same result instead of deploying again. Reusing a key with another request is a
   * `ConflictError`. A failed route is not remembered: retrying its key routes again.
   */
  idempotency_key?: string;
};

export type RouteResult = { decision: Decision; deployment: Deployment };

export type LogsOptions = { follow?: boolean; since?: string; tail?: number; signal?: AbortSignal };

/** The router: quote, decide, deploy with failover, and watch the deployments it made. */
export type StatusOptions = { known?: Deployment };

export interface Router extends EventEmitter<RouterEvents> {
  /** Ranks the offers available now for a request. No side effects. */
  quote(request: RoutingRequestInput, options?: QuoteOptions): Promise<QuoteResult>;
  /**
   * Quotes, lets the policy decide, deploys with failover. Throws `InvalidArgumentError`,
   * `NoEligibleOfferError`, `DeployFailedError`, `ConflictError`.
   */
  route(request: RoutingRequestInput, options?: RouteOptions): Promise<RouteResult>;
  /**
   * The deployment, refreshed from its provider while not terminal; `cost_usd` brought up to now.
   * `known`: the deployment as the caller just read it from the registry (a status loop over
   * `listLive()`), which saves reading it again.
   */
  status(deploymentId: string, options?: StatusOptions): Promise<Deployment>;
  logs(deploymentId: string, options?: LogsOptions): AsyncIterable<LogLine>;
  /** Idempotent: a terminal deployment is returned as it is; concurrent calls share one. */
  terminate(deploymentId: string): Promise<Deployment>;
  /** Health from the last `checkHealth()` and the circuit state of every provider. */
  providers(): ProviderHealth[];
  /** Runs the adapters' health checks (all, or one) and feeds the results to the circuit breaker. */
  checkHealth(provider?: string): Promise<ProviderHealth[]>;
  /** Validates an outcome and passes it to the policy (`observe`). */
  recordOutcome(outcome: OutcomeInput): Promise<Outcome>;
  /** The decision record of an earlier route, from this process or the registry. */
  getDecision(decisionId: string): Promise<Decision | undefined>;
  /** Closes every adapter that has `close()`. */
  close(): Promise<void>;
}
