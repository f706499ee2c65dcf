import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { z } from 'zod';
import type { ProviderAdapter } from '../adapter/provider-adapter-v1';
import { assertSupportedAdapter } from '../adapter/assert-adapter';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { Policy } from '../policy/policy';
import { parseOrThrow, toFieldIssues } from '../schemas/parse';
import { routingRequestSchema, type RoutingRequestInput } from '../schemas/routing-request';
import { normalizeWeights, weightsSchema, type Weights, type WeightsInput } from '../schemas/weights';
import type { DeploymentRegistry } from './deployment-registry';

export type RouterClock = { now(): number };

export type CircuitLimits = {
  /** Opens after this many failures in a row. */
  consecutive_failures: number;
  /** Or when at least this share (0-1] of the calls in the window failed... */
  failure_rate: number;
  window_ms: number;
  /** ...and the window holds at least this many calls. */
  minimum_calls: number;
  /** How long an open circuit stays open before one probe is let through (429 uses Retry-After). */
  cooldown_ms: number;
};

export type RouterLimits = {
  /** Per adapter `listOffers` call. */
  quote_timeout_ms: number;
  /** Adapter calls (listOffers) running at once. */
  quote_concurrency: number;
  /** Offers younger than this are served from the cache without asking the provider. */
  offer_cache_fresh_ms: number;
  /** Offers up to this age are served while a refresh runs in the background; older ones never. */
  offer_cache_max_age_ms: number;
  /** Request shapes kept in the offer cache (least recently used go first). */
  offer_cache_max_entries: number;
  max_deploy_attempts: number;
  /** Per `deploy` call. */
  deploy_timeout_ms: number;
  /** Whole `route()`: quote, decision and every deploy attempt. */
  route_deadline_ms: number;
  /** getStatus, terminate and healthCheck calls. */
  adapter_call_timeout_ms: number;
  /** Most a request may cost (price x duration) when the request has `gpu_hours`. */
  budget_per_request_usd?: number;
  /** Candidates kept in a decision record and a quote result (the chosen one is always kept). */
  max_recorded_candidates: number;
  /** Rejections kept in a decision record and a quote result; the counts always cover all. */
  max_recorded_rejections: number;
  /** Successful route results kept for idempotent replays in this process. */
  idempotency_cache_size: number;
  circuit: CircuitLimits;
};

export type RouterTelemetryProviders = { tracerProvider?: TracerProvider; meterProvider?: MeterProvider };

export type RouterOptions = {
  adapters: readonly ProviderAdapter[];
  /** Chooses among the ranked candidates; default `new RulePolicy()` (the scorer's best). */
  policy?: Policy;
  /** Merged under every request before it is parsed. */
  defaults?: Partial<RoutingRequestInput>;
  /** Default criterion weights; a request's `weights` override them. */
  weights?: WeightsInput;
  limits?: Partial<Omit<RouterLimits, 'circuit'>> & { circuit?: Partial<CircuitLimits> };
  /** Where deployments are recorded; default in memory. The server passes its durable ledger. */
  registry?: DeploymentRegistry;
  telemetry?: RouterTelemetryProviders;
  /** Milliseconds since the epoch; default `Date`. */
  clock?: RouterClock;
  /** Id for a prefix (`dep`, `dec`); the router adds `<prefix>-` when the result lacks it. */
  generateId?: (prefix: string) => string;
  /**
   * Feed outcomes to the policy automatically: filled when a deployment is first seen running,
   * not filled when every deploy attempt fails or it fails before running. Default true.
   */
  observe_outcomes?: boolean;
};

const positiveInteger = z.number().int().positive();

const circuitLimitsSchema = z
  .object({
    consecutive_failures: positiveInteger.default(5),
    failure_rate: z.number().gt(0).max(1).default(0.5),
    window_ms: positiveInteger.default(60_000),
    minimum_calls: positiveInteger.default(10),
    cooldown_ms: positiveInteger.default(30_000),
  })
  .strict();

