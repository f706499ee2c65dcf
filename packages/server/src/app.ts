import { createRouter, type ProviderAdapter, type Router } from '@aurora/router';
import type { TracerProvider } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createBackgroundWork } from './background/background-work';
import { CostAccrual } from './background/cost-accrual';
import { OutcomeRecorder } from './background/outcome-recorder';
import { DecisionRetention } from './background/decision-retention';
import { createOrphanSweep } from './background/create-orphan-sweep';
import { Reconciler } from './background/reconciler';
import { StatusPoller } from './background/status-poller';
import type { Environment } from './config/environment-overrides';
import { resolveServerConfig } from './config/resolve-server-config';
import type { ServerConfig } from './config/server-config';
import { ClaimHandoff } from './idempotency/claim-handoff';
import { IdempotentExecutor } from './idempotency/idempotent-executor';
import { createStoreFromEnvironment, type DeploymentStore } from './ledger/index';
import { loggerOptions } from './logger-options';
import { createPrometheusMetrics, type PrometheusMetrics } from './metrics/prometheus-metrics';
import { createPolicyRuntime } from './policy/policy-runtime';
import { authenticationPlugin } from './plugins/authentication';
import { gracefulShutdownPlugin } from './plugins/graceful-shutdown';
import { errorHandlingPlugin } from './plugins/error-handling';
import { openApiPlugin } from './plugins/openapi';
import { jsonSerializerCompiler, zodValidatorCompiler } from './plugins/zod-compilers';
import { createProviderEntries } from './providers/create-provider-entries';
import { MarketBook } from './providers/market-book';
import type { ProviderEntry } from './providers/provider-entry';
import { routerOptionsFromConfig } from './routing/router-options-from-config';
import { BudgetGuard } from './routing/budget-guard';
import { fleetClock } from './routing/fleet-clock';
import { createLedgerRegistry } from './routing/ledger-registry';
import { deploymentRoutes } from './routes/deployment-routes';
import { docsRoutes } from './routes/docs-routes';
import { healthRoutes } from './routes/health-routes';
import { metricsRoutes } from './routes/metrics-routes';
import { policyRoutes } from './routes/policy-routes';
import { providerRoutes } from './routes/provider-routes';
import { routeRoutes } from './routes/route-routes';
import type { ServerContext } from './server-context';
import { VERSION } from './version';

const systemClock = { now: () => Date.now() };

export type BuildServerOptions = {
  /** Validated configuration (see `loadServerConfig`); default: the built-in defaults. */
  config?: ServerConfig;
  /** Where provider credentials are read from. The server never reads `process.env` itself. Default `{}`. */
  environment?: Environment;
  /**
   * The ledger. Default: PostgreSQL when `config.databaseUrl` is set, else SQLite at
   * `config.sqlitePath`; a ledger created here is closed with the server, one passed in is not.
   */
  store?: DeploymentStore;
  /**
   * Provider adapters (or prepared entries). Default: one per enabled provider of the config, real
   * with credentials, simulated without. Adapters passed in are not closed with the server.
   */
  providers?: ReadonlyArray<ProviderEntry | ProviderAdapter>;
  /** Default: a new MeterProvider read by the Prometheus exporter, shut down with the server. */
  metrics?: PrometheusMetrics;
  tracerProvider?: TracerProvider;
  /** A pino-compatible logger, or `false` for none. Default: JSON logs at `server.log_level` on stdout. */
  logger?: FastifyBaseLogger | false;
  /** Where the default JSON logs go instead of stdout (a file stream, a collector in tests). */
  logDestination?: { write(line: string): void };
  /**
   * Milliseconds since the epoch, for the router, the ledger stamps and the loops. Default: the
   * providers' clock when they are all simulated on one clock (see `fleetClock`), else `Date`.
   */
  clock?: { now(): number };
  /** Start the background loops when the server is ready. Default `background.enabled` of the config. */
  startBackground?: boolean;
};

/**
 * Builds the Aurora HTTP server. It never listens: call `app.listen()` (or `startServer`). The
 * ledger is migrated here; background loops start on `ready` and everything is closed on `close`.
 */
