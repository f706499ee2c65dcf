import { InvalidArgumentError, type GpuType, type Offer } from '@aurora/router';
import type { AvailabilityTrace } from '../data/availability-trace';
import type { CatalogEntry } from '../data/price-catalog';
import type { DurationDistribution } from '../duration-distribution';
import { createSeededRandom, type Seed, type SeededRandom } from '../seeded-random';
import { isBatchWorkload, type SimulatedRequest } from '../workload/simulated-request';
import { AvailabilityEpisodes, referenceCapacityShares, type EpisodeSource } from './availability-episodes';
import { billedUsd } from './billing-terms';
import { createColdStartModel, standardNormalQuantile, type ColdStartModel } from './cold-start-model';
import type { MarketLedger } from './market-ledger';
import { drawProviderTraits, type ProviderTraits } from './provider-traits';
import { regionRoundTripMs, type PlacedRegion } from './region-round-trip';

export type MarketWorldOptions = {
  seed: Seed;
  /** Offers that exist: loaded catalogs or `syntheticCatalog()`. */
  catalog: readonly CatalogEntry[];
  /** Spot probe traces that drive capacity episodes; without them, the synthetic episode model. */
  availability?: readonly AvailabilityTrace[];
  /** Cold-start (model load) samples in ms; without them, the synthetic cold-start model. */
  coldStartSamplesMs?: readonly number[];
  /** Earliest time anyone will ask about (episodes and drifts start here). */
  startMs: number;
  /** Providers left out of this world (their offers never appear). */
  excludeProviders?: readonly string[];
};

/** One thing a provider rents out: a catalog row (or one host behind it), on-demand or spot. */
export type WorldListing = {
  /** Also the offer id. */
  key: string;
  provider: ProviderTraits;
  entry: CatalogEntry;
  gpuType: GpuType;
  gpuCount: number;
  region: PlacedRegion;
  interruptible: boolean;
  /** USD per hour for the whole shape before marketplace drift. */
  basePrice: number;
  /** Machines of this shape behind the listing. */
  machines: number;
  /** The listing's own reliability offset on the provider's log scale (hidden). */
  qualityOffset: number;
  /** Advertised reputation before drift, 0-100. */
  advertisedReputation: number;
  advertisedOverheadMs: number;
  trueOverheadMs: number;
  /** Multiplier on this host's provisioning time (hidden). */
  startMultiplier: number;
  occupancyMeanLogit: number;
  episodes: AvailabilityEpisodes;
  /** Same provider, region, model and variant, different shapes: a request takes the smallest that fits. */
  family: string;
};

/** The truth about a listing at one time, for tests and reports; no policy sees it. */
export type ListingInspection = {
  advertisedReputation: number;
  advertisedAvailability: number;
  /** Reliability as a reputation: 100 x (1 - probability that a placement fails to fill or start). */
  trueReputation: number;
  trueFillFailure: number;
  trueStartFailure: number;
  freeMachines: number;
  up: boolean;
};

export type PlacementEnd = 'completed' | 'preempted' | 'host_lost';

/** What one placement attempt of one request on one offer leads to (drawn from the request and offer alone). */
export type PlacementOutcome = {
  filled: boolean;
  failure_reason?: 'no_capacity' | 'start_failure' | 'preempted_before_running' | 'host_lost_before_running';
  /** From the decision until the workload serves (pending + provisioning + model load). */
  time_to_running_ms?: number;
  /** Real network round trip seen by the workload's users. */
  achieved_latency_ms?: number;
  cost_usd: number;
  /** GPU-hours of useful work (the request's GPUs; lost un-checkpointed work excluded). */
  gpu_hours_delivered: number;
  /** When the first feedback (filled or failed) is known. */
  first_feedback_at: number;
  /** When everything is known (the deployment ended). */
  ended_at: number;
  end_reason?: PlacementEnd;
  /** The machine this holds, if it got one. */
  hold?: { from: number; until: number };
};

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const marketWindowMs = 10 * 60_000;
const outageWindowMs = 5 * 60_000;
/** On-demand capacity is sold out far less often than spot capacity is absent: its up periods run 4x longer (estimate). */
const onDemandUpStretch = 4;
/** Advertised reputation follows the provider's true drift a week late. */
const reputationLagMs = 7 * dayMs;
/** Reputation points per unit of the log-scale quality. */
const reputationPerQuality = 8;
/** Correlation between a host's advertised reputation and its true quality. */
const reputationSignal = 0.6;
/** Training and rendering checkpoint this often; an interruption loses the work since. */
const checkpointMs = 30 * 60_000;
/** Time for the provider to refuse a placement it cannot fill. */
const refusalMs = 2_000;
const z90 = 1.2815515655446004;
const occupancyPersistence = 0.95;