const limitsSchema = z
  .object({
    quote_timeout_ms: positiveInteger.default(2_000),
    quote_concurrency: positiveInteger.default(8),
    offer_cache_fresh_ms: z.number().int().nonnegative().default(5_000),
    offer_cache_max_age_ms: z.number().int().nonnegative().default(60_000),
    offer_cache_max_entries: positiveInteger.default(1_000),
    max_deploy_attempts: positiveInteger.max(100).default(3),
    deploy_timeout_ms: positiveInteger.default(30_000),
    route_deadline_ms: positiveInteger.default(60_000),
    adapter_call_timeout_ms: positiveInteger.default(10_000),
    budget_per_request_usd: z.number().positive().finite().optional(),
    max_recorded_candidates: positiveInteger.default(50),
    max_recorded_rejections: z.number().int().nonnegative().default(200),
    idempotency_cache_size: z.number().int().nonnegative().default(10_000),
    circuit: circuitLimitsSchema.prefault({}),
  })
  .strict()
  .refine((limits) => limits.offer_cache_max_age_ms >= limits.offer_cache_fresh_ms, {
    message: 'must be at least offer_cache_fresh_ms',
    path: ['offer_cache_max_age_ms'],
  });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const hasFunctions = (value: unknown, ...names: string[]) => isObject(value) && names.every((name) => typeof value[name] === 'function');

const optionsSchema = z
  .object({
    adapters: z.array(z.custom<ProviderAdapter>(isObject, 'must be a provider adapter object')),
    policy: z.custom<Policy>((value) => hasFunctions(value, 'decide') && typeof (value as { id?: unknown }).id === 'string', 'must be a Policy with id and decide()').optional(),
    defaults: z.record(z.string(), z.unknown()).optional(),
    weights: weightsSchema.optional(),
    limits: limitsSchema.prefault({}),
    registry: z.custom<DeploymentRegistry>((value) => hasFunctions(value, 'get', 'save'), 'must have get() and save()').optional(),
    telemetry: z
      .object({
        tracerProvider: z.custom<TracerProvider>((value) => hasFunctions(value, 'getTracer'), 'must be a TracerProvider').optional(),
        meterProvider: z.custom<MeterProvider>((value) => hasFunctions(value, 'getMeter'), 'must be a MeterProvider').optional(),
      })
      .strict()
      .optional(),
    clock: z.custom<RouterClock>((value) => hasFunctions(value, 'now'), 'must have now()').optional(),
    generateId: z.custom<(prefix: string) => string>((value) => typeof value === 'function', 'must be a function').optional(),
    observe_outcomes: z.boolean().default(true),
  })
  .strict();

export type ResolvedRouterOptions = {
  adapters: readonly ProviderAdapter[];
  policy: Policy | undefined;
  defaults: Partial<RoutingRequestInput>;
  weights: Weights;
  limits: RouterLimits;
  registry: DeploymentRegistry | undefined;
  telemetry: RouterTelemetryProviders;
  clock: RouterClock;
  generateId: ((prefix: string) => string) | undefined;
  observe_outcomes: boolean;
};

/** Validates router options; throws `InvalidArgumentError` naming each bad field. */
export function resolveRouterOptions(input: RouterOptions): ResolvedRouterOptions {
  if (!isObject(input)) throw new InvalidArgumentError({ issues: [{ field: '(root)', reason: 'router options object is required' }] });
  const options = parseOrThrow(optionsSchema, input, 'router options');

  const names = new Set<string>();
  options.adapters.forEach((adapter, index) => {
    assertSupportedAdapter(adapter);
    for (const method of ['listOffers', 'deploy', 'getStatus', 'getLogs', 'terminate', 'healthCheck'] as const) {
      if (typeof adapter[method] !== 'function') {
        throw new InvalidArgumentError({ issues: [{ field: `adapters.${index}.${method}`, reason: 'must be a function' }] });
      }
    }
    if (names.has(adapter.name)) {
      throw new InvalidArgumentError({ issues: [{ field: `adapters.${index}.name`, reason: `duplicate adapter name "${adapter.name}"` }] });
    }
    names.add(adapter.name);
  });

  const defaults = (options.defaults ?? {}) as Partial<RoutingRequestInput>;
  // Parse once so that a typo in the defaults fails at construction, not on the first request.
  const parsedDefaults = routingRequestSchema.partial().strict().safeParse(defaults);
  if (!parsedDefaults.success) {
    const issues = toFieldIssues(parsedDefaults.error).map((issue) => ({ ...issue, field: `defaults.${issue.field}` }));
    throw new InvalidArgumentError({ message: `Invalid router options: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`, issues });
  }

  const weights = normalizeWeights(options.weights);
  if (!weights) throw new InvalidArgumentError({ issues: [{ field: 'weights', reason: 'at least one weight must be above zero' }] });

  return {
    adapters: options.adapters,
    policy: options.policy,
    defaults,
    weights,
    limits: options.limits,
    registry: options.registry,
    telemetry: options.telemetry ?? {},
    clock: options.clock ?? Date,
    generateId: options.generateId,
    observe_outcomes: options.observe_outcomes,
  };
}
