import type { FailureRates, GpuOffering, ProviderProfile } from '../profiles/provider-profile';
import { runpodProfile } from '../profiles/runpod';

const noFailures: FailureRates = {
  fillFailure: 0, startFailure: 0, healthFailure: 0, runtimeFailurePerHour: 0, preemptionPerHour: 0,
};

/**
 * A predictable provider for tests: one A100 offering at exactly 2 USD per GPU-hour in us-east and
 * eu-central, a huge pool, fixed start times (10 s pending, 50 s provisioning, 100 ms API calls),
 * equal reputations and no failures unless `overrides` add them.
 */
export type TestProfileOverrides = Omit<Partial<ProviderProfile>, 'rates'> & { rates?: Partial<FailureRates>; offering?: Partial<GpuOffering> };

export function createTestProfile(overrides: TestProfileOverrides = {}): ProviderProfile {
  const { rates, offering, ...rest } = overrides;
  return {
    ...runpodProfile,
    regions: runpodProfile.regions.filter((presence) => presence.region === 'us-east' || presence.region === 'eu-central'),
    gpus: [
      {
        gpuType: 'a100', providerGpuName: 'A100 80GB PCIe', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8],
        price: { min: 2, max: 2 }, gpusPerRegion: 1_000_000, source: 'test fixture',
        ...offering,
      },
    ],
    reputation: { mean: 90, spread: 0 },
    listingsPerRegion: 1,
    interruptibleOnly: false,
    reportsSoldOut: true,
    auctionPricing: false,
    priceVolatility: 0,
    rates: { ...noFailures, ...rates },
    startup: {
      pending: { medianMs: 10_000, p90Ms: 10_000 },
      provisioning: { medianMs: 50_000, p90Ms: 50_000 },
    },
    apiLatency: { medianMs: 100, p90Ms: 100 },
    slowCallRate: 0,
    ...rest,
  };
}
