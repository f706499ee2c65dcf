import { liveStatusList } from './deployment-columns';
import type { Migration } from './migration';

/**
 * PostgreSQL schema history, the same tables as SQLite. Append only. Tables are unqualified: the
 * store's connections put its schema first on `search_path`. Timestamps stay ISO-8601 UTC text so
 * both dialects order, page and round-trip them identically; JSON documents are `jsonb`.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger',
    sql: `
      CREATE TABLE deployments (
        deployment_id text COLLATE "C" PRIMARY KEY,
        provider text NOT NULL,
        provider_deployment_id text,
        offer_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'provisioning', 'running', 'completed', 'failed', 'terminating', 'terminated')),
        provider_status text,
        gpu_type text NOT NULL,
        gpu_count integer NOT NULL CHECK (gpu_count >= 1),
        region text NOT NULL,
        price_usd_per_hour double precision NOT NULL CHECK (price_usd_per_hour >= 0),
        cost_usd double precision NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        endpoint text,
        tenant text,
        idempotency_key text,
        decision_id text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        updated_at text NOT NULL,
        started_at text,
        ended_at text,
        error text
      );
      CREATE INDEX deployments_by_created ON deployments (created_at DESC, deployment_id DESC);
      CREATE INDEX deployments_by_tenant ON deployments ((COALESCE(tenant, '')), created_at DESC, deployment_id DESC);
      CREATE INDEX deployments_by_idempotency_key ON deployments ((COALESCE(tenant, '')), idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX deployments_live ON deployments (created_at, deployment_id) WHERE status IN ${liveStatusList};

      -- Spend per tenant ('' = none), kept by a trigger so budget checks never scan deployments.
      CREATE TABLE tenant_spend (
        tenant_key text PRIMARY KEY,
        cost_usd double precision NOT NULL
      );
      CREATE FUNCTION aurora_track_spend() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND COALESCE(NEW.tenant, '') <> COALESCE(OLD.tenant, '') THEN
          INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(OLD.tenant, ''), -OLD.cost_usd)
            ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
          INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd)
            ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
        ELSIF TG_OP = 'INSERT' AND NEW.cost_usd <> 0 THEN
          INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd)
            ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
        ELSIF TG_OP = 'UPDATE' AND NEW.cost_usd <> OLD.cost_usd THEN
          INSERT INTO tenant_spend (tenant_key, cost_usd) VALUES (COALESCE(NEW.tenant, ''), NEW.cost_usd - OLD.cost_usd)
            ON CONFLICT (tenant_key) DO UPDATE SET cost_usd = tenant_spend.cost_usd + excluded.cost_usd;
        END IF;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER deployments_spend AFTER INSERT OR UPDATE OF cost_usd, tenant ON deployments
        FOR EACH ROW EXECUTE FUNCTION aurora_track_spend();

      CREATE TABLE idempotency_keys (
        tenant_key text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at text COLLATE "C" NOT NULL,
        completed_at text,
        PRIMARY KEY (tenant_key, idempotency_key)
      );
      CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);

      CREATE TABLE decisions (
        decision_id text COLLATE "C" PRIMARY KEY,
        tenant text,
        created_at text COLLATE "C" NOT NULL,
        policy_id text NOT NULL,
        policy_version text NOT NULL,
        arm text NOT NULL,
        decision jsonb NOT NULL,
        request jsonb NOT NULL
      );
      CREATE INDEX decisions_by_created ON decisions (created_at, decision_id);

      CREATE TABLE outcomes (
        decision_id text COLLATE "C" PRIMARY KEY,
        deployment_id text,
        observed_at text NOT NULL,
        outcome jsonb NOT NULL
      );

      CREATE TABLE policy_state (
        policy_id text PRIMARY KEY,
        state_json text NOT NULL,
        version bigint NOT NULL,
        updated_at text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'decision log records',
    sql: 'ALTER TABLE decisions ADD COLUMN log jsonb',
  },
  {
    // findByIdempotencyKey (a stale key's recovery) wants the newest deployment of one key. With the
    // order in the index it is one index seek; before, SQLite chose the tenant's index and walked
    // every deployment of the tenant.
    version: 3,
    name: 'idempotency key index in creation order',
    sql: `
      DROP INDEX deployments_by_idempotency_key;
      CREATE INDEX deployments_by_idempotency_key ON deployments ((COALESCE(tenant, '')), idempotency_key, created_at DESC, deployment_id DESC)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    // Decision log records refer to their offers by key (decision-log-storage.ts): an offer seen by
    // thousands of decisions is stored once.
    version: 4,
    name: 'decision log offers stored once',
    sql: 'CREATE TABLE decision_offers (offer_key text PRIMARY KEY, offer jsonb NOT NULL)',
  },
  {
    // Retention (purgeDecisions): an offer records when a write last referred to it, so offers no
    // kept record refers to can be deleted without reading every record. Rows written before this
    // have none; the first purge stamps them.
    version: 5,
    name: 'decision log offers age',
    sql: `
      ALTER TABLE decision_offers ADD COLUMN last_seen_at text COLLATE "C";
      CREATE INDEX decision_offers_by_last_seen ON decision_offers (last_seen_at);
    `,
  },
  {
    // Spend per tenant and UTC day, for monthly and daily budgets. A change of cost_usd lands on the
    // day of the row's updated_at (the app's clock, stamped by the same write). The backfill puts a
    // deployment's whole cost so far on the day it was last updated. A move takes the cost off the
    // old tenant on the day of its last update there, and puts the new cost on the new tenant on the
    // day of the move.
    version: 6,
    name: 'daily spend',
    sql: `
      CREATE TABLE daily_spend (
        tenant_key text NOT NULL,
        day text COLLATE "C" NOT NULL,
        cost_usd double precision NOT NULL,
        PRIMARY KEY (tenant_key, day)
      );
      CREATE INDEX daily_spend_by_day ON daily_spend (day);
      INSERT INTO daily_spend (tenant_key, day, cost_usd)
        SELECT COALESCE(tenant, ''), substr(updated_at, 1, 10), SUM(cost_usd) FROM deployments
        WHERE cost_usd <> 0 GROUP BY COALESCE(tenant, ''), substr(updated_at, 1, 10);
      CREATE FUNCTION aurora_track_daily_spend() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND COALESCE(NEW.tenant, '') <> COALESCE(OLD.tenant, '') THEN
          INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(OLD.tenant, ''), substr(OLD.updated_at, 1, 10), -OLD.cost_usd)
            ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
          INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd)
            ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
        ELSIF TG_OP = 'INSERT' AND NEW.cost_usd <> 0 THEN
          INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd)
            ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
        ELSIF TG_OP = 'UPDATE' AND NEW.cost_usd <> OLD.cost_usd THEN
          INSERT INTO daily_spend (tenant_key, day, cost_usd) VALUES (COALESCE(NEW.tenant, ''), substr(NEW.updated_at, 1, 10), NEW.cost_usd - OLD.cost_usd)
            ON CONFLICT (tenant_key, day) DO UPDATE SET cost_usd = daily_spend.cost_usd + excluded.cost_usd;
        END IF;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER deployments_daily_spend AFTER INSERT OR UPDATE OF cost_usd, tenant ON deployments
        FOR EACH ROW EXECUTE FUNCTION aurora_track_daily_spend();
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
      ALTER TABLE outcomes ADD COLUMN billed integer NOT NULL DEFAULT 0;
      UPDATE outcomes SET billed = 1;
    `,
  },
];
