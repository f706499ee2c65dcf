import type { Decision, DecisionLogRecord, Deployment, DeploymentStatus, Outcome, RoutingRequest } from '@aurora/router';

/** A tenant filter: a tenant id, or `null` for records that belong to no tenant. */
export type TenantScope = string | null;

export type ListDeploymentsOptions = {
  /** Omitted: every tenant. `null`: only deployments without a tenant. */
  tenant?: TenantScope;
  status?: DeploymentStatus | readonly DeploymentStatus[];
  provider?: string;
  /** `next_cursor` of the previous page. */
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
};

export type Page<T> = {
  items: T[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  next_cursor: string | null;
};

export type ClaimIdempotencyKeyOptions = {
  tenant: TenantScope;
  key: string;
  /** A hash of the request body; a replay with another hash is a conflict for the caller to report. */
  request_hash: string;
  /** ISO-8601 UTC timestamp of the claim; keys expire by it (see `purgeIdempotencyKeys`). */
  now: string;
};

export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'in_progress'; request_hash: string }
  | { outcome: 'completed'; request_hash: string; response_status: number; response_body: unknown };

export type CompleteIdempotencyKeyOptions = {
  tenant: TenantScope;
  key: string;
  response_status: number;
  /** Any JSON value; a replay gets it back as stored. */
  response_body: unknown;
};

export type SaveDecisionContext = {
  tenant: TenantScope;
  request: RoutingRequest;
  /** `JSON.stringify(decision)` when the caller has it already: the decision is not serialised again. */
  decision_json?: string;
  /**
   * The policy's decision log record (every candidate it saw, the propensities) for off-policy
   * evaluation and export; a later save without one keeps the stored record.
   */
  log?: DecisionLogRecord;
};

/** A successful route's record: its deployment (provider id set) and decision, saved in one write. */
export type SaveRouteOptions = SaveDecisionContext & {
  deployment: Deployment;
  decision: Decision;
  /**
   * Completes this idempotency key in the same write, if it is claimed and still in progress (a key
   * not claimed, or completed already, is left as it is).
   */
  complete?: CompleteIdempotencyKeyOptions;
};

/** One logged decision with its request and, once observed, its outcome. */
export type DecisionRecord = {
  decision: Decision;
  request: RoutingRequest;
  tenant: string | null;
  outcome: Outcome | null;
  /** The decision log record saved with it (outcome not joined); absent when none was. */
  log?: DecisionLogRecord;
};

export type ListDecisionsOptions = {
  /** ISO-8601 UTC; decisions created at or after it. */
  since?: string;
  cursor?: string | null;
  /** 1 to 1000. */
  limit: number;
};

export type SpendOptions = {
  /** Omitted: every tenant. `null`: only deployments without a tenant. */
  tenant?: TenantScope;
  /**
   * A UTC day, 'YYYY-MM-DD': only spend recorded on that day or later. Omitted: all spend ever. A
   * cost increment counts on the UTC day of the `updated_at` its write left on the deployment
   * (`addCost`'s `at`, or the saved `updated_at`); cost recorded before the ledger kept days
   * (migration 6) counts on the day the deployment was last updated before it.
   */
  since?: string;
};

export type PolicyState = {
  policy_id: string;
  state_json: string;
  version: number;
  updated_at: string;
};

export type AppliedMigration = {
  version: number;
  name: string;
  applied_at: string;
};

/** What one `saveOutcome` was the first to record. */
export type OutcomeClaim = { first: boolean; first_bill: boolean };

export type PurgeDecisionsOptions = {
  /** ISO-8601 UTC: decisions created before it go. */
  olderThan: string;
  /** Rows per delete statement (default 2,000): each is one short write. */
  batchSize?: number;
  /** Stop after this many batches of each kind; the next call goes on (default: until done). */
  maxBatches?: number;
};

export type PurgedDecisions = { decisions: number; outcomes: number; offers: number };

/**
 * The server's durable ledger: deployments, idempotency keys, decisions and outcomes, policy state
 * and background-loop leadership. Every method is async and every resolved write is committed.
 * Timestamps are ISO-8601 UTC strings (`Date#toISOString`): ordering and expiry compare them as
 * text. Usable as the router's `DeploymentRegistry` (`get`, `save`, `findByIdempotencyKey`).
 */
export interface DeploymentStore {
  readonly dialect: 'sqlite' | 'postgres';

  /** Applies pending migrations; safe to call again and from several replicas at once. */
  migrate(): Promise<void>;
  listAppliedMigrations(): Promise<AppliedMigration[]>;
  /** Commits queued writes, releases leadership and closes connections. */
  close(): Promise<void>;

