import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, healthResponseSchema, readyResponseSchema } from '../schemas/api-schemas';

const readinessProbeId = 'dep-readiness-probe';

/** GET /health (liveness) and GET /ready (the ledger answers and at least one provider is healthy). */
export const healthRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;

  fastify.get(
    '/health',
    {
      schema: { summary: 'Liveness: the process answers', tags: ['operations'], response: { 200: healthResponseSchema } },
      config: { auth: { publicEndpoint: 'health' }, rateLimit: false },
    },
    async () => ({ status: 'ok' as const }),
  );

  fastify.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the ledger is reachable and a provider is healthy',
        tags: ['operations'],
        response: { 200: readyResponseSchema, 401: errorBodySchema, 503: readyResponseSchema },
      },
      config: { auth: { publicEndpoint: 'ready' }, rateLimit: false },
    },
    async (_request, reply) => {
      let ledgerMessage: string | null = null;
      try {
        await aurora.store.get(readinessProbeId);
      } catch (error) {
        ledgerMessage = `ledger unreachable: ${(error as Error)?.message ?? String(error)}`;
      }
      const healthy = aurora.router.providers().filter((provider) => provider.healthy).map((provider) => provider.provider);
      const closing = aurora.shutdownSignal.aborted;
      const ready = ledgerMessage === null && healthy.length > 0 && !closing;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: {
          ledger: { ok: ledgerMessage === null, message: ledgerMessage },
          providers: {
            ok: healthy.length > 0,
            healthy,
            message: closing ? 'shutting down' : healthy.length > 0 ? null : 'no provider is healthy',
          },
        },
      });
    },
  );
};
