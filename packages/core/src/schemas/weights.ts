import { z } from 'zod';

export const criteria = ['price', 'latency', 'reputation', 'availability'] as const;
export type Criterion = (typeof criteria)[number];

/** Relative importance of each criterion. Non-negative; normalised to sum 1 before scoring. */
export const weightsSchema = z
  .object({
    price: z.number().min(0).finite().optional(),
    latency: z.number().min(0).finite().optional(),
    reputation: z.number().min(0).finite().optional(),
    availability: z.number().min(0).finite().optional(),
  })
  .strict();

export type WeightsInput = z.input<typeof weightsSchema>;
export type Weights = Record<Criterion, number>;

export const defaultWeights: Weights = { price: 0.4, latency: 0.3, reputation: 0.2, availability: 0.1 };

/**
 * Fills missing criteria from `fallback` and scales the result to sum 1. Returns `undefined` when
 * every weight is zero, which no ranking can use.
 */
export function normalizeWeights(input: WeightsInput | undefined, fallback: Weights = defaultWeights): Weights | undefined {
  const merged: Weights = {
    price: input?.price ?? (input ? 0 : fallback.price),
    latency: input?.latency ?? (input ? 0 : fallback.latency),
    reputation: input?.reputation ?? (input ? 0 : fallback.reputation),
    availability: input?.availability ?? (input ? 0 : fallback.availability),
  };
  const total = merged.price + merged.latency + merged.reputation + merged.availability;
  if (!(total > 0)) return undefined;
  return {
    price: merged.price / total,
    latency: merged.latency / total,
    reputation: merged.reputation / total,
    availability: merged.availability / total,
  };
}
