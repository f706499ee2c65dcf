import { describe, expect, it } from 'vitest';
import { providerProfiles, simulatedProviderIds } from '../profiles/index';
import { syntheticCatalog } from './synthetic-catalog';

describe('syntheticCatalog', () => {
  it('lists every profile provider with per-GPU prices inside the profile bands, one price per region across shapes', () => {
    const entries = syntheticCatalog(1);
    expect(new Set(entries.map((entry) => entry.provider))).toEqual(new Set(simulatedProviderIds));
    for (const entry of entries) {
      const profile = providerProfiles[entry.provider as keyof typeof providerProfiles];
      const bands = profile.gpus.filter((offering) => offering.gpuType === entry.gpu_type);
      const perGpu = entry.price_usd_per_hour / entry.gpu_count;
      expect(bands.some((offering) => perGpu >= offering.price.min - 1e-3 && perGpu <= offering.price.max + 1e-3)).toBe(true);
      if (entry.spot_price_usd_per_hour !== undefined) expect(entry.spot_price_usd_per_hour).toBeLessThan(entry.price_usd_per_hour);
    }
    expect(syntheticCatalog(1)).toEqual(entries);
    expect(syntheticCatalog(2)).not.toEqual(entries);
  });
});
