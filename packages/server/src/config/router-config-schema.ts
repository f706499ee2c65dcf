import { z } from 'zod';
import { normalizeWeights, regionSchema, weightsSchema } from '@aurora/router';

const milliseconds = z.number().int().positive().max(86_400_000);
const usd = z.number().positive().finite().nullable();

export const apiKeyScopes = ['route', 'read', 'admin'] as const;
export const apiKeyScopeSchema = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** Endpoints that answer without an API key unless configured otherwise. */
export const publicEndpointNames = ['health', 'ready', 'metrics', 'docs'] as const;
export const publicEndpointNameSchema = z.enum(publicEndpointNames);
export type PublicEndpointName = z.infer<typeof publicEndpointNameSchema>;

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logLevelSchema = z.enum(logLevels);

export const routerModes = ['rule-based', 'ai', 'hybrid'] as const;

const tenantPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const tenantSchema = z.string().regex(tenantPattern, 'tenant ids are 1-64 letters, digits, ".", "_" or "-"');

/** An API key as router.yaml stores it: only the SHA-256 of the key, never the key. */
export const configuredApiKeySchema = z
  .object({
    name: z.string().min(1).max(64).optional().describe('a label for logs; never the key'),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be the hex SHA-256 of the key (64 hex digits), never the key itself')
      .transform((value) => value.toLowerCase()),
    tenant: tenantSchema,
    scopes: z.array(apiKeyScopeSchema).min(1),
  })
  .strict();

const rateLimitSchema = z
  .object({
    enabled: z.boolean().default(true),
    max: z.number().int().positive().default(6_000),
    time_window_ms: milliseconds.default(60_000),
  })
  .strict();

const circuitSchema = z
  .object({
    consecutive_failures: z.number().int().positive().default(5),
    failure_rate: z.number().gt(0).max(1).default(0.5),
    window_ms: milliseconds.default(60_000),
    minimum_calls: z.number().int().positive().default(10),
    cooldown_ms: milliseconds.default(30_000),
  })
  .strict();

const defaultsSchema = z
  .object({
    region: regionSchema.default('global'),
    weights: weightsSchema.default({ price: 0.4, latency: 0.3, reputation: 0.2, availability: 0.1 }),
    max_latency_ms: z.number().positive().finite().optional(),
    min_reputation: z.number().min(0).max(100).optional(),
    allow_interruptible: z.boolean().default(true),
  })
  .strict();

const limitsSchema = z
  .object({
    quote_timeout_ms: milliseconds.default(5_000),
    deploy_timeout_ms: milliseconds.default(60_000),
    route_deadline_ms: milliseconds.default(120_000),
    max_deploy_attempts: z.number().int().min(1).max(10).default(3),
    max_recorded_candidates: z.number().int().min(1).max(1_000).default(10).describe('ranked candidates kept in a decision and its response'),
    max_recorded_rejections: z.number().int().min(0).max(10_000).default(50).describe('rejections listed in a decision; the counts cover all'),
    adapter_call_timeout_ms: milliseconds.default(10_000),
    quote_concurrency: z.number().int().min(1).max(64).default(8),
    offer_cache_fresh_ms: z.number().int().nonnegative().max(86_400_000).default(5_000),
    offer_cache_max_age_ms: z.number().int().nonnegative().max(86_400_000).default(60_000),
    body_limit_bytes: z.number().int().min(1_024).max(16_777_216).default(262_144),
    idempotency_wait_ms: milliseconds.default(130_000),
    idempotency_retention_ms: z.number().int().positive().max(31 * 86_400_000).default(86_400_000),
    logs_tail_max: z.number().int().positive().max(100_000).default(10_000),
    rate_limit: rateLimitSchema.prefault({}),
    circuit: circuitSchema.prefault({}),
  })
  .strict();

const budgetsSchema = z
  .object({
    per_deployment_usd: usd.default(null),
    per_tenant_usd: usd.default(null),
    global_usd: usd.default(null),
  })
  .strict();

const backgroundSchema = z
  .object({
    enabled: z.boolean().default(true),
    reconcile_interval_ms: milliseconds.default(30_000),
    reconcile_grace_period_ms: milliseconds.default(180_000),
    status_poll_interval_ms: milliseconds.default(10_000),
    cost_accrual_interval_ms: milliseconds.default(30_000),
    health_check_interval_ms: milliseconds.default(30_000),
  })
  .strict();

const serverSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8080),
    log_level: logLevelSchema.default('info'),
    request_logging: z.boolean().default(false),
    public_endpoints: z.array(publicEndpointNameSchema).default(['health', 'ready', 'metrics']),
    shutdown_timeout_ms: milliseconds.default(10_000),
    trust_proxy: z.boolean().default(false),
  })
  .strict();

const ledgerSchema = z
  .object({
    sqlite_path: z.string().min(1).default('.aurora/aurora.db'),
    postgres_schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _ (at most 63)')
      .default('public')
      .describe('schema of the ledger tables when AURORA_DATABASE_URL is set'),
  })
  .strict();

const simulatorSchema = z
  .object({
    seed: z.union([z.string().min(1), z.number().int()]).default('aurora'),
    time_scale: z.number().positive().max(10_000).default(1),
    failure_rate_multiplier: z.number().min(0).max(100).default(1),
    api_latency: z.boolean().default(true).describe('simulated providers answer after their API latency'),
  })
  .strict();

/** config/router.yaml. Every key is optional; unknown keys are errors. */
export const routerConfigSchema = z
  .object({
    mode: z.enum(routerModes).default('rule-based'),
    ai_rollout_percentage: z.number().min(0).max(100).default(0),
    defaults: defaultsSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    budgets: budgetsSchema.prefault({}),
    background: backgroundSchema.prefault({}),
    server: serverSchema.prefault({}),
    ledger: ledgerSchema.prefault({}),
    simulator: simulatorSchema.prefault({}),
    api_keys: z.array(configuredApiKeySchema).default([]),
  })
  .strict()
  .superRefine((config, context) => {
    if (normalizeWeights(config.defaults.weights) === undefined) {
      context.addIssue({ code: 'custom', path: ['defaults', 'weights'], message: 'at least one weight must be positive' });
    }
    if (config.background.reconcile_grace_period_ms <= config.limits.route_deadline_ms) {
      context.addIssue({
        code: 'custom',
        path: ['background', 'reconcile_grace_period_ms'],
        message: `must be longer than limits.route_deadline_ms (${config.limits.route_deadline_ms}), or routes still deploying would be reconciled`,
      });
    }
    if (config.limits.idempotency_wait_ms <= config.limits.route_deadline_ms) {
      context.addIssue({
        code: 'custom',
        path: ['limits', 'idempotency_wait_ms'],
        message: `must be longer than limits.route_deadline_ms (${config.limits.route_deadline_ms}), so a retry waits out the first request`,
      });
    }
    if (config.limits.offer_cache_max_age_ms < config.limits.offer_cache_fresh_ms) {
      context.addIssue({ code: 'custom', path: ['limits', 'offer_cache_max_age_ms'], message: 'must be at least limits.offer_cache_fresh_ms' });
    }
    if (config.mode !== 'rule-based') {
      context.addIssue({
        code: 'custom',
        path: ['mode'],
        message: `mode "${config.mode}" is not available yet: the learning policy arrives in a later release; use "rule-based"`,
      });
    }
  });

export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type RouterConfig = z.output<typeof routerConfigSchema>;
