import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { mapAuroraError } from '../errors/map-aurora-error';

/**
 * One error handler for the whole API: every failure becomes `{ error: { code, message, details } }`
 * with the status of design.md section 7. Unexpected errors are logged with their cause and
 * answered without it.
 */
const errorHandling: FastifyPluginAsync = async (fastify) => {
  fastify.setErrorHandler((error, request, reply) => {
    const mapped = mapAuroraError(error);
    if (mapped.unexpected) request.log.error({ err: error }, 'request failed');
    else if (mapped.statusCode >= 500) request.log.warn({ err: error }, 'upstream failure');
    else request.log.debug({ err: error }, 'request rejected');
    void reply.code(mapped.statusCode).headers(mapped.headers).type('application/json; charset=utf-8').send(mapped.body);
  });

  fastify.setNotFoundHandler((request, reply) => {
    void reply.code(404).type('application/json; charset=utf-8').send({
      error: { code: 'AURORA_ERR_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}`, details: {} },
    });
  });
};

export const errorHandlingPlugin = fastifyPlugin(errorHandling, { name: 'aurora-error-handling', fastify: '5.x' });
