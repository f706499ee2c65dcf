export type {
  AppliedMigration,
  ClaimIdempotencyKeyOptions,
  CompleteIdempotencyKeyOptions,
  DecisionRecord,
  DeploymentStore,
  IdempotencyClaim,
  ListDecisionsOptions,
  ListDeploymentsOptions,
  Page,
  OutcomeClaim,
  PolicyState,
  PurgeDecisionsOptions,
  PurgedDecisions,
  SaveDecisionContext,
  SaveRouteOptions,
  SpendOptions,
  TenantScope,
} from './deployment-store';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store';
export { createPostgresStore, type PostgresStoreOptions } from './postgres-store';
export { createStoreFromEnvironment, type StoreFromEnvironmentOptions } from './create-store-from-environment';
export type { CommittedBatch } from './group-commit-queue';
export type { SqliteSynchronousMode, SqliteWriterMode } from './sqlite-connection';
export { LedgerError, type LedgerErrorOptions } from './ledger-error';
