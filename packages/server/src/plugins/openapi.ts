import swagger from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { documentedSchemas } from '../schemas/api-schemas';

export type OpenApiPluginOptions = { version: string };

/**
 * Collects every route's zod schemas into an OpenAPI 3.1 document (JSON Schema 2020-12). Named
 * schemas go into `components` through a registry of this server only; nothing global is touched.
 */
const openApi: FastifyPluginAsync<OpenApiPluginOptions> = async (fastify, options) => {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of documentedSchemas) registry.add(schema, { id });

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Aurora Router API',
        description: 'Routes GPU work to the best decentralised compute provider, then runs, watches, bills and tears it down.',
        version: options.version,
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <key>' } },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: registry }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: registry }),
  });
};

export const openApiPlugin = fastifyPlugin(openApi, { name: 'aurora-openapi', fastify: '5.x' });
