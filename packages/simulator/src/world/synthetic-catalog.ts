import type { CatalogEntry } from '../data/price-catalog';
import { providerProfiles } from '../profiles/index';
import type { ProviderProfile } from '../profiles/provider-profile';
import { createSeededRandom, type Seed } from '../seeded-random';

/**
 * A price catalog in the same shape as a loaded SkyPilot one, made from the eight provider
 * profiles (whose bands come from the SkyPilot catalogs where there is data): one row per GPU
 * offering, region and machine shape, the per-GPU price drawn inside the profile's band (so a
 * provider's shapes share one per-GPU price in a region, as catalogs list them) and a spot price
 * where the profile sells interruptible capacity.
 */
export function syntheticCatalog(seed: Seed, profiles: readonly ProviderProfile[] = Object.values(providerProfiles)): CatalogEntry[] {
  const random = createSeededRandom(seed).fork('synthetic-catalog');
  const entries: CatalogEntry[] = [];
  for (const profile of profiles) {
    for (const offering of profile.gpus) {
      const regions = offering.regions ?? profile.regions.map((presence) => presence.region);
      for (const region of regions) {
        const presence = profile.regions.find((candidate) => candidate.region === region);
        if (!presence || region === 'global') continue;
        const draw = random.fork(`${profile.id}/${offering.providerGpuName}/${region}`);
        const perGpu = draw.between(offering.price.min, offering.price.max);
        const spotBand = offering.interruptiblePrice;
        const spotPerGpu = spotBand ? Math.min(perGpu * 0.95, draw.between(spotBand.min, spotBand.max)) : undefined;
        for (const count of offering.gpuCounts) {
          entries.push({
            provider: profile.id,
            instance_type: `${count}x_${offering.providerGpuName.replace(/\s+/g, '-')}`,
            gpu_type: offering.gpuType,
            gpu_memory_gb: offering.gpuMemoryGb,
            gpu_count: count,
            region,
            provider_region: presence.providerRegion,
            price_usd_per_hour: round(perGpu * count),
            ...(spotPerGpu !== undefined && !profile.interruptibleOnly ? { spot_price_usd_per_hour: round(spotPerGpu * count) } : {}),
            source: `synthetic:${profile.id}`,
          });
        }
      }
    }
  }
  return entries;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
