import { Readable } from 'node:stream';
import { ConflictError } from '@aurora/router';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policyStatusSchema, rolloutActionSchema } from '../policy/policy-status-schema';
import { errorBodySchema } from '../schemas/api-schemas';

export const decisionExportContentType = 'application/x-ndjson; charset=utf-8';

const exportQuerySchema = z
  .object({
    since: z
      .string()
      .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO-8601 time, e.g. 2026-03-01T00:00:00Z')
      .transform((value) => new Date(value).toISOString())
      .optional()
      .describe('decisions taken at or after this time'),
    limit: z.coerce.number().int().min(1).max(1_000_000).default(10_000).describe('at most this many decisions, oldest first'),
  })
  .strict();

/** GET /policy, POST /policy/rollout and GET /decisions/export. */
export const policyRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const aurora = fastify.aurora;

  fastify.get(
    '/policy',
    {
      schema: {
        summary: 'The routing policy: mode, rollout stage, arm sizes, live A/B metrics, model version, off-policy estimates, Psi-field',
        tags: ['policy'],
        response: { 200: policyStatusSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
      config: { auth: { scope: 'read' } },
    },
    async () => aurora.policy.status(),
  );

  fastify.post(
    '/policy/rollout',
    {
      schema: {
        summary: 'Resume the rollout after a rollback (at a stage, default the first) or reset it to the first stage',
        tags: ['policy'],
        body: rolloutActionSchema,
        response: { 200: policyStatusSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema.describe('the rollout is not enabled') },
      },
      config: { auth: { scope: 'admin' } },
    },
    async (request) => {
      if (!aurora.policy.rolloutEnabled) {
        throw new ConflictError({ message: 'The rollout is not enabled: set mode: hybrid and rollout.enabled: true in router.yaml' });
      }
      const action = request.body;
      if (action.action === 'resume' && action.stage_index !== undefined && action.stage_index >= aurora.config.router.rollout.stages.length) {
        throw new ConflictError({ message: `stage_index ${action.stage_index} is past the last stage (${aurora.config.router.rollout.stages.length - 1})` });
      }
      await aurora.policy.controlRollout(action);
      return aurora.policy.status();
    },
  );

  fastify.get(
    '/decisions/export',
    {
      schema: {
        summary: 'Every logged decision as JSON lines (one DecisionLogRecord per line), oldest first, outcomes and rewards joined',
        tags: ['policy'],
        querystring: exportQuerySchema,
        response: {
          200: z.string().describe('application/x-ndjson: one decision log record per line'),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
      config: { auth: { scope: 'admin' } },
    },
    async (request, reply) => {
      const { since, limit } = request.query;
      const lines = aurora.policy.exportDecisions({ limit, ...(since !== undefined ? { since } : {}) });
      return reply.type(decisionExportContentType).send(Readable.from(lines) as never);
    },
  );
};