/**
 * A seeded GPU market: providers x GPU models x regions from a price catalog, each provider with
 * hidden true traits (reliability, start times, network overhead, fees) that differ from what its
 * offers advertise; capacity that other tenants fill and free (a mean-reverting process per
 * listing with a daily cycle) and that comes and goes in episodes (spot probe traces or their
 * synthetic model); marketplace prices that move with demand; API outages; reputations that drift.
 * Everything is a pure function of the seed, the listing and the time, except the capacity our own
 * deployments hold, which lives in a `MarketLedger` per run. Placement outcomes are drawn from a
 * stream keyed by (request id, offer id): two policies that make the same choice in the same state
 * get the same outcome (common random numbers).
 */
export class MarketWorld {
  readonly seed: Seed;
  readonly startMs: number;
  readonly providers: ReadonlyMap<string, ProviderTraits>;
  readonly listings: readonly WorldListing[];
  private readonly random: SeededRandom;
  private readonly byKey = new Map<string, WorldListing>();
  private readonly familiesByGpu = new Map<GpuType, WorldListing[][]>();
  private readonly occupancy = new Map<string, OccupancySeries>();
  private readonly drift = new Map<string, number[]>();
  private readonly outageCache = new Map<string, { window: number; down: boolean }>();
  private readonly coldStart: ColdStartModel;

  constructor(options: MarketWorldOptions) {
    if (options.catalog.length === 0) {
      throw new InvalidArgumentError({ issues: [{ field: 'catalog', reason: 'needs at least one entry (use syntheticCatalog() without data)' }] });
    }
    this.seed = options.seed;
    this.startMs = options.startMs;
    this.random = createSeededRandom(options.seed).fork('market-world');
    this.coldStart = createColdStartModel(options.coldStartSamplesMs);
    const excluded = new Set((options.excludeProviders ?? []).map((provider) => provider.toLowerCase()));
    const providers = new Map<string, ProviderTraits>();
    const episodes = new Map<string, AvailabilityEpisodes>();
    const listings: WorldListing[] = [];
    const families = new Map<string, WorldListing[]>();
    const keyCounts = new Map<string, number>();
    for (const entry of options.catalog) {
      if (excluded.has(entry.provider)) continue;
      let provider = providers.get(entry.provider);
      if (!provider) {
        provider = drawProviderTraits(entry.provider, this.random);
        providers.set(entry.provider, provider);
      }
      const variants: boolean[] = provider.interruptibleOnly ? [true] : entry.spot_price_usd_per_hour ? [false, true] : [false];
      for (const interruptible of variants) {
        const hosts = provider.marketplace ? provider.hostsPerEntry : 1;
        for (let host = 1; host <= hosts; host++) {
          const baseKey = `${entry.provider}-${slug(entry.instance_type)}-${slug(entry.provider_region)}${hosts > 1 ? `-h${host}` : ''}${interruptible && !provider.interruptibleOnly ? '-spot' : ''}`;
          const seen = (keyCounts.get(baseKey) ?? 0) + 1;
          keyCounts.set(baseKey, seen);
          const key = seen > 1 ? `${baseKey}-${seen}` : baseKey;
          const sourceKey = `${entry.provider}|${entry.region}|${entry.gpu_type}|${interruptible ? 'spot' : 'on-demand'}`;
          let listingEpisodes = episodes.get(sourceKey);
          if (!listingEpisodes) {
            listingEpisodes = new AvailabilityEpisodes(
              this.episodeSource(sourceKey, options.availability),
              this.random.fork(`episodes/${sourceKey}`),
              options.startMs,
              interruptible ? 1 : onDemandUpStretch,
            );
            episodes.set(sourceKey, listingEpisodes);
          }
          const family = `${entry.provider}|${entry.region}|${entry.gpu_type}|${variantOf(entry.instance_type)}|${host}|${interruptible}`;
          const listing = this.createListing(key, provider, entry, interruptible, listingEpisodes, family);
          listings.push(listing);
          this.byKey.set(key, listing);
          const members = families.get(family);
          if (members) members.push(listing);
          else families.set(family, [listing]);
        }
      }
    }
    for (const members of families.values()) {
      members.sort((a, b) => a.gpuCount - b.gpuCount || a.basePrice - b.basePrice);
      const gpuFamilies = this.familiesByGpu.get(members[0]!.gpuType);
      if (gpuFamilies) gpuFamilies.push(members);
      else this.familiesByGpu.set(members[0]!.gpuType, [members]);
    }
    this.providers = providers;
    this.listings = listings;
  }

