import { z } from 'zod';

export const circuitStates = ['closed', 'open', 'half_open'] as const;
export const circuitStateSchema = z.enum(circuitStates);
export type CircuitState = z.infer<typeof circuitStateSchema>;

/** Health of one provider as the router sees it. */
export const providerHealthSchema = z.object({
  provider: z.string(),
  healthy: z.boolean(),
  circuit: circuitStateSchema,
  latency_ms: z.number().nonnegative().nullable(),
  checked_at: z.string().nullable(),
  consecutive_failures: z.number().int().nonnegative(),
  message: z.string().nullable(),
  simulated: z.boolean(),
});

export type ProviderHealth = z.infer<typeof providerHealthSchema>;
