import { InvalidArgumentError, toFieldIssues } from '@aurora/router';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import type { z } from 'zod';

const documentationOnlySchemas = new WeakSet<object>();

/**
 * Marks a schema as documentation only: it appears in the OpenAPI document but fastify does not
 * validate with it, because the handler's callee validates the same input itself (the router
 * parses routing requests with the configured defaults merged in; validating twice would cost
 * time on the hot path and apply the schema's own defaults before the configured ones).
 */
export function documentationOnly<Schema extends z.ZodType>(schema: Schema): Schema {
  documentationOnlySchemas.add(schema);
  return schema;
}

/**
 * Validates with zod and fails with an `InvalidArgumentError` that names every bad field and the
 * reason; `details.location` says which part of the request (body, querystring, params, headers).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  if (documentationOnlySchemas.has(schema)) return (data) => ({ value: data });
  const location = httpPart ?? 'body';
  return (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issues = toFieldIssues(result.error, data);
    const error = new InvalidArgumentError({
      message: `Invalid ${location}: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`,
      issues,
    });
    error.details.location = location;
    return { error };
  };
};

/** Responses are plain JSON; their schemas document the API and are checked in the tests. */
export const jsonSerializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