  /** GPU models on offer, with how many providers offer each. */
  gpuTypes(): Map<GpuType, { providers: number; listings: number; maxGpuCount: number; memoryGb?: number }> {
    const summary = new Map<GpuType, { providers: Set<string>; listings: number; maxGpuCount: number; memoryGb?: number }>();
    for (const listing of this.listings) {
      const item = summary.get(listing.gpuType) ?? { providers: new Set<string>(), listings: 0, maxGpuCount: 0 };
      item.providers.add(listing.provider.id);
      item.listings += 1;
      item.maxGpuCount = Math.max(item.maxGpuCount, listing.gpuCount);
      if (listing.entry.gpu_memory_gb !== undefined) item.memoryGb = Math.max(item.memoryGb ?? 0, listing.entry.gpu_memory_gb);
      summary.set(listing.gpuType, item);
    }
    return new Map([...summary].map(([gpuType, item]) => [gpuType, { ...item, providers: item.providers.size }]));
  }

  listing(key: string): WorldListing | undefined {
    return this.byKey.get(key);
  }

  /**
   * The offers a router would get for `request` at `time`: per listing family, the smallest shape
   * that holds the request, if it has free capacity and its provider's API is up.
   */
  quote(request: SimulatedRequest, time: number, ledger: MarketLedger): Offer[] {
    const families = this.familiesByGpu.get(request.request.gpu_type as GpuType);
    if (!families) return [];
    const needed = request.request.gpu_count;
    const offers: Offer[] = [];
    const quotedAt = new Date(Math.round(time)).toISOString();
    for (const family of families) {
      const listing = family.find((member) => member.gpuCount >= needed);
      if (!listing || this.isProviderDown(listing.provider, time)) continue;
      const free = this.freeMachines(listing, time, ledger);
      if (free < 1) continue;
      offers.push(this.toOffer(listing, request, time, free, quotedAt));
    }
    return offers;
  }

