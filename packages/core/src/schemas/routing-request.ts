import { z } from 'zod';
import { canonicalGpuTypes, normalizeGpuType } from './gpu-type';
import { canonicalizeRegion, canonicalRegions } from './region';
import { weightsSchema } from './weights';

export const workloadTypes = ['llm_inference', 'llm_training', 'rendering', 'general'] as const;
export const workloadTypeSchema = z.enum(workloadTypes);
export type WorkloadType = z.infer<typeof workloadTypeSchema>;

export const gpuTypeSchema = z.string().trim().min(1).transform((value, context) => {
  const normalized = normalizeGpuType(value);
  if (!normalized) {
    context.addIssue({
      code: 'custom',
      message: `unknown GPU type "${value}"; known types: ${canonicalGpuTypes.join(', ')}`,
    });
    return z.NEVER;
  }
  return normalized.gpu_type;
});

export const regionSchema = z.string().trim().min(1).transform((value, context) => {
  const region = canonicalizeRegion(value);
  if (!region) {
    context.addIssue({ code: 'custom', message: `unknown region "${value}"; known regions: ${canonicalRegions.join(', ')}` });
    return z.NEVER;
  }
  return region;
});

const environmentNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the caller wants placed. snake_case, as in the HTTP API, so one schema serves every layer. */
export const routingRequestSchema = z
  .object({
    workload_type: workloadTypeSchema,
    gpu_type: gpuTypeSchema,
    gpu_memory_gb: z.number().positive().max(1024).optional().describe('minimum memory per GPU'),
    gpu_count: z.number().int().min(1).max(64).default(1),
    region: regionSchema.default('global'),
    gpu_hours: z.number().positive().max(1_000_000).optional().describe('GPU-hours of work: duration x gpu_count'),
    max_price: z.number().positive().finite().optional().describe('USD per hour for the whole request'),
    max_latency_ms: z.number().positive().finite().optional(),
    min_reputation: z.number().min(0).max(100).optional(),
    allow_interruptible: z.boolean().default(true),
    weights: weightsSchema.optional(),
    image: z.string().trim().min(1).max(512).optional(),
    env: z
      .record(z.string().regex(environmentNamePattern, 'environment variable names are letters, digits and _'), z.string().max(32_768))
      .optional(),
    ports: z.array(z.number().int().min(1).max(65_535)).max(32).optional(),
    command: z.array(z.string().max(4_096)).max(256).optional(),
  })
  .strict();

export type RoutingRequestInput = z.input<typeof routingRequestSchema>;
export type RoutingRequest = z.output<typeof routingRequestSchema>;

/** Hours of wall-clock time the request asks for: gpu_hours spread over its GPUs. */
export function requestDurationHours(request: Pick<RoutingRequest, 'gpu_hours' | 'gpu_count'>): number | undefined {
  return request.gpu_hours === undefined ? undefined : request.gpu_hours / request.gpu_count;
}
