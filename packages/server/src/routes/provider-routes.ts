import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, providersResponseSchema } from '../schemas/api-schemas';

/** GET /providers: health, circuit, latency, and what each provider sells, simulated or real. */
export const providerRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;
  const entries = new Map(aurora.providers.map((entry) => [entry.id, entry]));

  fastify.get(
    '/providers',
    {
      schema: {
        summary: 'Every configured provider: health, circuit state, latency, capacity, GPU types, regions, price range',
        tags: ['providers'],
        response: { 200: providersResponseSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
      config: { auth: { scope: 'read' } },
    },
    async () => ({
      providers: aurora.router.providers().map((health) => {
        const entry = entries.get(health.provider);
        const market = aurora.market.view(health.provider);
        const catalog = entry?.catalog ?? null;
        return {
          ...health,
          simulated: entry?.simulated ?? health.simulated,
          capacity: market?.capacity ?? null,
          gpu_types: union(market?.gpu_types, catalog?.gpu_types),
          regions: union(market?.regions, catalog?.regions),
          price_range: market?.price_range ?? catalog?.price_range ?? null,
          observed_at: market?.observed_at ?? null,
        };
      }),
    }),
  );
};

function union(first: readonly string[] | undefined, second: readonly string[] | undefined): string[] {
  return [...new Set([...(first ?? []), ...(second ?? [])])].sort();
}
