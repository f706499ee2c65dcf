import type { GpuType } from '@aurora/router';
import type { FailureRates, GpuOffering, ProviderProfile, RegionPresence } from '../profiles/provider-profile';
import type { SeededRandom } from '../seeded-random';
import type { ListingQuote, MarketListing } from './market-listing';

/** Market conditions (online share, other tenants' use, price drift) hold for one window. */
export const marketWindowMs = 10 * 60_000;

/**
 * Share of time interruptible capacity exists at all: the median share of probe ticks with spot
 * capacity over the nine zones of the SkyPilot AWS availability traces (0.17-0.91, median 0.68).
 */
const interruptibleCapacityShare = 0.68;

/**
 * One provider's market. Listings and their traits derive from the seed alone; conditions at a
 * time derive from the seed and that time alone. Two markets built from the same seed agree at
 * every instant, whatever was asked of them before: the property a policy comparison needs.
 */
export class SimulatedMarket {
  private readonly listingsByGpu = new Map<GpuType, MarketListing[]>();
  private readonly listingsByKey = new Map<string, MarketListing>();

  constructor(
    private readonly profile: ProviderProfile,
    private readonly random: SeededRandom,
  ) {
    for (const offering of profile.gpus) {
      const listings = this.listingsByGpu.get(offering.gpuType) ?? [];
      for (const listing of this.createListings(offering)) {
        listings.push(listing);
        this.listingsByKey.set(listing.key, listing);
      }
      this.listingsByGpu.set(offering.gpuType, listings);
    }
  }

  /** Every listing of `gpuType`, in a stable order. */
  listingsFor(gpuType: string): readonly MarketListing[] {
    return this.listingsByGpu.get(gpuType as GpuType) ?? [];
  }

  listing(key: string): MarketListing | undefined {
    return this.listingsByKey.get(key);
  }

  /**
   * The listing at `now` for `gpuCount` GPUs, with `usedByUs` of its GPUs held by our own live
   * deployments. `rates` are the effective (multiplied) failure rates.
   */
  quote(listing: MarketListing, gpuCount: number, now: number, usedByUs: number, rates: FailureRates): ListingQuote {
    const window = Math.floor(now / marketWindowMs);
    const conditions = this.random.fork(`market/${listing.key}/${window}`);
    const onlineShare = listing.interruptible && !this.profile.interruptibleOnly
      ? (conditions.chance(interruptibleCapacityShare) ? conditions.between(0.4, 1) : 0)
      : conditions.between(0.5, 1);
    const othersShare = conditions.between(0.2, 0.85);
    const volatility = this.profile.priceVolatility;
    const drift = clamp(conditions.normal(1, volatility), 1 - 3 * volatility, 1 + 3 * volatility);

    const freeGpus = Math.max(0, Math.floor(listing.poolGpus * onlineShare * (1 - othersShare)) - usedByUs);
    const capacity = Math.floor(freeGpus / gpuCount);

    const jitter = volatility > 0 ? this.random.fork(`quote/${listing.key}/${now}`).normal(1, volatility / 2) : 1;
    const { min, max } = listing.priceBand;
    const pricePerGpu = clamp(listing.basePricePerGpu * drift * jitter, min * 0.9, max * 1.1);

    // The last free placement is contested: quotes show it, others often take it first.
    const fillFailureProbability = capacity < 1 ? 1 : Math.min(1, rates.fillFailure * (capacity === 1 ? 2 : 1));
    const latencyJitter = this.random.fork(`latency/${listing.key}/${now}`).between(0.95, 1.1);
    return { listing, gpuCount, pricePerGpu, freeGpus, capacity, fillFailureProbability, latencyMs: listing.latencyMs * latencyJitter };
  }

  private *createListings(offering: GpuOffering): Generator<MarketListing> {
    const regions = offering.regions ?? this.profile.regions.map((presence) => presence.region);
    for (const region of regions) {
      const presence = this.profile.regions.find((candidate) => candidate.region === region);
      if (!presence) continue;
      for (let index = 1; index <= this.profile.listingsPerRegion; index++) {
        yield this.createListing(offering, presence, index, this.profile.interruptibleOnly);
      }
      if (offering.interruptiblePrice && !this.profile.interruptibleOnly) {
        yield this.createListing(offering, presence, 1, true);
      }
    }
  }

  private createListing(offering: GpuOffering, presence: RegionPresence, index: number, interruptible: boolean): MarketListing {
    const spot = interruptible && !this.profile.interruptibleOnly;
    const key = `${this.profile.id}-${slug(offering.providerGpuName)}-${presence.region}-${index}${spot ? '-spot' : ''}`;
    const traits = this.random.fork(`listing/${key}`);
    const priceBand = spot && offering.interruptiblePrice ? offering.interruptiblePrice : offering.price;
    const { mean, spread } = this.profile.reputation;
    const reputation = clamp(traits.normal(mean, spread), 0, 100);
    // exp(z/2 - 1/8) has mean 1 for z ~ N(0, 1): a mean-preserving tilt towards low reputation.
    const reliabilityFactor = spread > 0 ? clamp(Math.exp((mean - reputation) / spread / 2 - 0.125), 0.25, 4) : 1;
    const largestShape = Math.max(...offering.gpuCounts);
    const poolGpus = Math.max(
      largestShape,
      Math.round((offering.gpusPerRegion / this.profile.listingsPerRegion) * traits.between(0.6, 1.4)),
    );
    return {
      key,
      offering,
      presence,
      interruptible,
      priceBand,
      basePricePerGpu: traits.between(priceBand.min, priceBand.max),
      reputation: Math.round(reputation * 10) / 10,
      latencyMs: presence.latencyMs * traits.between(0.9, 1.25),
      poolGpus,
      reliabilityFactor,
    };
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
