import { InvalidArgumentError, NotFoundError, type Decision, type Deployment, type Offer, type Outcome } from '@aurora/router';
import { deploymentParameters, rowToDeployment, type SqlValue } from './deployment-columns';
import type {
  AppliedMigration,
  ClaimIdempotencyKeyOptions,
  CompleteIdempotencyKeyOptions,
  DecisionRecord,
  DeploymentStore,
  IdempotencyClaim,
  ListDecisionsOptions,
  ListDeploymentsOptions,
  Page,
  PolicyState,
  OutcomeClaim,
  PurgeDecisionsOptions,
  PurgedDecisions,
  SaveDecisionContext,
  SaveRouteOptions,
  SpendOptions,
  TenantScope,
} from './deployment-store';
import {
  assertDay,
  assertNonEmpty,
  assertIsoTime,
  assertNonNegativeAmount,
  assertPageLimit,
  assertPositiveInteger,
  assertPolicyVersion,
  tenantKey,
} from './ledger-arguments';
import type { LedgerConnection } from './ledger-connection';
import { LedgerError, toLedgerError } from './ledger-error';
import {
  decodeJsonText,
  decodeParsedJson,
  toAppliedMigration,
  toDecisionRecord,
  toExistingClaim,
  toPage,
  toPolicyState,
  type DecodeJson,
  type Row,
} from './ledger-rows';
import { buildListDecisionsQuery, buildListDeploymentsQuery, ledgerStatements, type LedgerStatements } from './ledger-sql';
import type { Migration } from './migration';
import { DecisionLogStorage, decodeDecisionLog, offerRetentionCutoff, referencedOfferKeys, type EncodedDecisionLog } from './decision-log-storage';

export type LedgerStoreOptions = {
  connection: LedgerConnection;
  migrations: readonly Migration[];
  /** The clock for `completed_at` and `updated_at` stamps the ledger adds itself. */
  now?: () => Date;
};

/**
 * A unique-key violation: SQLITE_CONSTRAINT_PRIMARYKEY (1555) or _UNIQUE (2067), PostgreSQL 23505.
 * In `saveIntentClaimingKey` only the claim can raise one (the deployment is an upsert).
 */
function isUniqueViolation(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  return errcode === 1555 || errcode === 2067 || code === '23505';
}

type Statement = { statement: string; values: SqlValue[] };

function decisionParameters(decision: Decision, { tenant, request, decision_json: decisionJson }: SaveDecisionContext, logText: string | null): SqlValue[] {
  return [
    decision.decision_id,
    tenant == null ? null : tenantKey(tenant),
    decision.created_at,
    decision.policy.id,
    decision.policy.version,
    decision.arm,
    decisionJson ?? JSON.stringify(decision),
    JSON.stringify(request),
    logText,
  ];
}

const maximumLatestDecisions = 100_000;

/** An outcome that carries the bill: what it cost and the GPU-hours it delivered. */
function hasBill(outcome: Outcome): boolean {
  return outcome.cost_usd !== undefined && outcome.gpu_hours_delivered !== undefined;
}

/** Rows deleted per statement by `purgeDecisions`: short writes that let routes' writes in between. */
const defaultPurgeBatchSize = 2_000;

// A claim that loses to a row which is released before it can be read simply claims again.
const maximumClaimAttempts = 5;

/** The ledger's behaviour, written once over a `LedgerConnection` for both dialects. */
export function createLedgerStore(options: LedgerStoreOptions): DeploymentStore {
  return new LedgerStore(options);
}

class LedgerStore implements DeploymentStore {
  readonly dialect: 'sqlite' | 'postgres';
  private readonly connection: LedgerConnection;
  private readonly migrations: readonly Migration[];
  private readonly now: () => Date;
  private readonly sql: LedgerStatements;
  private readonly decodeJson: DecodeJson;
  private closing: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly decisionLogs: DecisionLogStorage;

