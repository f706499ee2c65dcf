import { z } from 'zod';
import { InvalidArgumentError, normalizeWeights, regionSchema, resolveGuardrails, rolloutMetrics, routingModes, weightsSchema } from '@aurora/router';

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

/** rule-based: the scorer; ai: the learning policy; hybrid: A/B between them; shadow: rules deploy, the ai decides alongside. */
export const routerModes = routingModes;

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
    max_recorded_candidates: z.number().int().min(1).max(1_000).default(5).describe('ranked candidates kept in a decision and its response'),
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

/** What the tenant and global budgets cover: all spend ever, or the current UTC calendar month or day. */
export const budgetPeriods = ['lifetime', 'month', 'day'] as const;
export const budgetPeriodSchema = z.enum(budgetPeriods);
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;

const budgetsSchema = z
  .object({
    per_deployment_usd: usd.default(null).describe('lifetime cost of one deployment, whatever the period'),
    per_tenant_usd: usd.default(null),
    global_usd: usd.default(null),
    period: budgetPeriodSchema.default('lifetime').describe('lifetime, or the UTC calendar month or day the tenant and global budgets renew by'),
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
    retention_interval_ms: milliseconds.default(600_000),
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
    decision_retention_days: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(30)
      .describe('decisions, their outcomes and logged offers older than this are deleted; null keeps them'),
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

const guardrailSchema = z
  .object({
    metric: z.enum(rolloutMetrics),
    margin: z.number().nonnegative().finite().describe('non-inferiority margin: fill rate in points (0.02), the others relative (0.05 = 5 %)'),
    margin_type: z.enum(['absolute', 'relative']).optional(),
    mixture_scale: z.number().positive().finite().optional(),
  })
  .strict();

const rolloutSchema = z
  .object({
    enabled: z.boolean().default(false).describe('hybrid mode: the controller moves the ai share through the stages'),
    stages: z.array(z.number().gt(0).max(100)).min(1).default([10, 50, 100]),
    guardrails: z.array(guardrailSchema).min(1).default([
      { metric: 'fill_rate', margin: 0.02 },
      { metric: 'cost_per_gpu_hour', margin: 0.05 },
      { metric: 'time_to_running_ms', margin: 0.1 },
    ]),
    alpha: z.number().gt(0).lt(1).default(0.05),
    minimum_samples_per_stage: z.number().int().nonnegative().default(1_000).describe('outcomes each arm needs in a stage before it may advance'),
    minimum_samples_for_test: z.number().int().min(2).default(100).describe('outcomes each arm needs before a guardrail is tested at all'),
    minimum_stage_duration_ms: z.number().int().nonnegative().max(31 * 86_400_000).default(86_400_000),
    evaluate_interval_ms: milliseconds.default(30_000),
  })
  .strict();

const learningSchema = z
  .object({
    exploration_floor: z.number().gt(0).lt(1).default(0.03),
    exploration_top_k: z.number().int().min(1).max(1_024).default(2).describe('the floor goes to the k most promising candidates and the rule pick'),
    temperature: z.number().positive().finite().default(0.5),
    min_temperature: z.number().positive().finite().default(0.01),
    optimism: z.number().nonnegative().finite().default(1),
    half_life_ms: z.number().int().positive().nullable().default(172_800_000).describe('null: evidence never decays'),
    ridge: z.number().positive().finite().default(1),
    rule_prior: z.boolean().default(true),
    hash_buckets: z
      .number()
      .int()
      .min(8)
      .max(1_024)
      .refine((value) => (value & (value - 1)) === 0, 'must be a power of two')
      .default(64),
    guard: z
      .object({
        enabled: z.boolean().default(true),
        confidence: z.number().nonnegative().finite().default(1.645),
        min_evidence: z.number().nonnegative().finite().default(30),
      })
      .strict()
      .prefault({}),
    reward: z
      .object({
        failure_reward: z.number().finite().default(-1),
        time_to_running_reference_ms: z.number().positive().finite().default(120_000),
      })
      .strict()
      .prefault({}),
    max_pending_decisions: z.number().int().positive().max(1_000_000).default(10_000),
  })
  .strict();

const policyEvaluationSchema = z
  .object({
    enabled: z.boolean().default(true),
    interval_ms: milliseconds.default(300_000),
    window_ms: milliseconds.default(86_400_000).describe('decisions of this recent period are evaluated'),
    max_records: z.number().int().min(10).max(100_000).default(5_000).describe('the newest decisions with an outcome'),
    bootstrap_samples: z.number().int().min(100).max(10_000).default(500),
  })
  .strict();

const psiSchema = z
  .object({
    window: z.number().int().min(10).max(100_000).default(1_000).describe('recent learning-policy decisions the indicators cover'),
    drift_threshold: z.number().positive().finite().default(50),
    drift_delta: z.number().nonnegative().finite().default(0.005),
  })
  .strict();

const policySchema = z
  .object({
    rule_epsilon: z
      .number()
      .min(0)
      .lt(1)
      .nullable()
      .default(null)
      .describe('exploration of the rule policy (logs fit for off-policy evaluation); null: 0 in rule-based mode, 0.05 otherwise'),
    log_decisions: z
      .boolean()
      .default(true)
      .describe('store every decision\'s log record (every candidate, the propensities) for off-policy evaluation and export'),
    learning: learningSchema.prefault({}),
    state_sync_interval_ms: milliseconds.default(30_000),
    evaluation: policyEvaluationSchema.prefault({}),
    psi: psiSchema.prefault({}),
  })
  .strict();

/** config/router.yaml. Every key is optional; unknown keys are errors. */
export const routerConfigSchema = z
  .object({
    mode: z.enum(routerModes).default('rule-based'),
    ai_rollout_percentage: z.number().min(0).max(100).default(0),
    rollout: rolloutSchema.prefault({}),
    policy: policySchema.prefault({}),
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
    if (config.mode === 'shadow' && config.ai_rollout_percentage !== 0) {
      context.addIssue({ code: 'custom', path: ['ai_rollout_percentage'], message: 'must be 0 in shadow mode: the rules deploy every request, the ai decides alongside' });
    }
    const { rollout } = config;
    if (rollout.enabled && config.mode !== 'hybrid') {
      context.addIssue({ code: 'custom', path: ['rollout', 'enabled'], message: `needs mode "hybrid" (the mode is "${config.mode}")` });
    }
    if (rollout.enabled && config.ai_rollout_percentage !== 0 && config.ai_rollout_percentage !== rollout.stages[0]) {
      context.addIssue({
        code: 'custom',
        path: ['ai_rollout_percentage'],
        message: `the rollout controller sets the ai share (from rollout.stages[0] = ${rollout.stages[0]}); leave it at 0 or set it to that`,
      });
    }
    if (!rollout.stages.every((stage, index) => index === 0 || stage > rollout.stages[index - 1]!)) {
      context.addIssue({ code: 'custom', path: ['rollout', 'stages'], message: 'must be strictly increasing percentages' });
    }
    try {
      resolveGuardrails(rollout.guardrails, 'rollout.guardrails');
    } catch (error) {
      if (!InvalidArgumentError.isInstance(error)) throw error;
      for (const issue of error.issues) {
        context.addIssue({ code: 'custom', path: issue.field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), message: issue.reason });
      }
    }
  });

export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type RouterConfig = z.output<typeof routerConfigSchema>;
