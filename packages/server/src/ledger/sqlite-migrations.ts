import { liveStatusList } from './deployment-columns';
import type { Migration } from './migration';

/**
 * SQLite schema history. Append only: never edit an applied migration, add the next version.
 * Timestamps are ISO-8601 UTC text, which sorts chronologically.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger',
    sql: `
      CREATE TABLE deployments (
        deployment_id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        provider_deployment_id TEXT,
        offer_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'provisioning', 'running', 'completed', 'failed', 'terminating', 'terminated')),
        provider_status TEXT,
        gpu_type TEXT NOT NULL,
        gpu_count INTEGER NOT NULL CHECK (gpu_count >= 1),
        region TEXT NOT NULL,
        price_usd_per_hour REAL NOT NULL CHECK (price_usd_per_hour >= 0),
        cost_usd REAL NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        endpoint TEXT,
        tenant TEXT,
        idempotency_key TEXT,
        decision_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        error TEXT
      );
      CREATE INDEX deployments_by_created ON deployments (created_at DESC, deployment_id DESC);
      CREATE INDEX deployments_by_tenant ON deployments (COALESCE(tenant, ''), created_at DESC, deployment_id DESC);
      CREATE INDEX deployments_by_idempotency_key ON deployments (COALESCE(tenant, ''), idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX deployments_live ON deployments (created_at, deployment_id) WHERE status IN ${liveStatusList};

      -- Spend per tenant ('' = none), kept by triggers so budget checks never scan deployments.
      CREATE TABLE tenant_spend (
        tenant_key TEXT PRIMARY KEY,
        cost_usd REAL NOT NULL
      );
      CREATE TRIGGER deployments_spend_insert AFTER INSERT ON deployments WHEN NEW.cost_usd <> 0
      BEGIN
        INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd)
          ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
      END;
      CREATE TRIGGER deployments_spend_update AFTER UPDATE OF cost_usd, tenant ON deployments
        WHEN NEW.cost_usd <> OLD.cost_usd AND COALESCE(NEW.tenant, '') = COALESCE(OLD.tenant, '')
      BEGIN
        INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd - OLD.cost_usd)
          ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
      END;
      CREATE TRIGGER deployments_spend_move AFTER UPDATE OF cost_usd, tenant ON deployments
        WHEN COALESCE(NEW.tenant, '') <> COALESCE(OLD.tenant, '')
      BEGIN
        INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(OLD.tenant, ''), -OLD.cost_usd)
          ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
        INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd)
          ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
      END;

      CREATE TABLE idempotency_keys (
        tenant_key TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_status INTEGER,
        response_body TEXT,
        created_at TEXT NOT NULL,
        completed_at TEXT,
        PRIMARY KEY (tenant_key, idempotency_key)
      );
      CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);

      CREATE TABLE decisions (
        decision_id TEXT PRIMARY KEY,
        tenant TEXT,
        created_at TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        arm TEXT NOT NULL,
        decision TEXT NOT NULL,
        request TEXT NOT NULL
      );
      CREATE INDEX decisions_by_created ON decisions (created_at, decision_id);

      CREATE TABLE outcomes (
        decision_id TEXT PRIMARY KEY,
        deployment_id TEXT,
        observed_at TEXT NOT NULL,
        outcome TEXT NOT NULL
      );

      CREATE TABLE policy_state (
        policy_id TEXT PRIMARY KEY,
        state_json TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'decision log records',
    sql: 'ALTER TABLE decisions ADD COLUMN log TEXT',
  },
  {
    // findByIdempotencyKey (a stale key's recovery) wants the newest deployment of one key. With the
    // order in the index it is one index seek; before, SQLite chose the tenant's index and walked
    // every deployment of the tenant.
    version: 3,
    name: 'idempotency key index in creation order',
    sql: `
      DROP INDEX deployments_by_idempotency_key;
      CREATE INDEX deployments_by_idempotency_key ON deployments (COALESCE(tenant, ''), idempotency_key, created_at DESC, deployment_id DESC)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    // Decision log records refer to their offers by key (decision-log-storage.ts): an offer seen by
    // thousands of decisions is stored once.
    version: 4,
    name: 'decision log offers stored once',
    sql: 'CREATE TABLE decision_offers (offer_key TEXT PRIMARY KEY, offer TEXT NOT NULL) WITHOUT ROWID',
  },
  {
    // Retention (purgeDecisions): an offer records when a write last referred to it, so offers no
    // kept record refers to can be deleted without reading every record. Rows written before this
    // have none; the first purge stamps them.
    version: 5,
    name: 'decision log offers age',
    sql: `
      ALTER TABLE decision_offers ADD COLUMN last_seen_at TEXT;
      CREATE INDEX decision_offers_by_last_seen ON decision_offers (last_seen_at);
    `,
  },
  {
    // Spend per tenant and UTC day, for monthly and daily budgets. A change of cost_usd lands on the
    // day of the row's updated_at (the app's clock, stamped by the same write). The backfill puts a
    // deployment's whole cost so far on the day it was last updated.
    version: 6,
    name: 'daily spend',
    sql: `
      CREATE TABLE daily_spend (
        tenant_key TEXT NOT NULL,
        day TEXT NOT NULL,
        cost_usd REAL NOT NULL,
        PRIMARY KEY (tenant_key, day)
      ) WITHOUT ROWID;
      CREATE INDEX daily_spend_by_day ON daily_spend (day);
      INSERT INTO daily_spend (tenant_key, day, cost_usd)
        SELECT COALESCE(tenant, ''), substr(updated_at, 1, 10), SUM(cost_usd) FROM deployments
        WHERE cost_usd <> 0 GROUP BY COALESCE(tenant, ''), substr(updated_at, 1, 10);
      CREATE TRIGGER deployments_daily_spend_insert AFTER INSERT ON deployments WHEN NEW.cost_usd <> 0
      BEGIN
        INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd)
          ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
      END;
      CREATE TRIGGER deployments_daily_spend_update AFTER UPDATE OF cost_usd, tenant ON deployments
        WHEN NEW.cost_usd <> OLD.cost_usd AND COALESCE(NEW.tenant, '') = COALESCE(OLD.tenant, '')
      BEGIN
        INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd - OLD.cost_usd)
          ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
      END;
      -- A move takes the cost off the old tenant on the day of its last update there, and puts the
      -- new cost on the new tenant on the day of the move.
      CREATE TRIGGER deployments_daily_spend_move AFTER UPDATE OF cost_usd, tenant ON deployments
        WHEN COALESCE(NEW.tenant, '') <> COALESCE(OLD.tenant, '')
      BEGIN
        INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(OLD.tenant, ''), substr(OLD.updated_at, 1, 10), -OLD.cost_usd)
          ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
        INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd)
          ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
      END;
    `,
  },
  {
    // The orphan sweep asks, for each deployment a provider lists, whether the ledger knows it.
    version: 7,
    name: 'deployments by provider id',
    sql: 'CREATE INDEX deployments_by_provider_id ON deployments (provider, provider_deployment_id)',
  },
  {
    // A/B metrics count each decision once across replicas: the replica whose write first records a
    // decision's outcome counts its fill, and the one that first records its bill counts the bill
    // (`saveOutcome`'s claim). Outcomes already stored count as billed: their stage is over.
    version: 8,
    name: 'outcome claims',
    sql: `
      ALTER TABLE outcomes ADD COLUMN billed INTEGER NOT NULL DEFAULT 0;
      UPDATE outcomes SET billed = 1;
    `,
  },
];
