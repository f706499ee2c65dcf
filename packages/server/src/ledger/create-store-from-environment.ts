import { ConfigurationError } from '@aurora/router';
import type { DeploymentStore } from './deployment-store';
import { createPostgresStore } from './postgres-store';
import { createSqliteStore } from './sqlite-store';

export type StoreFromEnvironmentOptions = {
  /** AURORA_DATABASE_URL: when set, the ledger is PostgreSQL (several replicas). */
  databaseUrl?: string;
  /** The SQLite file used otherwise (the server's default is ./.aurora/aurora.db). */
  sqlitePath: string;
  /** PostgreSQL schema; default `public`. */
  schema?: string;
  onBackgroundError?: (error: unknown) => void;
};

/**
 * PostgreSQL when a database URL is given, else SQLite at `sqlitePath`. The caller reads the
 * environment and passes the values; the store is returned un-migrated (call `migrate()`).
 */
export function createStoreFromEnvironment({ databaseUrl, sqlitePath, schema, onBackgroundError }: StoreFromEnvironmentOptions): DeploymentStore {
  const url = databaseUrl?.trim();
  if (url === undefined || url === '') return createSqliteStore({ path: sqlitePath });
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigurationError({
      message: 'AURORA_DATABASE_URL must be a postgres:// or postgresql:// URL',
      setting: 'AURORA_DATABASE_URL',
    });
  }
  return createPostgresStore({ connectionString: url, schema, onBackgroundError });
}
