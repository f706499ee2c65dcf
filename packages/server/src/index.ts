export { buildServer, type BuildServerOptions } from './app';
export { startServer, type RunningServer, type StartServerOptions } from './start';
export { loadServerConfig, providersConfigFileName, routerConfigFileName, type LoadServerConfigOptions } from './config/load-server-config';
export { resolveServerConfig, type ConfigSource, type ResolveServerConfigOptions } from './config/resolve-server-config';
export type { ServerConfig } from './config/server-config';
export { routerConfigSchema, type RouterConfig, type RouterConfigInput, type ApiKeyScope } from './config/router-config-schema';
export { providersConfigSchema, type ProviderConfig, type ProvidersConfig } from './config/providers-config-schema';
export { routerEnvironmentOverrides, type Environment } from './config/environment-overrides';
export { assertListenAllowed, isLoopbackHost } from './config/assert-listen-allowed';
export { sha256Hex } from './auth/api-key';
export { mapAuroraError, type ErrorBody, type HttpErrorResponse } from './errors/map-aurora-error';
export { AuthenticationError } from './errors/authentication-error';
export { PermissionError } from './errors/permission-error';
export { RateLimitError } from './errors/rate-limit-error';
export { createPrometheusMetrics, prometheusContentType, type PrometheusMetrics } from './metrics/prometheus-metrics';
export { createProviderEntries, type CreateProviderEntriesOptions } from './providers/create-provider-entries';
export { realAdapterFactories, type RealAdapterFactory, type RealAdapterSettings } from './providers/real-adapter-factories';
export { knownProviderIds, type KnownProviderId } from './providers/known-providers';
export type { ProviderEntry, ProviderCatalog } from './providers/provider-entry';
export type { ServerContext } from './server-context';
export { PolicyRuntime, createPolicyRuntime, type PolicyRuntimeOptions, type PolicyRuntimeEvents, type StageChangeOrigin } from './policy/policy-runtime';
export { policyStatusSchema, rolloutActionSchema, type PolicyStatus } from './policy/policy-status-schema';
export type { ReconcileReport, ReconcileAction } from './background/reconciler';
export type { RouteResponse } from './routing/route-response';
export {
  createSqliteStore, createPostgresStore, createStoreFromEnvironment, LedgerError,
  type DeploymentStore, type TenantScope,
} from './ledger/index';
export { VERSION } from './version';
