import type { ApiKeyRecord } from '../auth/api-key';
import type { KnownProviderId } from '../providers/known-providers';
import type { ProviderConfig } from './providers-config-schema';
import type { RouterConfig } from './router-config-schema';

/** The validated configuration the server runs with: files, defaults and `AURORA_*` overrides merged. */
export type ServerConfig = {
  router: RouterConfig;
  /** Every known provider, with defaults for those the file does not mention. */
  providers: Record<KnownProviderId, ProviderConfig>;
  /** Keys from router.yaml (hashes) and AURORA_API_KEYS (hashed at load). Empty: auth is off. */
  apiKeys: ApiKeyRecord[];
  /** PostgreSQL ledger (AURORA_DATABASE_URL); the SQLite file at `sqlitePath` when undefined. */
  databaseUrl: string | undefined;
  /** Absolute path of the SQLite ledger. */
  sqlitePath: string;
  /** Directory config files and relative secret file paths are resolved against. */
  configDirectory: string | undefined;
  /** The files read, for logs. */
  files: { router: string | undefined; providers: string | undefined };
};