  /**
   * Places `request` on the listing behind `offerId` at `time`: draws fill, start, timing,
   * interruption, cost and latency from the (request, offer) stream. With `commit`, the machine
   * it gets is held in `ledger` until it ends.
   */
  place(request: SimulatedRequest, offerId: string, time: number, ledger: MarketLedger, commit: boolean): PlacementOutcome {
    const listing = this.byKey.get(offerId);
    if (!listing) throw new InvalidArgumentError({ issues: [{ field: 'offerId', reason: `no listing "${offerId}" in this world` }] });
    const draw = this.random.fork(`outcome/${request.id}/${offerId}`);
    // Every draw is taken, in this order, whatever the path: the same pair always sees the same numbers.
    const fillDraw = draw.next();
    const startDraw = draw.next();
    const startFailurePoint = draw.next();
    const pendingDraw = draw.next();
    const provisioningDraw = draw.next();
    const slowDraw = draw.next();
    const slowFactorDraw = draw.next();
    const coldFirst = draw.next();
    const coldSecond = draw.next();
    const hostLossDraw = draw.exponential(1);
    const latencyDraw = draw.normal();

    const free = this.freeMachines(listing, time, ledger);
    const multiplier = this.failureMultiplier(listing, time);
    const truth = listing.provider.truth;
    const fillFailure = free < 1 ? 1 : Math.min(0.95, truth.fillFailure * multiplier * (free === 1 ? 2 : 1));
    if (fillDraw < fillFailure) {
      return { filled: false, failure_reason: 'no_capacity', cost_usd: 0, gpu_hours_delivered: 0, first_feedback_at: time + refusalMs, ended_at: time + refusalMs };
    }
    const pendingMs = quantileDuration(truth.pending, pendingDraw);
    const slow = slowDraw < truth.slowStartProbability;
    const slowFactor = slow ? truth.slowStartFactor.min + (truth.slowStartFactor.max - truth.slowStartFactor.min) * slowFactorDraw : 1;
    const provisioningMs = quantileDuration(truth.provisioning, provisioningDraw) * listing.startMultiplier * slowFactor;
    const commitHold = (until: number) => {
      if (commit) ledger.hold(listing.key, time, until);
      return { from: time, until };
    };

    const terms = isBatchWorkload(request.request.workload_type) ? truth.billing.batch : truth.billing.service;
    const quotedPrice = this.priceAt(listing, time);
    const assignedAt = time + pendingMs;
    const allocatedAt = assignedAt + provisioningMs;
    const modelLoadMs = this.coldStart(coldFirst, coldSecond);
    const plannedEndAt = allocatedAt + modelLoadMs + request.duration_ms;
    if (startDraw < Math.min(0.9, truth.startFailure * multiplier)) {
      const failedAt = assignedAt + provisioningMs * (0.2 + 0.8 * startFailurePoint);
      const cost = billedUsd(terms, quotedPrice, { placedAt: time, assignedAt, containerAt: allocatedAt, endedAt: failedAt, plannedEndAt, failedStart: true });
      return {
        filled: false, failure_reason: 'start_failure', cost_usd: cost, gpu_hours_delivered: 0,
        first_feedback_at: failedAt, ended_at: failedAt, hold: commitHold(failedAt),
      };
    }
    const runningAt = allocatedAt + modelLoadMs;
    const completesAt = runningAt + request.duration_ms;
    const hostLossPerHour = listing.interruptible ? 0 : truth.hostLossPerHour * multiplier;
    const hostLostAt = hostLossPerHour > 0 ? allocatedAt + (hostLossDraw / hostLossPerHour) * hourMs : Infinity;
    const preemptedAt = listing.interruptible ? listing.episodes.nextDownAt(allocatedAt) : Infinity;
    const endedAt = Math.min(completesAt, hostLostAt, preemptedAt);
    const endReason: PlacementEnd = endedAt === completesAt ? 'completed' : endedAt === preemptedAt ? 'preempted' : 'host_lost';
    const cost = billedUsd(terms, quotedPrice, { placedAt: time, assignedAt, containerAt: allocatedAt, endedAt, plannedEndAt, failedStart: false });
    const hold = commitHold(endedAt);
    if (endedAt <= runningAt) {
      return {
        filled: false,
        failure_reason: endReason === 'preempted' ? 'preempted_before_running' : 'host_lost_before_running',
        cost_usd: cost, gpu_hours_delivered: 0, first_feedback_at: endedAt, ended_at: endedAt, end_reason: endReason, hold,
      };
    }
    const runMs = endedAt - runningAt;
    const gpus = request.request.gpu_count;
    const usefulMs = endReason === 'completed' || !isBatchWorkload(request.request.workload_type)
      ? runMs
      : Math.floor(runMs / checkpointMs) * checkpointMs;
    const roundTrip = regionRoundTripMs(request.client_region, listing.region);
    return {
      filled: true,
      time_to_running_ms: runningAt - time,
      achieved_latency_ms: (roundTrip + listing.trueOverheadMs) * Math.exp(0.1 * latencyDraw),
      cost_usd: cost,
      gpu_hours_delivered: (gpus * usefulMs) / hourMs,
      first_feedback_at: runningAt,
      ended_at: endedAt,
      end_reason: endReason,
      hold,
    };
  }

