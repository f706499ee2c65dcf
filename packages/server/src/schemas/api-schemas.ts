import {
  armSchema, circuitStateSchema, criterionValuesSchema, deployAttemptSchema, deploymentSchema, deploymentStatusSchema,
  logLineSchema, offerRejectionSchema, offerSchema, routingRequestSchema, scoredCandidateSchema,
} from '@aurora/router';
import { z } from 'zod';

/**
 * Response shapes as they go over the wire, for the OpenAPI document. Requests are validated with
 * the core's schemas themselves; responses are serialised with JSON.stringify (the hot path
 * stays free of per-response schema work), and the server's tests check them against these.
 */

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable AURORA_ERR_* code'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).describe('for invalid input: issues, a list of { field, reason }'),
    }),
  });

export const offerViewSchema = offerSchema.extend({ gpu_type: z.string(), region: z.string() });

export const decisionViewSchema = z
  .object({
    decision_id: z.string(),
    created_at: z.string(),
    chosen: offerViewSchema.nullable(),
    candidates: z.array(scoredCandidateSchema.extend({ offer: offerViewSchema })).describe('ranked, best first'),
    rejections: z.array(offerRejectionSchema),
    rejection_counts: z.object({ by_reason: z.record(z.string(), z.number()), by_provider: z.record(z.string(), z.number()) }),
    weights: criterionValuesSchema,
    policy: z.object({ id: z.string(), version: z.string() }),
    arm: armSchema,
    propensity: z.number(),
    shadow: z.object({ policy: z.object({ id: z.string(), version: z.string() }), offer_id: z.string(), propensity: z.number() }).nullable(),
    attempts: z.array(deployAttemptSchema),
    adapter_failures: z.array(z.object({ provider: z.string(), code: z.string(), message: z.string() })),
    warnings: z.array(z.string()),
  });

export const deploymentViewSchema = deploymentSchema;

export const routeResponseSchema = z
  .object({
    deployment_id: z.string(),
    provider: z.string(),
    provider_deployment_id: z.string().nullable(),
    offer_id: z.string(),
    status: deploymentStatusSchema,
    price_usd_per_hour: z.number(),
    estimated_latency_ms: z.number().nullable(),
    gpu_type: z.string(),
    gpu_count: z.number(),
    region: z.string(),
    endpoint: z.string().nullable(),
    decision_id: z.string(),
    created_at: z.string(),
    decision: decisionViewSchema,
  });

export const quoteResponseSchema = z
  .object({
    request: z.record(z.string(), z.unknown()).describe('the request after defaults and normalisation'),
    weights: criterionValuesSchema,
    candidates: z.array(scoredCandidateSchema.extend({ offer: offerViewSchema })),
    rejections: z.array(offerRejectionSchema),
    rejection_counts: z.object({ by_reason: z.record(z.string(), z.number()), by_provider: z.record(z.string(), z.number()) }),
    adapter_failures: z.array(z.object({ provider: z.string(), code: z.string(), message: z.string() })),
    warnings: z.array(z.string()),
    total_offers: z.number(),
    eligible_count: z.number(),
    quoted_at: z.string(),
  });

export const deploymentListSchema = z.object({
  deployments: z.array(deploymentViewSchema),
  next_cursor: z.string().nullable(),
});

export const providerViewSchema = z
  .object({
    provider: z.string(),
    simulated: z.boolean(),
    healthy: z.boolean(),
    circuit: circuitStateSchema,
    latency_ms: z.number().nullable(),
    checked_at: z.string().nullable(),
    consecutive_failures: z.number(),
    message: z.string().nullable(),
    capacity: z.number().nullable().describe('GPUs with free capacity in the latest quotes; null before the first'),
    gpu_types: z.array(z.string()),
    regions: z.array(z.string()),
    price_range: z.object({ min_usd_per_hour: z.number(), max_usd_per_hour: z.number() }).nullable().describe('USD per GPU-hour'),
    observed_at: z.string().nullable().describe('when the market figures were last seen in a quote'),
  });

export const providersResponseSchema = z.object({ providers: z.array(providerViewSchema) });

export const logLinesResponseSchema = z.array(logLineSchema.extend({ stream: z.enum(['stdout', 'stderr', 'system']) }));

export const healthResponseSchema = z.object({ status: z.literal('ok') });

export const readyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    ledger: z.object({ ok: z.boolean(), message: z.string().nullable() }),
    providers: z.object({ ok: z.boolean(), healthy: z.array(z.string()), message: z.string().nullable() }),
  }),
});

/** The route request body in the document: the core schema (its input side). */
export const routingRequestBodySchema = routingRequestSchema;

export const deploymentIdParamsSchema = z.object({ id: z.string().min(1).max(128) }).strict();

export const listDeploymentsQuerySchema = z
  .object({
    status: z
      .string()
      .transform((value) => value.split(',').map((status) => status.trim()))
      .pipe(z.array(deploymentStatusSchema).min(1))
      .optional()
      .describe('one status, or several separated by commas'),
    provider: z.string().min(1).max(64).optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();

const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const logsQuerySchema = z
  .object({
    follow: booleanQuery.default(false).describe('stream Server-Sent Events until the deployment ends'),
    tail: z.coerce.number().int().min(1).max(100_000).optional().describe('only the last N lines before following'),
    since: z.iso.datetime({ offset: true }).optional().describe('only lines at or after this ISO-8601 time'),
  })
  .strict();

/** Named schemas: they become components of the OpenAPI document (`#/components/schemas/<id>`). */
export const documentedSchemas: ReadonlyArray<readonly [z.ZodType, string]> = [
  [errorBodySchema, 'Error'],
  [decisionViewSchema, 'Decision'],
  [deploymentViewSchema, 'Deployment'],
  [routeResponseSchema, 'RouteResponse'],
  [quoteResponseSchema, 'QuoteResponse'],
  [providerViewSchema, 'Provider'],
  [routingRequestBodySchema, 'RoutingRequest'],
];
