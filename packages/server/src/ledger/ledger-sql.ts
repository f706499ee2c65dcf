import { buildDeploymentUpsert, deploymentColumnList, liveStatusList, type SqlValue } from './deployment-columns';
import type { ListDecisionsOptions, ListDeploymentsOptions } from './deployment-store';
import { tenantKey } from './ledger-arguments';
import { decodePageCursor } from './page-cursor';

/**
 * The ledger's statements, shared by both dialects. They are written with PostgreSQL's `$n`
 * placeholders; the SQLite store rewrites them to SQLite's equivalent `?n`.
 */
export type Dialect = 'sqlite' | 'postgres';

export function ledgerStatements(dialect: Dialect) {
  const greatest = dialect === 'sqlite' ? 'max' : 'GREATEST';
  const selectDeployments = `SELECT ${deploymentColumnList} FROM deployments`;
  const decisionRecord =
    'SELECT d.decision, d.request, d.tenant, d.created_at, d.decision_id, d.log, o.outcome ' +
    'FROM decisions d LEFT JOIN outcomes o ON o.decision_id = d.decision_id';
  return {
    upsertDeployment: buildDeploymentUpsert({ placeholder: (index) => `$${index}`, greatest }),
    getDeployment: `${selectDeployments} WHERE deployment_id = $1`,
    getDeploymentForTenant: `${selectDeployments} WHERE deployment_id = $1 AND COALESCE(tenant, '') = $2`,
    findByIdempotencyKey:
      `${selectDeployments} WHERE COALESCE(tenant, '') = $1 AND idempotency_key = $2 ` +
      'ORDER BY created_at DESC, deployment_id DESC LIMIT 1',
    findByProviderDeploymentId:
      `${selectDeployments} WHERE provider = $1 AND provider_deployment_id = $2 ` +
      'ORDER BY created_at DESC, deployment_id DESC LIMIT 1',
    listLive: `${selectDeployments} WHERE status IN ${liveStatusList} ORDER BY created_at, deployment_id`,
    addCost:
      'UPDATE deployments SET cost_usd = cost_usd + $2, ' +
      'updated_at = CASE WHEN $3 > updated_at THEN $3 ELSE updated_at END ' +
      'WHERE deployment_id = $1 RETURNING cost_usd',
    spendAll: 'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM tenant_spend',
    spendTenant: 'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM tenant_spend WHERE tenant_key = $1',
    /** $1: the first day, 'YYYY-MM-DD'. */
    spendAllSince: 'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM daily_spend WHERE day >= $1',
    spendTenantSince: 'SELECT COALESCE(SUM(cost_usd), 0) AS total FROM daily_spend WHERE tenant_key = $1 AND day >= $2',

    claimIdempotencyKey:
      'INSERT INTO idempotency_keys (tenant_key, idempotency_key, request_hash, state, created_at) ' +
      "VALUES ($1, $2, $3, 'in_progress', $4) ON CONFLICT (tenant_key, idempotency_key) DO NOTHING RETURNING request_hash",
    claimIdempotencyKeyOrFail:
      'INSERT INTO idempotency_keys (tenant_key, idempotency_key, request_hash, state, created_at) ' +
      "VALUES ($1, $2, $3, 'in_progress', $4)",
    getIdempotencyKey:
      'SELECT request_hash, state, response_status, response_body FROM idempotency_keys ' +
      'WHERE tenant_key = $1 AND idempotency_key = $2',
    completeIdempotencyKey:
      "UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = $5 " +
      'WHERE tenant_key = $1 AND idempotency_key = $2',
    completeClaimedIdempotencyKey:
      "UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4, completed_at = $5 " +
      "WHERE tenant_key = $1 AND idempotency_key = $2 AND state = 'in_progress'",
    releaseIdempotencyKey:
      "DELETE FROM idempotency_keys WHERE tenant_key = $1 AND idempotency_key = $2 AND state = 'in_progress'",
    purgeIdempotencyKeys: 'DELETE FROM idempotency_keys WHERE created_at < $1',

    upsertDecision:
      'INSERT INTO decisions (decision_id, tenant, created_at, policy_id, policy_version, arm, decision, request, log) ' +
      'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (decision_id) DO UPDATE SET ' +
      'tenant = excluded.tenant, policy_id = excluded.policy_id, policy_version = excluded.policy_version, ' +
      'arm = excluded.arm, decision = excluded.decision, request = excluded.request, log = COALESCE(excluded.log, decisions.log)',
    getDecision: `${decisionRecord} WHERE d.decision_id = $1`,
    latestDecisionsWithOutcome:
      'SELECT d.decision, d.request, d.tenant, d.created_at, d.decision_id, d.log, o.outcome ' +
      'FROM decisions d JOIN outcomes o ON o.decision_id = d.decision_id ' +
      'WHERE d.created_at >= $1 ORDER BY d.created_at DESC, d.decision_id DESC LIMIT $2',
    claimOutcome:
      'INSERT INTO outcomes (decision_id, deployment_id, observed_at, outcome, billed) VALUES ($1, $2, $3, $4, $5) ' +
      'ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id',
    claimOutcomeBill: 'UPDATE outcomes SET billed = 1 WHERE decision_id = $1 AND billed = 0 RETURNING decision_id',
    upsertOutcome:
      'INSERT INTO outcomes (decision_id, deployment_id, observed_at, outcome) VALUES ($1, $2, $3, $4) ' +
      'ON CONFLICT (decision_id) DO UPDATE SET deployment_id = excluded.deployment_id, ' +
      'observed_at = excluded.observed_at, outcome = excluded.outcome',
    decisionRecord,
    upsertDecisionOffer:
      'INSERT INTO decision_offers (offer_key, offer, last_seen_at) VALUES ($1, $2, $3) ON CONFLICT (offer_key) DO UPDATE ' +
      'SET last_seen_at = excluded.last_seen_at ' +
      'WHERE decision_offers.last_seen_at IS NULL OR decision_offers.last_seen_at < excluded.last_seen_at',
    purgeOutcomesOfOldDecisions:
      'DELETE FROM outcomes WHERE decision_id IN ' +
      '(SELECT decision_id FROM decisions WHERE created_at < $1 ORDER BY created_at, decision_id LIMIT $2)',
    purgeOldDecisions:
      'DELETE FROM decisions WHERE decision_id IN ' +
      '(SELECT decision_id FROM decisions WHERE created_at < $1 ORDER BY created_at, decision_id LIMIT $2)',
    adoptUnseenDecisionOffers: 'UPDATE decision_offers SET last_seen_at = $1 WHERE last_seen_at IS NULL',
    purgeUnseenDecisionOffers:
      'DELETE FROM decision_offers WHERE offer_key IN ' +
      '(SELECT offer_key FROM decision_offers WHERE last_seen_at < $1 ORDER BY last_seen_at LIMIT $2)',
    /** $1: a JSON array of offer keys. */
    selectDecisionOffers:
      'SELECT offer_key, offer FROM decision_offers WHERE offer_key IN ' +
      (dialect === 'sqlite' ? '(SELECT value FROM json_each($1))' : '(SELECT jsonb_array_elements_text($1::jsonb))'),

    loadPolicyState: 'SELECT policy_id, state_json, version, updated_at FROM policy_state WHERE policy_id = $1',
    savePolicyState:
      'INSERT INTO policy_state (policy_id, state_json, version, updated_at) VALUES ($1, $2, $3, $4) ' +
      'ON CONFLICT (policy_id) DO UPDATE SET state_json = excluded.state_json, version = excluded.version, ' +
      'updated_at = excluded.updated_at WHERE excluded.version > policy_state.version',

    createMigrationsTable:
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)',
    listMigrations: 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
    recordMigration: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
  } as const;
}

