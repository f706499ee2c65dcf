import type { FastifyPluginAsync } from 'fastify';

/** GET /docs and GET /docs/json: the OpenAPI 3.1 document generated from the routes' zod schemas. */
export const docsRoutes: FastifyPluginAsync = async (fastify) => {
  for (const url of ['/docs', '/docs/json']) {
    fastify.get(url, { schema: { hide: true } as never, config: { auth: { publicEndpoint: 'docs' } } }, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').serializer(JSON.stringify).send(fastify.swagger()),
    );
  }
};
