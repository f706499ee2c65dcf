import type { NormalizedGpu, OfferInput, Region } from '@aurora/router';
import type { IonetHardware, IonetLocationReplicas, IonetPrice } from './ionet-api';
import { hourlyPriceUsd, perGpuHourPriceUsd, roundUsd } from './ionet-price';

/** One priced candidate: a hardware type in one location, for a given shape and quote duration. */
export type IonetQuote = {
  hardware: IonetHardware;
  gpu: NormalizedGpu;
  location: IonetLocationReplicas;
  region: Region;
  gpusPerContainer: number;
  replicaCount: number;
  /** The `duration_hours` the price was asked for (1 when listing offers). */
  durationHours: number;
  price: IonetPrice;
};

export type ConvertIonetOfferOptions = {
  provider: string;
  reputation: number;
  estimatedLatencyMs: number;
  quotedAt: string;
};

/** Stable offer id: hardware, location and shape, e.g. `hw203-loc3-2x1`. */
export function ionetOfferId(hardwareId: string | number, locationId: string | number, gpusPerContainer: number, replicaCount: number): string {
  return `hw${hardwareId}-loc${locationId}-${gpusPerContainer}x${replicaCount}`;
}

/**
 * A heuristic for how likely a deploy lands: one spare replica is a coin toss, more spares make a
 * race with other buyers less likely to empty the location (1 -> 0.5, 4 -> 0.8, 9 -> 0.9).
 */
export function availabilityFromReplicas(availableReplicas: number, replicaCount: number): number {
  if (availableReplicas < replicaCount || replicaCount < 1) return 0;
  const spares = availableReplicas / replicaCount;
  return spares / (spares + 1);
}

/** A priced io.net candidate as an Aurora offer. `price_usd_per_hour` is for the whole deployment. */
export function convertIonetOffer(quote: IonetQuote, options: ConvertIonetOfferOptions): OfferInput {
  const { hardware, location, price, gpusPerContainer, replicaCount, durationHours } = quote;
  const total = price.total_cost_usdc;
  const fees = Object.fromEntries(
    (['discount', 'ionet_fee', 'ionet_fee_percent', 'currency_conversion_fee', 'currency_conversion_fee_percent'] as const)
      .filter((key) => price[key] !== undefined && price[key] !== null)
      .map((key) => [key, price[key]]),
  );
  return {
    provider: options.provider,
    offer_id: ionetOfferId(hardware.hardware_id, location.id, gpusPerContainer, replicaCount),
    gpu_type: quote.gpu.gpu_type,
    ...(quote.gpu.gpu_memory_gb !== undefined ? { gpu_memory_gb: quote.gpu.gpu_memory_gb } : {}),
    gpu_count: gpusPerContainer * replicaCount,
    region: quote.region,
    price_usd_per_hour: roundUsd(hourlyPriceUsd(total, durationHours)),
    estimated_latency_ms: options.estimatedLatencyMs,
    reputation: options.reputation,
    availability: availabilityFromReplicas(location.available_replicas, replicaCount),
    capacity: Math.floor(location.available_replicas / replicaCount),
    interruptible: false,
    quoted_at: options.quotedAt,
    provider_metadata: {
      hardware_id: hardware.hardware_id,
      hardware_name: hardware.hardware_name,
      brand_name: hardware.brand_name ?? null,
      max_gpus_per_container: hardware.max_gpus_per_container ?? null,
      location_id: location.id,
      location_iso2: location.iso2 ?? null,
      location_name: location.name ?? null,
      available_replicas: location.available_replicas,
      gpus_per_container: gpusPerContainer,
      replica_count: replicaCount,
      quote_duration_hours: durationHours,
      total_cost_usdc: total,
      price_usd_per_gpu_hour: roundUsd(perGpuHourPriceUsd(total, durationHours, replicaCount, gpusPerContainer)),
      currency: 'USDC',
      billing: 'prepaid_whole_hours',
      fees,
    },
  };
}
