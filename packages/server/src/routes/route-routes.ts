import { InvalidArgumentError, type RoutingRequestInput } from '@aurora/router';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecoverStaleClaim } from '../idempotency/idempotent-executor';
import { documentationOnly } from '../plugins/zod-compilers';
import { toRouteResponse } from '../routing/route-response';
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
        return { status: 201, body: toRouteResponse(result.deployment, result.decision) };
      };
      const response = key === undefined
        ? { ...(await run()), replayed: false }
        : await aurora.idempotency.execute({ tenant, key, body }, run, recoverRoute(aurora, tenant, key));
      if (response.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(response.status).send(response.body as never);
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
 * When another holder of the key never finished (a crashed replica): the deployment it recorded
 * under the key answers the request, once it has a provider id; a failed one is routed again.
 */
function recoverRoute(aurora: ServerContext, tenant: string | null, key: string): RecoverStaleClaim {
  return async () => {
    const deployment = await aurora.store.findByIdempotencyKey(key, tenant);
    if (!deployment) return undefined;
    if (deployment.status === 'failed') return 'retry';
    if (deployment.provider_deployment_id === null) return undefined;
    const decision = await aurora.router.getDecision(deployment.decision_id);
    if (!decision) return undefined;
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