export async function buildServer(options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? resolveServerConfig();
  const environment = options.environment ?? {};
  // With a simulated fleet on a scaled clock, the router, the ledger stamps and the loops follow it.
  const clock = options.clock ?? (options.providers ? fleetClock(options.providers) : undefined);
  const serverSettings = config.router.server;

  const app = Fastify({
    ...(options.logger === undefined
      ? { logger: { ...loggerOptions(serverSettings.log_level), ...(options.logDestination ? { stream: options.logDestination } : {}) } }
      : options.logger === false
        ? { logger: false }
        : { loggerInstance: options.logger }),
    logController: new LogController({ disableRequestLogging: !serverSettings.request_logging }),
    bodyLimit: config.router.limits.body_limit_bytes,
    trustProxy: serverSettings.trust_proxy,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);

  const owned: Array<() => Promise<void>> = [];
  let context: ServerContext;
  try {
    context = await createContext(app, config, environment, clock, options, owned);
  } catch (error) {
    await closeAll(owned, app.log);
    throw error;
  }
  app.decorate('aurora', context);

  try {
    await app.register(gracefulShutdownPlugin);
    await app.register(errorHandlingPlugin);
    await app.register(authenticationPlugin, {
      apiKeys: config.apiKeys,
      publicEndpoints: serverSettings.public_endpoints,
      rateLimit: config.router.limits.rate_limit,
    });
    await app.register(openApiPlugin, { version: VERSION });
    await app.register(routeRoutes);
    await app.register(deploymentRoutes);
    await app.register(providerRoutes);
    await app.register(healthRoutes);
    await app.register(metricsRoutes);
    await app.register(docsRoutes);
    await app.register(policyRoutes);
  } catch (error) {
    await closeAll(owned, app.log);
    throw error;
  }

  const startBackground = options.startBackground ?? config.router.background.enabled;
  app.addHook('onReady', async () => {
    if (startBackground) context.background.start();
    if (startBackground) context.policy.start();
  });
  app.addHook('onClose', async () => {
    await context.background.stop();
    await context.outcomes.flush();
    await context.policy.stop();
    await closeAll(owned, app.log);
  });
  return app;
}

async function createContext(
  app: FastifyInstance,
  config: ServerConfig,
  environment: Environment,
  requestedClock: { now(): number } | undefined,
  options: BuildServerOptions,
  owned: Array<() => Promise<void>>,
): Promise<ServerContext> {
  const log = (level: 'info' | 'warn', message: string, fields: Record<string, unknown> = {}) => app.log[level](fields, message);
  const onError = (error: unknown, what: string) => app.log.warn({ err: error }, `${what} failed`);

  const metrics = options.metrics ?? createPrometheusMetrics({ onCollectionError: (error) => onError(error, 'metric collection') });
  if (!options.metrics) owned.push(() => metrics.shutdown());

  let store = options.store;
  if (!store) {
    const created = createStoreFromEnvironment({
      sqlitePath: config.sqlitePath,
      schema: config.router.ledger.postgres_schema,
      onBackgroundError: (error) => onError(error, 'ledger background work'),
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    });
    owned.push(() => created.close());
    store = created;
  }
  await store.migrate();

  // The clock is known once the providers are: an all-simulated fleet on one clock sets it.
  let clock = requestedClock ?? systemClock;
  const market = new MarketBook({ clock: { now: () => clock.now() } });
  const providers = options.providers
    ? options.providers.map((item) => toEntry(item, market))
    : await createProviderEntries({ config, environment, market });
  if (requestedClock === undefined && !options.providers) clock = fleetClock(providers) ?? systemClock;
  const adapters = new Map(providers.map((entry) => [entry.id, entry.adapter]));

  const policy = await createPolicyRuntime({ config, store, clock, meterProvider: metrics.meterProvider, log, onError });
  // SQLite: a key's claim is written with the route's first intent (one write less); the read that
  // tells a new key apart is local. PostgreSQL keeps the claim up front: there the read is a round trip.
  const claims = store.dialect === 'sqlite' ? new ClaimHandoff() : undefined;
  const registry = createLedgerRegistry(store, { decisionLog: (decisionId) => policy.takeDecisionLog(decisionId), ...(claims ? { claims } : {}) });
  const router: Router = createRouter({
    ...routerOptionsFromConfig(config),
    adapters: providers.map((entry) => entry.adapter),
    registry,
    policy: policy.policy,
    clock,
    telemetry: { meterProvider: metrics.meterProvider, ...(options.tracerProvider ? { tracerProvider: options.tracerProvider } : {}) },
  });
  registry.attach(router);
  const outcomes = new OutcomeRecorder({ router, store, clock, onError });
  outcomes.attach();
  policy.attach(router, outcomes);
  if (!options.providers) owned.unshift(() => router.close());

  for (const entry of providers) {
    app.log.info({ provider: entry.id, simulated: entry.simulated }, `provider ${entry.id}: ${entry.simulated ? 'simulated' : 'real'} (${entry.reason})`);
  }

  const orphanSweep = createOrphanSweep(providers, { store, adapters, clock, config, meterProvider: metrics.meterProvider, log });
  const reconciler = new Reconciler({
    router,
    store,
    adapters,
    outcomes,
    clock,
    gracePeriodMs: config.router.background.reconcile_grace_period_ms,
    maxDeployAttempts: config.router.limits.max_deploy_attempts,
    idempotencyRetentionMs: config.router.limits.idempotency_retention_ms,
    log,
    ...(orphanSweep ? { orphanSweep } : {}),
  });
  const poller = new StatusPoller({ router, store, concurrency: 8, onUnknown: async (deployment) => void (await reconciler.reconcile(deployment)), log });
  const costs = new CostAccrual({ router, store, budgets: config.router.budgets, clock, log });
  const retentionDays = config.router.ledger.decision_retention_days;
  const retention = retentionDays === null ? undefined : new DecisionRetention({ store, retentionDays, clock, log });
  const background = createBackgroundWork({ router, store, providers, reconciler, poller, costs, ...(retention ? { retention } : {}), intervals: config.router.background, onError });

  const shutdown = new AbortController();
  app.addHook('preClose', async () => shutdown.abort());

  return {
    config,
    router,
    store,
    registry,
    policy,
    providers,
    adapters,
    market,
    metrics,
    idempotency: new IdempotentExecutor({ store, waitMs: config.router.limits.idempotency_wait_ms, now: () => new Date(clock.now()), ...(claims ? { handoff: claims } : {}) }),
    budgets: new BudgetGuard({ store, budgets: config.router.budgets, clock }),
    outcomes,
    reconciler,
    poller,
    costs,
    retention,
    background,
    clock,
    shutdownSignal: shutdown.signal,
  };
}

function toEntry(item: ProviderEntry | ProviderAdapter, market: MarketBook): ProviderEntry {
  if ('adapter' in item) return item;
  return {
    id: item.name,
    adapter: market.observe(item),
    simulated: item.simulated === true,
    reason: 'adapter passed to buildServer',
    catalog: null,
    healthCheckIntervalMs: undefined,
    orphanSweep: false,
  };
}

async function closeAll(closers: Array<() => Promise<void>>, log: FastifyBaseLogger): Promise<void> {
  for (const close of closers.splice(0)) {
    try {
      await close();
    } catch (error) {
      log.warn({ err: error }, 'closing a server resource failed');
    }
  }
}
