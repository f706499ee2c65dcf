import { accruedCostUsd, AuroraError, isTerminalStatus, NotFoundError, type Deployment } from '@aurora/router';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { visibleTenant, type Principal } from '../auth/principal';
import {
  deploymentIdParamsSchema, deploymentListSchema, deploymentViewSchema, errorBodySchema, listDeploymentsQuerySchema,
  logLinesResponseSchema, logsQuerySchema,
} from '../schemas/api-schemas';
import type { ServerContext } from '../server-context';
import { openEventStream } from './event-stream';

const heartbeatMs = 15_000;

/** GET /deployments, GET/DELETE /deployments/:id, GET /deployments/:id/logs. Tenants see only their own. */
export const deploymentRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;

  fastify.get(
    '/deployments',
    {
      schema: {
        summary: 'List deployments, newest first, with cursor paging',
        tags: ['deployments'],
        querystring: listDeploymentsQuerySchema,
        response: { 200: deploymentListSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
      config: { auth: { scope: 'read' } },
    },
    async (request) => {
      const { status, provider, cursor, limit } = request.query;
      const tenant = visibleTenant(request.principal);
      const page = await aurora.store.list({
        limit,
        ...(tenant !== undefined ? { tenant } : {}),
        ...(status ? { status } : {}),
        ...(provider ? { provider } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const now = aurora.clock.now();
      return { deployments: page.items.map((deployment) => withCostSoFar(deployment, now)), next_cursor: page.next_cursor };
    },
  );

  fastify.get(
    '/deployments/:id',
    {
      schema: {
        summary: 'One deployment: status (refreshed from the provider while live), provider ids, price, cost so far',
        tags: ['deployments'],
        params: deploymentIdParamsSchema,
        response: { 200: deploymentViewSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
      config: { auth: { scope: 'read' } },
    },
    async (request) => {
      const deployment = await findVisible(aurora, request.principal, request.params.id);
      const now = aurora.clock.now();
      if (isTerminalStatus(deployment.status) || deployment.provider_deployment_id === null) return withCostSoFar(deployment, now);
      try {
        return withCostSoFar(await aurora.router.status(deployment.deployment_id), now);
      } catch (error) {
        // The provider did not answer: the ledger's view is still the best there is.
        request.log.debug({ err: error, deployment_id: deployment.deployment_id }, 'status refresh failed');
        return withCostSoFar(deployment, now);
      }
    },
  );

  fastify.delete(
    '/deployments/:id',
    {
      schema: {
        summary: 'Terminate a deployment; idempotent (a finished deployment is returned as it is)',
        tags: ['deployments'],
        params: deploymentIdParamsSchema,
        response: {
          200: deploymentViewSchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema.describe('the deploy is still being resolved; retry later'),
          502: errorBodySchema,
          503: errorBodySchema.describe('the provider failed; the deployment stays terminating and is retried'),
        },
      },
      config: { auth: { scope: 'route' } },
    },
    async (request) => {
      const deployment = await findVisible(aurora, request.principal, request.params.id);
      return withCostSoFar(await aurora.router.terminate(deployment.deployment_id), aurora.clock.now());
    },
  );

  fastify.get(
    '/deployments/:id/logs',
    {
      schema: {
        summary: 'Log lines: a JSON array, or with follow=true Server-Sent Events until the deployment ends',
        tags: ['deployments'],
        params: deploymentIdParamsSchema,
        querystring: logsQuerySchema,
        response: {
          200: {
            description: 'A JSON array of log lines, or (follow=true) an event stream of `log` events and a final `end` event',
            content: {
              'application/json': { schema: logLinesResponseSchema },
              'text/event-stream': { schema: logLinesResponseSchema.element.describe('each `log` event carries one line as JSON') },
            },
          },
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
        },
      },
      config: { auth: { scope: 'read' } },
    },
    async (request, reply) => {
      const deployment = await findVisible(aurora, request.principal, request.params.id);
      const { follow, tail, since } = request.query;
      const tailLimit = Math.min(tail ?? aurora.config.router.limits.logs_tail_max, aurora.config.router.limits.logs_tail_max);
      if (!follow) {
        const controller = new AbortController();
        const lines = [];
        for await (const line of aurora.router.logs(deployment.deployment_id, { tail: tailLimit, signal: controller.signal, ...(since ? { since } : {}) })) {
          lines.push(line);
          if (lines.length > tailLimit) lines.shift();
        }
        return lines;
      }

      const stream = openEventStream(reply, { heartbeatMs, shutdownSignal: aurora.shutdownSignal });
      let sequence = 0;
      try {
        const lines = aurora.router.logs(deployment.deployment_id, {
          follow: true,
          signal: stream.signal,
          ...(tail !== undefined ? { tail: tailLimit } : {}),
          ...(since ? { since } : {}),
        });
        for await (const line of lines) {
          if (stream.signal.aborted) break;
          sequence += 1;
          await stream.send('log', line, String(sequence));
        }
        await stream.send('end', { deployment_id: deployment.deployment_id, lines: sequence });
      } catch (error) {
        if (!stream.signal.aborted) {
          const { code, message } = asErrorSummary(error);
          request.log.warn({ err: error, deployment_id: deployment.deployment_id }, 'log stream failed');
          await stream.send('error', { error: { code, message, details: {} } });
        }
      } finally {
        stream.end();
      }
      return reply;
    },
  );
};

async function findVisible(aurora: ServerContext, principal: Principal, id: string): Promise<Deployment> {
  const tenant = visibleTenant(principal);
  const deployment = tenant === undefined ? await aurora.store.get(id) : await aurora.store.getForTenant(id, tenant);
  // Another tenant's deployment is "not found": its existence is not the caller's business.
  if (!deployment) throw new NotFoundError({ resource: 'deployment', id });
  return deployment;
}

/** The ledger's cost, or price x running time if the accrual loop has not caught up yet. */
function withCostSoFar(deployment: Deployment, now: number): Deployment {
  const accrued = accruedCostUsd(deployment, now);
  return accrued > deployment.cost_usd ? { ...deployment, cost_usd: accrued } : deployment;
}

function asErrorSummary(error: unknown): { code: string; message: string } {
  if (AuroraError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: 'AURORA_ERR_INTERNAL', message: 'The log stream failed' };
}