  /**
   * Upserts by `deployment_id`. `created_at` is kept from the first write, `cost_usd` never goes
   * down (a stale writer cannot erase accrued cost), and a non-terminal write to a deployment that
   * is already terminal is ignored: a finished deployment is never revived by a stale copy.
   */
  save(deployment: Deployment): Promise<void>;
  get(id: string): Promise<Deployment | undefined>;
  /** The deployment only if it belongs to `tenant` (`null`: to no tenant). */
  getForTenant(id: string, tenant: TenantScope): Promise<Deployment | undefined>;
  /** The newest deployment recorded under this key; `tenant` omitted means no tenant. */
  findByIdempotencyKey(key: string, tenant?: string | null): Promise<Deployment | undefined>;
  /** The newest deployment placed at `provider` under that provider id: what the orphan sweep asks. */
  findByProviderDeploymentId(provider: string, providerDeploymentId: string): Promise<Deployment | undefined>;
  /** Newest first, paged by (created_at, deployment_id). */
  list(options: ListDeploymentsOptions): Promise<Page<Deployment>>;
  /** Every deployment that is not terminal, oldest first: the reconciler's and the poller's work list. */
  listLive(): Promise<Deployment[]>;
  /** Atomically adds `usd` (>= 0) to the deployment's cost; returns the new total. */
  addCost(deploymentId: string, usd: number, at: string): Promise<number>;
  /**
   * Sum of `cost_usd`: of one tenant (`null`: of deployments without one), or of all when `tenant`
   * is omitted; with `since`, only what was spent from that UTC day on (a budget period).
   */
  spend(options?: SpendOptions): Promise<number>;

  /** Atomic: of any number of concurrent claims of one (tenant, key), exactly one gets 'claimed'. */
  claimIdempotencyKey(options: ClaimIdempotencyKeyOptions): Promise<IdempotencyClaim>;
  /** The key's claim as it stands (`undefined`: nobody claimed it); a read, nothing is claimed. */
  peekIdempotencyKey(options: { tenant: TenantScope; key: string }): Promise<Exclude<IdempotencyClaim, { outcome: 'claimed' }> | undefined>;
  /**
   * Claims the key and saves the deployment (its intent) in one atomic write: both or neither.
   * `claimed: false` when the key was claimed already (then nothing was written). Of any number of
   * concurrent calls for one key, from any replica, at most one claims it.
   */
  saveIntentClaimingKey(deployment: Deployment, claim: ClaimIdempotencyKeyOptions): Promise<{ claimed: boolean }>;
  completeIdempotencyKey(options: CompleteIdempotencyKeyOptions): Promise<void>;
  /** Forgets an in-progress claim so a retry can run; a completed key stays. */
  releaseIdempotencyKey(options: { tenant: TenantScope; key: string }): Promise<void>;
  /** Deletes keys claimed before `olderThan` (ISO-8601 UTC); returns how many. */
  purgeIdempotencyKeys(olderThan: string): Promise<number>;

  /**
   * Deletes the decisions created before `olderThan` (ISO-8601 UTC) with their outcomes, in
   * batches, then the logged offers no remaining or future record can refer to.
   */
  purgeDecisions(options: PurgeDecisionsOptions): Promise<PurgedDecisions>;

  /** Upserts by `decision_id` (the router may save again once attempts are known). */
  saveDecision(decision: Decision, context: SaveDecisionContext): Promise<void>;
  /**
   * `save(deployment)`, `saveDecision(decision, context)` and, when asked, the completion of the
   * route's idempotency key, all in one atomic write: one commit where there would be three.
   * Resolves with whether the key was completed.
   */
  saveRoute(options: SaveRouteOptions): Promise<{ completed: boolean }>;
  getDecision(id: string): Promise<DecisionRecord | undefined>;
  /**
   * Upserts the outcome of `outcome.decision_id`; the latest observation wins. The claim says
   * whether this write was the first to record the decision's outcome, and the first to record
   * its bill (`cost_usd` with `gpu_hours_delivered`): of any number of writers, from any replica,
   * exactly one gets each, so what is counted per decision is counted once.
   */
  saveOutcome(outcome: Outcome): Promise<OutcomeClaim>;
  /** Oldest first, paged by (created_at, decision_id): the JSON-lines export for policy training. */
  listDecisions(options: ListDecisionsOptions): Promise<Page<DecisionRecord>>;
  /**
   * The newest `limit` decisions (1 to 100,000) created at or after `since` that have an outcome,
   * newest first: what off-policy evaluation reads, without scanning the rest of the window.
   */
  latestDecisionsWithOutcome(options: { since: string; limit: number }): Promise<DecisionRecord[]>;

  loadPolicyState(policyId: string): Promise<PolicyState | undefined>;
  /**
   * Stores the state if `version` is newer than the stored one (optimistic concurrency between
   * replicas); returns whether it was stored.
   */
  savePolicyState(policyId: string, stateJson: string, version: number): Promise<boolean>;

  /**
   * True while this store holds the named leadership (the reconciler, cost accrual). Call it on
   * every tick: it also notices a lost lock. SQLite has one process and always answers true.
   */
  tryAcquireLeadership(name: string): Promise<boolean>;
  releaseLeadership(name: string): Promise<void>;
}