  /** The truth about a listing at `time` (no ledger: as if we held nothing). */
  inspect(key: string, time: number, ledger?: MarketLedger): ListingInspection {
    const listing = this.byKey.get(key);
    if (!listing) throw new InvalidArgumentError({ issues: [{ field: 'key', reason: `no listing "${key}"` }] });
    const free = ledger ? this.freeMachines(listing, time, ledger) : this.freeMachinesOfOthers(listing, time);
    const multiplier = this.failureMultiplier(listing, time);
    const truth = listing.provider.truth;
    const fill = Math.min(0.95, truth.fillFailure * multiplier);
    const start = Math.min(0.9, truth.startFailure * multiplier);
    return {
      advertisedReputation: this.advertisedReputation(listing, time),
      advertisedAvailability: this.advertisedAvailability(listing, Math.max(2, free)),
      trueReputation: 100 * (1 - fill) * (1 - start),
      trueFillFailure: fill,
      trueStartFailure: start,
      freeMachines: free,
      up: listing.episodes.isUp(time),
    };
  }

  /** Machines free for us: the listing's pool, minus other tenants' share, minus what we hold; 0 while down. */
  freeMachines(listing: WorldListing, time: number, ledger: MarketLedger): number {
    const others = this.freeMachinesOfOthers(listing, time);
    return others < 1 ? 0 : Math.max(0, others - ledger.heldAt(listing.key, time));
  }

  private freeMachinesOfOthers(listing: WorldListing, time: number): number {
    if (!listing.episodes.isUp(time)) return 0;
    const { share, rounding } = this.occupancyAt(listing, time);
    return Math.floor(listing.machines * (1 - share) + rounding);
  }

  private toOffer(listing: WorldListing, request: SimulatedRequest, time: number, free: number, quotedAt: string): Offer {
    return {
      provider: listing.provider.id,
      offer_id: listing.key,
      gpu_type: listing.gpuType,
      ...(listing.entry.gpu_memory_gb !== undefined ? { gpu_memory_gb: listing.entry.gpu_memory_gb } : {}),
      gpu_count: listing.gpuCount,
      region: listing.region,
      price_usd_per_hour: Math.round(this.priceAt(listing, time) * 10_000) / 10_000,
      estimated_latency_ms: Math.round(regionRoundTripMs(request.client_region, listing.region) + listing.advertisedOverheadMs),
      reputation: this.advertisedReputation(listing, time),
      availability: this.advertisedAvailability(listing, free),
      capacity: free,
      interruptible: listing.interruptible,
      quoted_at: quotedAt,
      provider_metadata: { simulated: true, instance_type: listing.entry.instance_type, provider_region: listing.entry.provider_region },
    };
  }

  private advertisedAvailability(listing: WorldListing, free: number): number {
    const failure = Math.min(1, listing.provider.advertised.fillFailure * (free === 1 ? 2 : 1));
    return Math.round((1 - failure) * 1000) / 1000;
  }

