import { z } from 'zod';

/**
 * Response schemas of the io.net Enterprise CaaS API (base `/enterprise/v1/io-cloud/caas`).
 * Minimal and lenient on purpose: fields we do not read are not declared, optional ones are
 * `.nullish()`, ids may be numbers or strings (REST uses integers, io.net's MCP tools use strings),
 * and every documented `{ data: ... }` envelope is also accepted bare.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ data: X }` (documented) or a bare `X` (which io.net sends where is unconfirmed). */
export function enveloped<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (isRecord(value) && 'data' in value ? value.data : value), schema);
}

/** An id the API sends as an integer (or, after the drift noted in the reference, a string). */
export const ionetIdSchema = z.union([z.number(), z.string().min(1)]);
export type IonetId = z.infer<typeof ionetIdSchema>;

/** A number, also when sent as a numeric string ("4.38"). */
export const ionetNumberSchema = z.union([
  z.number().finite(),
  z.string().trim().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i).transform(Number),
]);

const idAsStringSchema = ionetIdSchema.transform(String);

// --- discovery -------------------------------------------------------------------------------

export const ionetHardwareSchema = z.object({
  hardware_id: ionetIdSchema,
  hardware_name: z.string().min(1),
  brand_name: z.string().nullish(),
  max_gpus_per_container: z.number().int().positive().nullish(),
  available: ionetNumberSchema.nullish(),
});
export type IonetHardware = z.infer<typeof ionetHardwareSchema>;

/** `GET /hardware/max-gpus-per-container`. Rows stay unknown: a bad row is a warning, not a failure. */
export const ionetHardwareListResponseSchema = enveloped(
  z.object({ hardware: z.array(z.unknown()), total: z.number().nullish() }),
);

export const ionetLocationReplicasSchema = z.object({
  id: ionetIdSchema,
  iso2: z.string().nullish(),
  name: z.string().nullish(),
  available_replicas: z.number().int().nonnegative(),
});
export type IonetLocationReplicas = z.infer<typeof ionetLocationReplicasSchema>;

/** `GET /available-replicas`: one row per location. */
export const ionetAvailableReplicasResponseSchema = enveloped(z.array(z.unknown()));

/** `GET /price`. `total_cost_usdc` covers every replica for the whole duration. */
export const ionetPriceResponseSchema = enveloped(
  z.object({
    total_cost_usdc: ionetNumberSchema,
    replica_count: z.number().nullish(),
    gpus_per_container: z.number().nullish(),
    available_replica_count: z.union([z.array(z.number()), z.number()]).nullish(),
    discount: ionetNumberSchema.nullish(),
    ionet_fee: ionetNumberSchema.nullish(),
    ionet_fee_percent: ionetNumberSchema.nullish(),
    currency_conversion_fee: ionetNumberSchema.nullish(),
    currency_conversion_fee_percent: ionetNumberSchema.nullish(),
  }),
);
export type IonetPrice = z.infer<typeof ionetPriceResponseSchema>;

// --- deployments -----------------------------------------------------------------------------

/** `POST /deploy`, `DELETE /deployment/{id}` and `PATCH`: `{ status, deployment_id }`, no envelope. */
export const ionetDeployResponseSchema = enveloped(
  z.object({ deployment_id: idAsStringSchema, status: z.string().nullish() }),
);

const ionetLocationSchema = z.object({ id: ionetIdSchema, iso2: z.string().nullish(), name: z.string().nullish() });

export const ionetDeploymentDetailsSchema = z.object({
  id: idAsStringSchema,
  status: z.string(),
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  finished_at: z.string().nullish(),
  amount_paid: ionetNumberSchema.nullish(),
  completed_percent: ionetNumberSchema.nullish(),
  total_gpus: z.number().nullish(),
  gpus_per_container: z.number().nullish(),
  total_containers: z.number().nullish(),
  hardware_name: z.string().nullish(),
  hardware_id: ionetIdSchema.nullish(),
  brand_name: z.string().nullish(),
  locations: z.array(ionetLocationSchema).nullish(),
  compute_minutes_served: ionetNumberSchema.nullish(),
  compute_minutes_remaining: ionetNumberSchema.nullish(),
});
export type IonetDeploymentDetails = z.infer<typeof ionetDeploymentDetailsSchema>;

/** `GET /deployment/{id}` and `POST /deployment/{id}/extend`. */
export const ionetDeploymentResponseSchema = enveloped(ionetDeploymentDetailsSchema);

export const ionetContainerEventSchema = z.object({ time: z.string().nullish(), message: z.string() });
export type IonetContainerEvent = z.infer<typeof ionetContainerEventSchema>;

export const ionetWorkerSchema = z.object({
  container_id: idAsStringSchema,
  device_id: z.string().nullish(),
  hardware: z.string().nullish(),
  created_at: z.string().nullish(),
  status: z.string().nullish(),
  uptime_percent: ionetNumberSchema.nullish(),
  container_events: z.array(ionetContainerEventSchema).nullish(),
  public_url: z.string().nullish(),
});
export type IonetWorker = z.infer<typeof ionetWorkerSchema>;

/** `GET /deployment/{id}/containers?page=&page_size=`. */
export const ionetContainersResponseSchema = enveloped(
  z.object({ total: z.number().nullish(), workers: z.array(ionetWorkerSchema).nullish() }),
);

export const ionetDeploymentSummarySchema = z.object({
  id: idAsStringSchema,
  status: z.string(),
  name: z.string().nullish(),
});

export type IonetDeploymentSummary = z.output<typeof ionetDeploymentSummarySchema>;

/** `GET /deployments?status=&page=&page_size=`, used to find a deployment by our unique name. */
export const ionetDeploymentListResponseSchema = enveloped(
  z.object({
    deployments: z.array(ionetDeploymentSummarySchema).nullish(),
    total: z.number().nullish(),
  }),
);

/** Error bodies are FastAPI's: `{ detail: "text" }` or `{ detail: [{ loc, msg, type }] }`. */
export const ionetErrorBodySchema = z.object({
  detail: z.union([
    z.string(),
    z.array(z.object({ msg: z.string().nullish(), type: z.string().nullish(), loc: z.array(z.unknown()).nullish() })),
    z.record(z.string(), z.unknown()),
  ]),
});
