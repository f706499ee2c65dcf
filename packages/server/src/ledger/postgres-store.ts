import { ConfigurationError } from '@aurora/router';
import type { DeploymentStore } from './deployment-store';
import { createLedgerStore } from './ledger-store';
import { PostgresConnection } from './postgres-connection';
import { postgresMigrations } from './postgres-migrations';

export type PostgresStoreOptions = {
  /** `postgres://user@host:5432/database` (AURORA_DATABASE_URL). */
  connectionString: string;
  /** Schema holding the ledger's tables, created by `migrate()` when missing. Default `public`. */
  schema?: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing. Default 10000. */
  connectionTimeoutMs?: number;
  /** Errors of idle or leadership connections, which no caller is waiting for. */
  onBackgroundError?: (error: unknown) => void;
  now?: () => Date;
};

const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A ledger in PostgreSQL, shared by several server replicas: atomic upserts and claims, migrations
 * serialised by an advisory lock, and advisory-lock leadership for the background loops.
 * Connects lazily, on the first call.
 */
export function createPostgresStore({
  connectionString,
  schema = 'public',
  maxConnections = 10,
  connectionTimeoutMs = 10_000,
  onBackgroundError,
  now,
}: PostgresStoreOptions): DeploymentStore {
  if (!schemaNamePattern.test(schema)) {
    throw new ConfigurationError({
      message: `Invalid ledger schema "${schema}": use lower-case letters, digits and _ (at most 63)`,
      setting: 'schema',
    });
  }
  const connection = new PostgresConnection({ connectionString, schema, maxConnections, connectionTimeoutMs, onBackgroundError });
  return createLedgerStore({ connection, migrations: postgresMigrations, now });
}