  private advertisedReputation(listing: WorldListing, time: number): number {
    const lagged = this.providerDrift(listing.provider, time - reputationLagMs);
    const value = listing.advertisedReputation + reputationPerQuality * lagged;
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  /** exp(-quality): 1 for an average host, above 1 for worse ones. */
  private failureMultiplier(listing: WorldListing, time: number): number {
    const quality = listing.provider.truth.quality + this.providerDrift(listing.provider, time) + listing.qualityOffset;
    return Math.exp(-quality);
  }

  private priceAt(listing: WorldListing, time: number): number {
    const volatility = listing.provider.priceVolatility;
    if (volatility === 0) return listing.basePrice;
    // Marketplace prices move with demand: the same standardised state as the listing's occupancy.
    return listing.basePrice * Math.exp(volatility * this.occupancyAt(listing, time).state);
  }

  /** Other tenants' share of the listing in the 10-minute window of `time`, with a daily cycle. */
  private occupancyAt(listing: WorldListing, time: number): { share: number; rounding: number; state: number } {
    const window = Math.max(0, Math.floor((time - this.startMs) / marketWindowMs));
    let series = this.occupancy.get(listing.key);
    if (!series) {
      const random = this.random.fork(`occupancy/${listing.key}`);
      series = { values: new Float32Array(2 * 144), windows: 0, random, state: random.normal() };
      this.occupancy.set(listing.key, series);
    }
    if (window >= series.windows) extendOccupancy(series, window);
    const state = series.values[2 * window]!;
    const rounding = series.values[2 * window + 1]!;
    const hour = ((time / hourMs) % 24 + 24) % 24;
    // Busiest mid-afternoon local time; the region's longitude gives an offset from UTC.
    const localHour = hour + regionUtcOffsetHours(listing.region);
    const cycle = 0.5 * Math.sin((2 * Math.PI * (localHour - 9)) / 24);
    const share = 1 / (1 + Math.exp(-(listing.occupancyMeanLogit + state + cycle)));
    return { share, rounding, state };
  }

  /** The provider's quality drift at `time`: a daily random walk, interpolated within the day. */
  private providerDrift(provider: ProviderTraits, time: number): number {
    if (time <= this.startMs) return 0;
    const days = (time - this.startMs) / dayMs;
    const day = Math.floor(days);
    let walk = this.drift.get(provider.id);
    if (!walk || walk.length < day + 2) {
      walk = [0];
      const random = this.random.fork(`drift/${provider.id}`);
      const length = Math.max(day + 2, 64);
      for (let index = 1; index < length; index++) walk.push(walk[index - 1]! + random.normal(0, provider.truth.driftPerDay));
      this.drift.set(provider.id, walk);
    }
    const fraction = days - day;
    return walk[day]! * (1 - fraction) + walk[day + 1]! * fraction;
  }

  private isProviderDown(provider: ProviderTraits, time: number): boolean {
    const window = Math.floor(time / outageWindowMs);
    const cached = this.outageCache.get(provider.id);
    if (cached && cached.window === window) return cached.down;
    const down = this.random.fork(`outage/${provider.id}/${window}`).chance(provider.truth.outageProbability);
    this.outageCache.set(provider.id, { window, down });
    return down;
  }

  private episodeSource(sourceKey: string, traces: readonly AvailabilityTrace[] | undefined): EpisodeSource {
    const pick = this.random.fork(`episode-source/${sourceKey}`);
    if (traces && traces.length > 0) return { kind: 'trace', trace: pick.pick(traces) };
    const share = pick.pick(referenceCapacityShares) + pick.normal(0, 0.03);
    return { kind: 'synthetic', capacityShare: Math.min(0.97, Math.max(0.05, share)) };
  }

  private createListing(
    key: string, provider: ProviderTraits, entry: CatalogEntry, interruptible: boolean, episodes: AvailabilityEpisodes, family: string,
  ): WorldListing {
    const traits = this.random.fork(`listing/${key}`);
    const marketplace = provider.marketplace;
    const spread = provider.truth.listingQualitySpread;
    const qualityOffset = traits.normal(0, spread);
    const signal = reputationSignal * (qualityOffset / spread) + Math.sqrt(1 - reputationSignal ** 2) * traits.normal();
    const catalogPrice = interruptible && entry.spot_price_usd_per_hour ? entry.spot_price_usd_per_hour : entry.price_usd_per_hour;
    // A marketplace row is the lower median of its hosts' prices; hosts sit around it.
    const basePrice = marketplace ? catalogPrice * traits.between(0.9, 1.35) : catalogPrice;
    const poolGpus = traits.lognormal(Math.log(marketplace ? 8 : 24), marketplace ? 0.6 : 0.7);
    return {
      key,
      provider,
      entry,
      gpuType: entry.gpu_type,
      gpuCount: entry.gpu_count,
      region: entry.region,
      interruptible,
      basePrice,
      machines: Math.max(1, Math.round(poolGpus / entry.gpu_count)),
      qualityOffset,
      advertisedReputation: provider.advertised.reputationMean + provider.advertised.reputationSpread * signal,
      advertisedOverheadMs: provider.advertised.overheadMs,
      trueOverheadMs: provider.advertised.overheadMs + provider.truth.extraOverheadMs + (marketplace ? traits.between(0, 30) : traits.between(0, 5)),
      startMultiplier: traits.lognormal(0, 0.3),
      occupancyMeanLogit: traits.normal(Math.log(0.65 / 0.35), 0.6),
      episodes,
      family,
    };
  }
}

/**
 * Other tenants' use of one listing: an AR(1) state per 10-minute window (stationary sd 1) and a
 * rounding uniform, generated in window order from the listing's own stream and kept, so values
 * never depend on the order in which times are asked about.
 */
type OccupancySeries = { values: Float32Array; windows: number; random: SeededRandom; state: number };

function extendOccupancy(series: OccupancySeries, window: number): void {
  const needed = 2 * (window + 1);
  if (series.values.length < needed) {
    const grown = new Float32Array(Math.max(needed, 2 * series.values.length));
    grown.set(series.values);
    series.values = grown;
  }
  const innovation = Math.sqrt(1 - occupancyPersistence * occupancyPersistence);
  for (let index = series.windows; index <= window; index++) {
    series.values[2 * index] = series.state;
    series.values[2 * index + 1] = series.random.next();
    series.state = occupancyPersistence * series.state + innovation * series.random.normal();
  }
  series.windows = window + 1;
}

/** A duration at quantile `u` of the log-normal with the distribution's median and p90. */
function quantileDuration(distribution: DurationDistribution, u: number): number {
  const { medianMs, p90Ms, minMs = 0, maxMs = Infinity } = distribution;
  const sigma = p90Ms > medianMs ? Math.log(p90Ms / medianMs) / z90 : 0;
  const z = standardNormalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, u)));
  return Math.min(maxMs, Math.max(minMs, medianMs * Math.exp(sigma * z)));
}

/** Instance type without its GPU-count part ("2x-H100_SXM-32-65536" -> "h100_sxm-32-65536", "lambdalabs_H100-sxm5x8" -> "lambdalabs_h100-sxm5"). */
function variantOf(instanceType: string): string {
  return instanceType.toLowerCase().replace(/^\d+x[-_]/, '').replace(/x\d+$/, '');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const utcOffsets: Partial<Record<PlacedRegion, number>> = {
  'us-east': -5, 'us-central': -6, 'us-west': -8, 'ca-central': -5, 'sa-east': -3, uk: 0, 'eu-west': 1, 'eu-central': 1,
  'eu-north': 1, 'eu-south': 1, 'me-central': 4, 'af-south': 2, 'asia-south': 5.5, 'asia-east': 8, 'asia-northeast': 9,
  'asia-southeast': 8, oceania: 10,
};

function regionUtcOffsetHours(region: PlacedRegion): number {
  return utcOffsets[region] ?? 0;
}
