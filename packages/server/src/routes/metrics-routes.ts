import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { prometheusContentType } from '../metrics/prometheus-metrics';
import { errorBodySchema } from '../schemas/api-schemas';

/** GET /metrics: the Prometheus text exposition of the OpenTelemetry meter provider. */
export const metricsRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;

  fastify.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (text exposition format 0.0.4)',
        tags: ['operations'],
        response: { 200: z.string().describe('Prometheus text format'), 401: errorBodySchema },
      },
      config: { auth: { publicEndpoint: 'metrics' }, rateLimit: false },
    },
    async (_request, reply) => {
      const text = await aurora.metrics.render();
      return reply.type(prometheusContentType).serializer((payload) => payload as string).send(text);
    },
  );
};