  constructor({ connection, migrations, now = () => new Date() }: LedgerStoreOptions) {
    this.connection = connection;
    this.dialect = connection.dialect;
    this.migrations = migrations;
    this.now = now;
    this.decisionLogs = new DecisionLogStorage({ now: () => now().getTime() });
    this.sql = ledgerStatements(connection.dialect);
    this.decodeJson = connection.dialect === 'sqlite' ? decodeJsonText : decodeParsedJson;
  }

  migrate(): Promise<void> {
    return this.operation('migrate', () => this.connection.migrate(this.migrations));
  }

  listAppliedMigrations(): Promise<AppliedMigration[]> {
    return this.operation('listAppliedMigrations', async () =>
      (await this.connection.read(this.sql.listMigrations, [])).map(toAppliedMigration),
    );
  }

  /** Refuses new calls, lets the ones in flight finish (queued writes commit), then disconnects. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([...this.inFlight])
      .then(() => this.connection.close())
      .catch((error: unknown) => {
        throw toLedgerError(error, 'close');
      });
    return this.closing;
  }

  save(deployment: Deployment): Promise<void> {
    return this.operation('save', async () => {
      tenantKey(deployment.tenant);
      await this.connection.write(this.sql.upsertDeployment, deploymentParameters(deployment));
    });
  }

  get(id: string): Promise<Deployment | undefined> {
    return this.operation('get', async () => {
      const rows = await this.connection.read(this.sql.getDeployment, [id]);
      return rows[0] === undefined ? undefined : rowToDeployment(rows[0]);
    });
  }

  getForTenant(id: string, tenant: TenantScope): Promise<Deployment | undefined> {
    return this.operation('getForTenant', async () => {
      const rows = await this.connection.read(this.sql.getDeploymentForTenant, [id, tenantKey(tenant)]);
      return rows[0] === undefined ? undefined : rowToDeployment(rows[0]);
    });
  }

  findByIdempotencyKey(key: string, tenant?: string | null): Promise<Deployment | undefined> {
    return this.operation('findByIdempotencyKey', async () => {
      const rows = await this.connection.read(this.sql.findByIdempotencyKey, [tenantKey(tenant), key]);
      return rows[0] === undefined ? undefined : rowToDeployment(rows[0]);
    });
  }

  findByProviderDeploymentId(provider: string, providerDeploymentId: string): Promise<Deployment | undefined> {
    return this.operation('findByProviderDeploymentId', async () => {
      const rows = await this.connection.read(this.sql.findByProviderDeploymentId, [provider, providerDeploymentId]);
      return rows[0] === undefined ? undefined : rowToDeployment(rows[0]);
    });
  }

  list(options: ListDeploymentsOptions): Promise<Page<Deployment>> {
    return this.operation('list', async () => {
      assertPageLimit(options.limit);
      const query = buildListDeploymentsQuery(options);
      const rows = await this.connection.read(query.text, query.values, { prepared: false });
      return toPage(rows, options.limit, rowToDeployment, (row) => ({
        created_at: row.created_at as string,
        id: row.deployment_id as string,
      }));
    });
  }

  listLive(): Promise<Deployment[]> {
    return this.operation('listLive', async () => (await this.connection.read(this.sql.listLive, [])).map(rowToDeployment));
  }

  addCost(deploymentId: string, usd: number, at: string): Promise<number> {
    return this.operation('addCost', async () => {
      assertNonNegativeAmount(usd);
      const { rows } = await this.connection.write(this.sql.addCost, [deploymentId, usd, at]);
      if (rows[0] === undefined) throw new NotFoundError({ resource: 'deployment', id: deploymentId });
      return Number(rows[0].cost_usd);
    });
  }

  spend({ tenant, since }: SpendOptions = {}): Promise<number> {
    return this.operation('spend', async () => {
      const [statement, values] = this.spendQuery(tenant, since);
      const rows = await this.connection.read(statement, values);
      return Number(rows[0]?.total ?? 0);
    });
  }

  /** Lifetime figures come from `tenant_spend`, figures since a day from `daily_spend`. */
  private spendQuery(tenant: TenantScope | undefined, since: string | undefined): [string, SqlValue[]] {
    if (since === undefined) {
      return tenant === undefined ? [this.sql.spendAll, []] : [this.sql.spendTenant, [tenantKey(tenant)]];
    }
    assertDay(since, 'since');
    return tenant === undefined ? [this.sql.spendAllSince, [since]] : [this.sql.spendTenantSince, [tenantKey(tenant), since]];
  }

