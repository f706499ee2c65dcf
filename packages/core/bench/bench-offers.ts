import type { Offer } from '../src/schemas/offer';
import type { Region } from '../src/schemas/region';
import type { GpuType } from '../src/schemas/gpu-type';
import { createSeededRandom as seededRandom } from '../src/evaluation/seeded-random';

export const benchProviders = ['akash', 'ionet', 'vastai', 'salad', 'runpod', 'render', 'flux', 'aethir'] as const;
const gpuTypes: GpuType[] = ['a100', 'a100', 'a100', 'a100', 'a100', 'a100', 'a100', 'h100', '4090', 'l40s'];
const regions: Region[] = ['us-west', 'us-east', 'us-central', 'eu-central', 'asia-east'];

/**
 * `count` already-normalised offers spread over eight providers: mostly A100s at 0.8-5 USD/h, with
 * a realistic mix of other GPUs, interruptible capacity, empty capacity and low reputation, so the
 * filter rejects a fair share (about half against `benchRequestInput`).
 */
export function createBenchOffers(count: number, seed = 7): Offer[] {
  const random = seededRandom(seed);
  const offers: Offer[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const provider = benchProviders[index % benchProviders.length]!;
    offers[index] = {
      provider,
      offer_id: `${provider}-${index}`,
      gpu_type: gpuTypes[Math.floor(random() * gpuTypes.length)]!,
      gpu_memory_gb: random() < 0.5 ? 80 : 40,
      gpu_count: random() < 0.8 ? 1 : 8,
      region: regions[Math.floor(random() * regions.length)]!,
      price_usd_per_hour: Math.round((0.8 + random() * 4.2) * 100) / 100,
      estimated_latency_ms: Math.round(20 + random() * 480),
      reputation: Math.round(random() * 100),
      availability: Math.round(random() * 100) / 100,
      capacity: random() < 0.95 ? 1 + Math.floor(random() * 8) : 0,
      interruptible: random() < 0.3,
      quoted_at: '2026-01-01T00:00:00.000Z',
      provider_metadata: {},
    };
  }
  return offers;
}

/** One A100 anywhere, under 4 USD/h, from providers with reputation 30 or more. */
export const benchRequestInput = {
  workload_type: 'llm_inference',
  gpu_type: 'a100',
  gpu_count: 1,
  region: 'global',
  max_price: 4,
  min_reputation: 30,
} as const;
