import type { GpuOffering, PriceBand, RegionPresence } from '../profiles/provider-profile';

/**
 * One thing a provider can be asked for: a GPU model in one region from one host (or bid, or data
 * centre), on-demand or interruptible. Its static traits are fixed by the seed; what it costs and
 * how much of it is free changes with simulated time.
 */
export type MarketListing = {
  /** Stable id, `<provider>-<gpu name>-<region>-<n>[-spot]`; offer ids add the shape (`-4x`). */
  key: string;
  offering: GpuOffering;
  presence: RegionPresence;
  interruptible: boolean;
  priceBand: PriceBand;
  /** Per-GPU price this listing sits at before drift and jitter. */
  basePricePerGpu: number;
  reputation: number;
  latencyMs: number;
  /** GPUs behind this listing when all of it is online and nobody else uses it. */
  poolGpus: number;
  /**
   * Multiplier on start and runtime failure rates: above 1 for listings below the provider's mean
   * reputation, so reputation carries real information. Averages about 1 across listings.
   */
  reliabilityFactor: number;
};

/** What a listing looks like at one instant for one machine shape. */
export type ListingQuote = {
  listing: MarketListing;
  gpuCount: number;
  pricePerGpu: number;
  /** GPUs free for us now. */
  freeGpus: number;
  /** Placements of `gpuCount` GPUs that fit now. */
  capacity: number;
  /** Probability that a deploy now fails with `no_capacity`; 1 when nothing fits. */
  fillFailureProbability: number;
  latencyMs: number;
};