  claimIdempotencyKey({ tenant, key, request_hash, now }: ClaimIdempotencyKeyOptions): Promise<IdempotencyClaim> {
    return this.operation('claimIdempotencyKey', async () => {
      const tenantId = tenantKey(tenant);
      assertNonEmpty(key, 'key');
      for (let attempt = 1; attempt <= maximumClaimAttempts; attempt++) {
        const inserted = await this.connection.write(this.sql.claimIdempotencyKey, [tenantId, key, request_hash, now]);
        if (inserted.rows.length > 0) return { outcome: 'claimed' } as const;
        const existing = await this.connection.read(this.sql.getIdempotencyKey, [tenantId, key]);
        if (existing[0] !== undefined) return toExistingClaim(existing[0], this.decodeJson);
      }
      throw new LedgerError({
        message: `Idempotency key ${key} kept changing while being claimed`,
        operation: 'claimIdempotencyKey',
        isRetryable: true,
      });
    });
  }

  peekIdempotencyKey({ tenant, key }: { tenant: TenantScope; key: string }): Promise<Exclude<IdempotencyClaim, { outcome: 'claimed' }> | undefined> {
    return this.operation('peekIdempotencyKey', async () => {
      const rows = await this.connection.read(this.sql.getIdempotencyKey, [tenantKey(tenant), key]);
      return rows[0] === undefined ? undefined : (toExistingClaim(rows[0], this.decodeJson) as Exclude<IdempotencyClaim, { outcome: 'claimed' }>);
    });
  }

  saveIntentClaimingKey(deployment: Deployment, { tenant, key, request_hash, now }: ClaimIdempotencyKeyOptions): Promise<{ claimed: boolean }> {
    return this.operation('saveIntentClaimingKey', async () => {
      tenantKey(deployment.tenant);
      assertNonEmpty(key, 'key');
      try {
        await this.connection.writeAtomically([
          { statement: this.sql.claimIdempotencyKeyOrFail, values: [tenantKey(tenant), key, request_hash, now] },
          { statement: this.sql.upsertDeployment, values: deploymentParameters(deployment) },
        ]);
        return { claimed: true };
      } catch (error) {
        if (isUniqueViolation(error)) return { claimed: false };
        throw error;
      }
    });
  }

  completeIdempotencyKey({ tenant, key, response_status, response_body }: CompleteIdempotencyKeyOptions): Promise<void> {
    return this.operation('completeIdempotencyKey', async () => {
      const body = response_body === undefined ? null : JSON.stringify(response_body);
      const { changes } = await this.connection.write(this.sql.completeIdempotencyKey, [
        tenantKey(tenant),
        key,
        response_status,
        body,
        this.now().toISOString(),
      ]);
      if (changes === 0) throw new NotFoundError({ resource: 'idempotency_key', id: key });
    });
  }

  releaseIdempotencyKey({ tenant, key }: { tenant: TenantScope; key: string }): Promise<void> {
    return this.operation('releaseIdempotencyKey', async () => {
      await this.connection.write(this.sql.releaseIdempotencyKey, [tenantKey(tenant), key]);
    });
  }

  purgeIdempotencyKeys(olderThan: string): Promise<number> {
    return this.operation('purgeIdempotencyKeys', async () => {
      const { changes } = await this.connection.write(this.sql.purgeIdempotencyKeys, [olderThan]);
      return changes;
    });
  }