export type LedgerStatements = ReturnType<typeof ledgerStatements>;

export type Query = { text: string; values: SqlValue[] };

/** Collects parameters and hands out their `$n` placeholders. */
class Parameters {
  readonly values: SqlValue[] = [];

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `list()`: newest first by (created_at, deployment_id), one row more than asked to detect a next page. */
export function buildListDeploymentsQuery(options: ListDeploymentsOptions): Query {
  const parameters = new Parameters();
  const conditions: string[] = [];
  if (options.tenant !== undefined) conditions.push(`COALESCE(tenant, '') = ${parameters.add(tenantKey(options.tenant))}`);
  if (options.status !== undefined) {
    const statuses = typeof options.status === 'string' ? [options.status] : options.status;
    conditions.push(statuses.length === 0 ? 'FALSE' : `status IN (${statuses.map((status) => parameters.add(status)).join(', ')})`);
  }
  if (options.provider !== undefined) conditions.push(`provider = ${parameters.add(options.provider)}`);
  if (options.cursor != null) {
    const after = decodePageCursor(options.cursor);
    conditions.push(`(created_at, deployment_id) < (${parameters.add(after.created_at)}, ${parameters.add(after.id)})`);
  }
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const text =
    `SELECT ${deploymentColumnList} FROM deployments${where} ` +
    `ORDER BY created_at DESC, deployment_id DESC LIMIT ${parameters.add(options.limit + 1)}`;
  return { text, values: parameters.values };
}

/** `listDecisions()`: oldest first by (created_at, decision_id), one row more than asked. */
export function buildListDecisionsQuery(decisionRecord: string, options: ListDecisionsOptions): Query {
  const parameters = new Parameters();
  const conditions: string[] = [];
  if (options.since !== undefined) conditions.push(`d.created_at >= ${parameters.add(options.since)}`);
  if (options.cursor != null) {
    const after = decodePageCursor(options.cursor);
    conditions.push(`(d.created_at, d.decision_id) > (${parameters.add(after.created_at)}, ${parameters.add(after.id)})`);
  }
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const text = `${decisionRecord}${where} ORDER BY d.created_at, d.decision_id LIMIT ${parameters.add(options.limit + 1)}`;
  return { text, values: parameters.values };
}
