import { z } from 'zod';

// Response schemas for the Lumen GPU Cloud API: minimal, and `.nullish()` for every field we can
// live without, so that Lumen adding, dropping or nulling a field does not break routing.

/** One rentable machine from `GET /machines`. Parsed one by one: a bad record becomes a warning. */
export const lumenMachineSchema = z.object({
  id: z.string().min(1),
  gpu_model: z.string().min(1),
  gpu_count: z.number().int().positive(),
  vram_gb: z.number().positive().nullish(),
  location: z.string().min(1),
  /** USD per hour for the whole machine. */
  hourly_usd: z.number().nonnegative(),
  available: z.number().int().nonnegative().nullish(),
  uptime_pct: z.number().min(0).max(100).nullish(),
  /** Host rating, 0 to 5 stars. */
  host_rating: z.number().min(0).max(5).nullish(),
  ping_ms: z.number().nonnegative().nullish(),
  spot: z.boolean().nullish(),
});
export type LumenMachine = z.infer<typeof lumenMachineSchema>;

export const lumenMachineListSchema = z.object({ machines: z.array(z.unknown()) });

export const lumenInstanceSchema = z.object({
  id: z.string().min(1),
  state: z.string().min(1),
  public_url: z.string().nullish(),
  started_at: z.string().nullish(),
  message: z.string().nullish(),
  hourly_usd: z.number().nonnegative().nullish(),
});
export type LumenInstance = z.infer<typeof lumenInstanceSchema>;

export const lumenInstanceResponseSchema = z.object({ instance: lumenInstanceSchema });

/** `DELETE /instances/:id` answers the instance, or 404 with an error body when it is unknown. */
export const lumenTerminateResponseSchema = z.unknown();

export const lumenLogPageSchema = z.object({
  lines: z.array(z.object({ ts: z.string(), stream: z.string().nullish(), text: z.string() })),
  next_cursor: z.string().nullish(),
  /** True once the instance has stopped and no more lines will come. */
  ended: z.boolean().nullish(),
});
export type LumenLogPage = z.infer<typeof lumenLogPageSchema>;

export const lumenHealthSchema = z.object({ status: z.string() });