  purgeDecisions({ olderThan, batchSize = defaultPurgeBatchSize, maxBatches = Number.POSITIVE_INFINITY }: PurgeDecisionsOptions): Promise<PurgedDecisions> {
    return this.operation('purgeDecisions', async () => {
      const cutoff = assertIsoTime(olderThan, 'olderThan');
      assertPositiveInteger(batchSize, 'batchSize');
      const purged: PurgedDecisions = { decisions: 0, outcomes: 0, offers: 0 };
      let batches = 0;
      const more = (changes: number) => changes === batchSize && ++batches < maxBatches;
      for (;;) {
        const [outcomes, decisions] = await this.connection.writeAtomically([
          { statement: this.sql.purgeOutcomesOfOldDecisions, values: [olderThan, batchSize] },
          { statement: this.sql.purgeOldDecisions, values: [olderThan, batchSize] },
        ]);
        purged.outcomes += outcomes!.changes;
        purged.decisions += decisions!.changes;
        if (!more(decisions!.changes)) break;
      }
      // Offers written by a version without `last_seen_at` are adopted now, and age from here.
      await this.connection.write(this.sql.adoptUnseenDecisionOffers, [this.now().toISOString()]);
      const offersBefore = offerRetentionCutoff(cutoff).toISOString();
      for (batches = 0; ; ) {
        const { changes } = await this.connection.write(this.sql.purgeUnseenDecisionOffers, [offersBefore, batchSize]);
        purged.offers += changes;
        if (!more(changes)) break;
      }
      return purged;
    });
  }

  saveDecision(decision: Decision, context: SaveDecisionContext): Promise<void> {
    return this.operation('saveDecision', async () => {
      const { statements, offers } = this.decisionStatements(decision, context);
      if (statements.length === 1) await this.connection.write(statements[0]!.statement, statements[0]!.values);
      else await this.connection.writeAtomically(statements);
      if (offers) this.decisionLogs.markCommitted(offers);
    });
  }

  /** The decision's upsert, preceded by the writes of the log's offers not recently written. */
  private decisionStatements(decision: Decision, context: SaveDecisionContext): { statements: Statement[]; offers: EncodedDecisionLog | undefined } {
    const encoded = context.log === undefined ? undefined : this.decisionLogs.encode(context.log);
    const statements: Statement[] = [];
    if (encoded && encoded.newOffers.length > 0) {
      const seenAt = new Date(encoded.seenAt).toISOString();
      for (const { key, json } of encoded.newOffers) statements.push({ statement: this.sql.upsertDecisionOffer, values: [key, json, seenAt] });
    }
    statements.push({ statement: this.sql.upsertDecision, values: decisionParameters(decision, context, encoded?.text ?? null) });
    return { statements, offers: encoded };
  }

  /** Decision records of rows, their logs' offers read in one query. */
  private async toDecisionRecords(rows: readonly Row[]): Promise<DecisionRecord[]> {
    const logs = rows.map((row) => (row.log == null ? undefined : this.decodeJson(row.log)));
    const keys = new Set(logs.flatMap((log) => referencedOfferKeys(log)));
    const offers = new Map<string, Offer>();
    if (keys.size > 0) {
      for (const row of await this.connection.read(this.sql.selectDecisionOffers, [JSON.stringify([...keys])])) {
        offers.set(row.offer_key as string, this.decodeJson(row.offer) as Offer);
      }
    }
    return rows.map((row, index) => {
      const log = logs[index];
      return toDecisionRecord(row, this.decodeJson, log === undefined ? undefined : decodeDecisionLog(log, offers));
    });
  }

  saveRoute({ deployment, decision, complete, ...context }: SaveRouteOptions): Promise<{ completed: boolean }> {
    return this.operation('saveRoute', async () => {
      tenantKey(deployment.tenant);
      const { statements: decisionStatements, offers } = this.decisionStatements(decision, context);
      const statements: Statement[] = [{ statement: this.sql.upsertDeployment, values: deploymentParameters(deployment) }, ...decisionStatements];
      const completeAt = statements.length;
      if (complete) {
        assertNonEmpty(complete.key, 'key');
        statements.push({
          statement: this.sql.completeClaimedIdempotencyKey,
          values: [
            tenantKey(complete.tenant),
            complete.key,
            complete.response_status,
            complete.response_body === undefined ? null : JSON.stringify(complete.response_body),
            this.now().toISOString(),
          ],
        });
      }
      const results = await this.connection.writeAtomically(statements);
      if (offers) this.decisionLogs.markCommitted(offers);
      return { completed: complete !== undefined && (results[completeAt]?.changes ?? 0) > 0 };
    });
  }

