import { InvalidArgumentError, type Decision, type Deployment, type RoutingRequestInput } from '@aurora/router';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecoverStaleClaim, RunResponse } from '../idempotency/idempotent-executor';
import { documentationOnly } from '../plugins/zod-compilers';
import { recoveredDecision } from '../routing/recovered-decision';
import { isStoredRouteResponse, routeResponseJson, storedRouteResponse, toRouteResponse, toRouteSummary } from '../routing/route-response';
import { errorBodySchema, quoteResponseSchema, routeResponseSchema, routingRequestBodySchema } from '../schemas/api-schemas';
import type { ServerContext } from '../server-context';

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

const routeHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(idempotencyKeyPattern, '1 to 255 visible ASCII characters')
    .optional()
    .describe('the same key and body return the first response; the same key with another body is 409'),
});

const errorResponses = {
  400: errorBodySchema.describe('invalid input: every bad field with the reason'),
  401: errorBodySchema,
  402: errorBodySchema.describe('a tenant or global budget is spent'),
  403: errorBodySchema,
  409: errorBodySchema.describe('Idempotency-Key reused with another body, or still in progress'),
  413: errorBodySchema,
  422: errorBodySchema.describe('no offer satisfies the request; counts rejections by reason'),
  429: errorBodySchema,
  502: errorBodySchema,
  503: errorBodySchema.describe('providers failed in a way worth retrying; see Retry-After'),
};

/** POST /route and POST /quote. */
export const routeRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;

  fastify.post(
    '/route',
    {
      schema: {
        summary: 'Route a GPU workload: quote, decide, deploy with failover',
        tags: ['routing'],
        body: documentationOnly(routingRequestBodySchema),
        headers: documentationOnly(routeHeadersSchema),
        response: { 201: routeResponseSchema, ...errorResponses },
      },
      config: { auth: { scope: 'route' } },
    },
    async (request, reply) => {
      const body = requireObject(request.body);
      const tenant = request.principal.tenant;
      const key = idempotencyKey(request.headers['idempotency-key']);
      const run = async () => {
        const result = await routeOnce(aurora, body, tenant, key);
        return routedResponse(aurora, result.deployment, result.decision);
      };
      const response = key === undefined
        ? { ...(await run()), replayed: false }
        : await aurora.idempotency.execute({ tenant, key, body }, run, recoverRoute(aurora, tenant, key));
      if (response.replayed) void reply.header('idempotent-replayed', 'true');
      // A fresh route's body is its JSON text already (see routedResponse); a replay from the ledger is expanded first.
      const payload = typeof response.body === 'string' ? response.body : await expandStoredRoute(aurora, response.body);
      if (typeof payload === 'string') void reply.type('application/json; charset=utf-8');
      return reply.code(response.status).send(payload as never);
    },
  );

  fastify.post(
    '/quote',
    {
      schema: {
        summary: 'Rank the offers available now for a request; nothing is deployed',
        tags: ['routing'],
        body: documentationOnly(routingRequestBodySchema),
        response: { 200: quoteResponseSchema, ...errorResponses },
      },
      config: { auth: { scope: 'route' } },
    },
    async (request) => {
      const body = requireObject(request.body);
      const tenant = request.principal.tenant;
      const budget = aurora.budgets.active ? await aurora.budgets.remainingFor(tenant) : undefined;
      return (await aurora.router.quote(body, {
        ...(tenant !== null ? { tenant } : {}),
        ...(budget !== undefined ? { budget_usd: budget } : {}),
      })) as never;
    },
  );
};

async function routeOnce(aurora: ServerContext, body: RoutingRequestInput, tenant: string | null, key: string | undefined) {
  const budget = aurora.budgets.active ? await aurora.budgets.remainingFor(tenant) : undefined;
  return aurora.router.route(body, {
    ...(tenant !== null ? { tenant } : {}),
    ...(key !== undefined ? { idempotency_key: key } : {}),
    ...(budget !== undefined ? { budget_usd: budget } : {}),
  });
}

/**
 * A fresh route's 201: the body as JSON text, built around the decision's JSON that the ledger
 * stored (so the decision is serialised once per route). The ledger completed the idempotency key
 * already, in the same write as the deployment and the decision (see `createLedgerRegistry`); when
 * it did not (a decision that was not saved), the executor stores the compact form, or the whole
 * body if the decision is not in the ledger to rebuild it from.
 */
function routedResponse(aurora: ServerContext, deployment: Deployment, decision: Decision): RunResponse {
  const summary = toRouteSummary(deployment, decision);
  const saved = aurora.registry.takeSavedDecision(decision);
  if (saved === undefined) {
    const body = { ...summary, decision };
    return { status: 201, body: JSON.stringify(body), stored: body };
  }
  return {
    status: 201,
    body: routeResponseJson(summary, saved.json),
    stored: storedRouteResponse(summary),
    completed: saved.idempotencyKeyCompleted,
  };
}

/** A stored response as sent: a compact route record gets its decision back, anything else is sent as stored. */
async function expandStoredRoute(aurora: ServerContext, stored: unknown): Promise<unknown> {
  if (!isStoredRouteResponse(stored)) return stored;
  const { summary } = stored;
  let decision = await aurora.router.getDecision(summary.decision_id);
  if (!decision) {
    const deployment = await aurora.store.get(summary.deployment_id);
    decision = recoveredDecision(deployment ?? ({ decision_id: summary.decision_id, created_at: summary.created_at } as Deployment), aurora.config.router.defaults.weights);
  }
  return { ...summary, decision };
}

/**
 * When another holder of the key never finished (a crashed replica): the deployment it recorded
 * under the key answers the request, once it has a provider id; a failed one is routed again.
 */
function recoverRoute(aurora: ServerContext, tenant: string | null, key: string): RecoverStaleClaim {
  return async () => {
    const deployment = await aurora.store.findByIdempotencyKey(key, tenant);
    if (!deployment) return undefined;
    if (deployment.status === 'failed') return 'retry';
    if (deployment.provider_deployment_id === null) return undefined;
    // A holder that died mid-deploy never wrote its decision; the adopted deployment still answers.
    const decision = (await aurora.router.getDecision(deployment.decision_id)) ?? recoveredDecision(deployment, aurora.config.router.defaults.weights);
    return { status: 201, body: toRouteResponse(deployment, decision) };
  };
}

function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header === 'string' && idempotencyKeyPattern.test(header)) return header;
  throw new InvalidArgumentError({
    message: 'Invalid Idempotency-Key header: 1 to 255 visible ASCII characters, sent once',
    issues: [{ field: 'Idempotency-Key', reason: 'must be 1 to 255 visible ASCII characters, sent once' }],
  });
}

function requireObject(body: unknown): RoutingRequestInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidArgumentError({
      message: 'Invalid routing request: the body must be a JSON object',
      issues: [{ field: '(root)', reason: 'must be a JSON object' }],
    });
  }
  return body as RoutingRequestInput;
}
