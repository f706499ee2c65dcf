import { z } from 'zod';
import { gpuTypeSchema, regionSchema } from './routing-request';

/** What one provider can place now, normalised. `price_usd_per_hour` is for the request's GPU count. */
export const offerSchema = z.object({
  provider: z.string().min(1),
  offer_id: z.string().min(1),
  gpu_type: gpuTypeSchema,
  gpu_memory_gb: z.number().positive().optional(),
  gpu_count: z.number().int().min(1),
  region: regionSchema,
  price_usd_per_hour: z.number().nonnegative().finite(),
  estimated_latency_ms: z.number().nonnegative().finite(),
  reputation: z.number().min(0).max(100),
  availability: z.number().min(0).max(1),
  capacity: z.number().int().nonnegative(),
  interruptible: z.boolean().default(false),
  quoted_at: z.string().datetime({ offset: true }),
  provider_metadata: z.record(z.string(), z.unknown()).default({}),
});

export type OfferInput = z.input<typeof offerSchema>;
export type Offer = z.output<typeof offerSchema>;