  getDecision(id: string): Promise<DecisionRecord | undefined> {
    return this.operation('getDecision', async () => {
      const rows = await this.connection.read(this.sql.getDecision, [id]);
      return rows[0] === undefined ? undefined : (await this.toDecisionRecords(rows))[0];
    });
  }

  saveOutcome(outcome: Outcome): Promise<OutcomeClaim> {
    return this.operation('saveOutcome', async () => {
      assertNonEmpty(outcome.decision_id, 'decision_id');
      const values = [outcome.decision_id, outcome.deployment_id ?? null, outcome.observed_at, JSON.stringify(outcome)];
      const billed = hasBill(outcome);
      const statements: Statement[] = [{ statement: this.sql.claimOutcome, values: [...values, billed ? 1 : 0] }];
      if (billed) statements.push({ statement: this.sql.claimOutcomeBill, values: [outcome.decision_id] });
      statements.push({ statement: this.sql.upsertOutcome, values });
      const [inserted, bill] = await this.connection.writeAtomically(statements);
      const first = inserted!.rows.length > 0;
      return { first, first_bill: billed && (first || bill!.rows.length > 0) };
    });
  }

  listDecisions(options: ListDecisionsOptions): Promise<Page<DecisionRecord>> {
    return this.operation('listDecisions', async () => {
      assertPageLimit(options.limit);
      const query = buildListDecisionsQuery(this.sql.decisionRecord, options);
      const rows = await this.connection.read(query.text, query.values, { prepared: false });
      const page = toPage(rows, options.limit, (row) => row, (row) => ({ created_at: row.created_at as string, id: row.decision_id as string }));
      return { items: await this.toDecisionRecords(page.items), next_cursor: page.next_cursor };
    });
  }

  latestDecisionsWithOutcome({ since, limit }: { since: string; limit: number }): Promise<DecisionRecord[]> {
    return this.operation('latestDecisionsWithOutcome', async () => {
      if (!Number.isInteger(limit) || limit < 1 || limit > maximumLatestDecisions) {
        throw new InvalidArgumentError({ issues: [{ field: 'limit', reason: `must be a whole number from 1 to ${maximumLatestDecisions}` }] });
      }
      return this.toDecisionRecords(await this.connection.read(this.sql.latestDecisionsWithOutcome, [since, limit]));
    });
  }

  loadPolicyState(policyId: string): Promise<PolicyState | undefined> {
    return this.operation('loadPolicyState', async () => {
      const rows = await this.connection.read(this.sql.loadPolicyState, [policyId]);
      return rows[0] === undefined ? undefined : toPolicyState(rows[0]);
    });
  }

  savePolicyState(policyId: string, stateJson: string, version: number): Promise<boolean> {
    return this.operation('savePolicyState', async () => {
      assertNonEmpty(policyId, 'policy_id');
      assertPolicyVersion(version);
      if (typeof stateJson !== 'string') {
        throw new InvalidArgumentError({ issues: [{ field: 'state_json', reason: 'must be a JSON string' }] });
      }
      const { changes } = await this.connection.write(this.sql.savePolicyState, [
        policyId,
        stateJson,
        version,
        this.now().toISOString(),
      ]);
      return changes > 0;
    });
  }

  tryAcquireLeadership(name: string): Promise<boolean> {
    return this.operation('tryAcquireLeadership', () => {
      assertNonEmpty(name, 'name');
      return this.connection.tryAcquireLeadership(name);
    });
  }

  releaseLeadership(name: string): Promise<void> {
    return this.operation('releaseLeadership', () => this.connection.releaseLeadership(name));
  }

  private operation<T>(name: string, run: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) {
      return Promise.reject(new LedgerError({ message: `Ledger ${name} failed: the store is closed`, operation: name }));
    }
    const pending = this.guarded(name, run);
    this.inFlight.add(pending);
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  private async guarded<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toLedgerError(error, name);
    }
  }
}
