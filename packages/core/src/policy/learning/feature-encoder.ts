import type { ScoredCandidate } from '../../schemas/decision';
import { murmurHash3 } from '../stable-hash';

/** Dense per-offer features, in vector order. Each is O(1) per candidate. */
export const denseFeatureNames = [
  'bias',
  'contribution_price',
  'contribution_latency',
  'contribution_reputation',
  'contribution_availability',
  'normalized_price',
  'normalized_latency',
  'reputation',
  'availability',
  'log_price_over_cheapest',
  'latency_seconds',
  'interruptible',
] as const;

/**
 * Categorical features, each hashed to one of `hashBuckets` slots with value 1: the offer's
 * provider, provider x requested GPU type (the filter keeps only offers of that type), provider x
 * region, region, provider x workload type, provider x time-of-day bucket and provider x run-length
 * bucket (billing increments and minimums make a provider's real cost per delivered hour depend on
 * how long the work runs), plus two shared request features (workload type and time of day) that
 * only move the reward level, which the guard and doubly robust evaluation use.
 */
export const hashedFeatureNames = [
  'provider',
  'provider_gpu_type',
  'provider_region',
  'region',
  'provider_workload_type',
  'provider_time_of_day',
  'provider_run_length',
  'workload_type',
  'time_of_day',
] as const;

/** Hashed features that describe the offer (the first ones); the rest describe the request alone. */
export const offerSlotCount = 7;

export const denseFeatureCount = denseFeatureNames.length;
export const hashedFeatureCount = hashedFeatureNames.length;
/** Non-zero entries of one candidate's feature vector. */
export const featuresPerCandidate = denseFeatureCount + hashedFeatureCount;

/** The feature-hashing seed; part of the serialised layout so replicas agree on slots. */
export const featureHashSeed = 0x5eed;
const timeOfDayBuckets = 4;
/** Upper bounds (hours) of the run-length buckets; a request without `gpu_hours` has its own bucket. */
const runLengthBoundsHours = [5 / 60, 1, 8];
const runLengthBuckets = runLengthBoundsHours.length + 2;
const hourMs = 3_600_000;
/** Price floor in the log ratio, so that free offers give a finite value. */
const priceEpsilon = 0.01;

/** What the encoder reads from the request context. */
export type EncoderContext = { request: { workload_type: string; gpu_type: string; gpu_hours?: number; gpu_count?: number }; now: number };

/**
 * The candidates of one decision as sparse rows: `dense[i * 12 + j]` is dense feature j of
 * candidate i, `slots[i * 9 + k]` the vector index of its hashed feature k (value 1). `ranges`
 * holds min, max and sum over the candidates of price per GPU-hour, latency and reputation (in that
 * order, 9 numbers), which the reward measures utilities against.
 */
export type FeatureBatch = { count: number; dense: Float64Array; slots: Int32Array; ranges: Float64Array };

type ProviderSlots = {
  provider: number;
  /** Packed: provider x region slot * regionPacking + region slot. */
  regions: Map<string, number>;
  gpuTypes: Map<string, number>;
  workloads: Map<string, number>;
  timeOfDay: Int32Array;
  runLength: Int32Array;
  /** The request-dependent slots, memoised for the decision numbered `epoch`. */
  epoch: number;
  gpuTypeSlot: number;
  workloadSlot: number;
  timeSlot: number;
  runLengthSlot: number;
};

const regionPacking = 1 << 16;

type RequestSlots = { epoch: number; gpuType: string; workload: string; timeBucket: number; runLengthBucket: number; workloadSlot: number; timeSlot: number };

/**
 * Turns (request context, scored candidates) into feature vectors of a fixed dimension:
 * `denseFeatureCount + hashBuckets`. Hashed slots are memoised per provider, so encoding a decision
 * costs a few map look-ups and a dozen arithmetic operations per candidate, and never allocates
 * once its buffers have grown to the largest candidate list seen.
 */
export class FeatureEncoder {
  readonly dimension: number;
  readonly hashBuckets: number;
  private readonly providers = new Map<string, ProviderSlots>();
  private readonly shared = new Map<string, number>();
  private batch: FeatureBatch = { count: 0, dense: new Float64Array(0), slots: new Int32Array(0), ranges: new Float64Array(9) };
  private epoch = 0;

  constructor(hashBuckets: number) {
    this.hashBuckets = hashBuckets;
    this.dimension = denseFeatureCount + hashBuckets;
  }

  /** The vector index of a categorical key: a hashed slot after the dense features. */
  slotOf(key: string): number {
    return denseFeatureCount + (murmurHash3(key, featureHashSeed) & (this.hashBuckets - 1));
  }

  /** Encodes every candidate. The returned batch is reused by the next call. */
  encode(context: EncoderContext, candidates: readonly ScoredCandidate[]): FeatureBatch {
    const count = candidates.length;
    if (this.batch.slots.length < count * hashedFeatureCount) {
      const capacity = Math.max(count, (2 * this.batch.slots.length) / hashedFeatureCount, 16);
      this.batch = { count, dense: new Float64Array(capacity * denseFeatureCount), slots: new Int32Array(capacity * hashedFeatureCount), ranges: this.batch.ranges };
    }
    const batch = this.batch;
    batch.count = count;
    const { dense, slots, ranges } = batch;
    const request = this.beginDecision(context);
    let minPrice = Infinity, maxPrice = -Infinity, sumPrice = 0;
    let minLatency = Infinity, maxLatency = -Infinity, sumLatency = 0;
    let minReputation = Infinity, maxReputation = -Infinity, sumReputation = 0;
    for (let row = 0; row < count; row++) {
      const candidate = candidates[row]!;
      const offer = candidate.offer;
      const price = offer.price_usd_per_hour / offer.gpu_count;
      const latency = offer.estimated_latency_ms;
      const reputation = offer.reputation;
      if (price < minPrice) minPrice = price;
      if (price > maxPrice) maxPrice = price;
      sumPrice += price;
      if (latency < minLatency) minLatency = latency;
      if (latency > maxLatency) maxLatency = latency;
      sumLatency += latency;
      if (reputation < minReputation) minReputation = reputation;
      if (reputation > maxReputation) maxReputation = reputation;
      sumReputation += reputation;

      const base = row * denseFeatureCount;
      dense[base] = 1;
      dense[base + 1] = candidate.contributions.price;
      dense[base + 2] = candidate.contributions.latency;
      dense[base + 3] = candidate.contributions.reputation;
      dense[base + 4] = candidate.contributions.availability;
      dense[base + 5] = candidate.normalized.price;
      dense[base + 6] = candidate.normalized.latency;
      dense[base + 7] = reputation / 100;
      dense[base + 8] = offer.availability;
      // ln(price + e) now; the cheapest's is subtracted once it is known, below.
      dense[base + 9] = Math.log(price + priceEpsilon);
      dense[base + 10] = Math.min(5, latency / 1000);
      dense[base + 11] = offer.interruptible ? 1 : 0;
      this.writeSlots(offer, request, slots, row * hashedFeatureCount);
    }
    const cheapestLog = Math.log((count > 0 ? minPrice : 0) + priceEpsilon);
    for (let row = 0; row < count; row++) {
      const at = row * denseFeatureCount + 9;
      dense[at] = Math.min(2, dense[at]! - cheapestLog);
    }
    ranges[0] = minPrice;
    ranges[1] = maxPrice;
    ranges[2] = sumPrice;
    ranges[3] = minLatency;
    ranges[4] = maxLatency;
    ranges[5] = sumLatency;
    ranges[6] = minReputation;
    ranges[7] = maxReputation;
    ranges[8] = sumReputation;
    return batch;
  }

  /**
   * One candidate as a sparse vector, exactly its row of `encode` (which it runs, so the batch
   * from an earlier `encode` is overwritten): writes indices and values into the arrays (length at
   * least `featuresPerCandidate`) and returns the number of entries.
   */
  encodeOne(
    context: EncoderContext,
    candidates: readonly ScoredCandidate[],
    index: number,
    indices: Int32Array,
    values: Float64Array,
  ): number {
    const { dense, slots } = this.encode(context, candidates);
    for (let feature = 0; feature < denseFeatureCount; feature++) {
      indices[feature] = feature;
      values[feature] = dense[index * denseFeatureCount + feature]!;
    }
    for (let feature = 0; feature < hashedFeatureCount; feature++) {
      indices[denseFeatureCount + feature] = slots[index * hashedFeatureCount + feature]!;
      values[denseFeatureCount + feature] = 1;
    }
    return featuresPerCandidate;
  }

  private beginDecision(context: EncoderContext): RequestSlots {
    this.epoch += 1;
    const timeBucket = timeOfDayBucket(context.now);
    return {
      epoch: this.epoch,
      gpuType: context.request.gpu_type,
      workload: context.request.workload_type,
      timeBucket,
      runLengthBucket: runLengthBucket(context.request),
      workloadSlot: this.sharedSlot('w', context.request.workload_type),
      timeSlot: this.sharedSlot('t', String(timeBucket)),
    };
  }

  private writeSlots(offer: ScoredCandidate['offer'], request: RequestSlots, slots: Int32Array, at: number): void {
    const provider = this.providerSlots(offer.provider);
    if (provider.epoch !== request.epoch) this.resolveRequestSlots(offer.provider, provider, request);
    let regionSlots = provider.regions.get(offer.region);
    if (regionSlots === undefined) {
      regionSlots = this.slotOf(`pr:${offer.provider}|${offer.region}`) * regionPacking + this.slotOf(`r:${offer.region}`);
      provider.regions.set(offer.region, regionSlots);
    }
    slots[at] = provider.provider;
    slots[at + 1] = provider.gpuTypeSlot;
    slots[at + 2] = (regionSlots / regionPacking) | 0;
    slots[at + 3] = regionSlots % regionPacking;
    slots[at + 4] = provider.workloadSlot;
    slots[at + 5] = provider.timeSlot;
    slots[at + 6] = provider.runLengthSlot;
    slots[at + 7] = request.workloadSlot;
    slots[at + 8] = request.timeSlot;
  }

  /** Slots that depend on the provider and the request, looked up once per provider per decision. */
  private resolveRequestSlots(name: string, provider: ProviderSlots, request: RequestSlots): void {
    let gpuTypeSlot = provider.gpuTypes.get(request.gpuType);
    if (gpuTypeSlot === undefined) {
      gpuTypeSlot = this.slotOf(`pg:${name}|${request.gpuType}`);
      provider.gpuTypes.set(request.gpuType, gpuTypeSlot);
    }
    let workloadSlot = provider.workloads.get(request.workload);
    if (workloadSlot === undefined) {
      workloadSlot = this.slotOf(`pw:${name}|${request.workload}`);
      provider.workloads.set(request.workload, workloadSlot);
    }
    let timeSlot = provider.timeOfDay[request.timeBucket]!;
    if (timeSlot < 0) {
      timeSlot = this.slotOf(`pt:${name}|${request.timeBucket}`);
      provider.timeOfDay[request.timeBucket] = timeSlot;
    }
    let runLengthSlot = provider.runLength[request.runLengthBucket]!;
    if (runLengthSlot < 0) {
      runLengthSlot = this.slotOf(`pd:${name}|${request.runLengthBucket}`);
      provider.runLength[request.runLengthBucket] = runLengthSlot;
    }
    provider.gpuTypeSlot = gpuTypeSlot;
    provider.runLengthSlot = runLengthSlot;
    provider.workloadSlot = workloadSlot;
    provider.timeSlot = timeSlot;
    provider.epoch = request.epoch;
  }

  private providerSlots(provider: string): ProviderSlots {
    let slots = this.providers.get(provider);
    if (slots === undefined) {
      slots = {
        provider: this.slotOf(`p:${provider}`),
        regions: new Map(),
        gpuTypes: new Map(),
        workloads: new Map(),
        timeOfDay: new Int32Array(timeOfDayBuckets).fill(-1),
        runLength: new Int32Array(runLengthBuckets).fill(-1),
        epoch: 0,
        gpuTypeSlot: 0,
        workloadSlot: 0,
        timeSlot: 0,
        runLengthSlot: 0,
      };
      this.providers.set(provider, slots);
    }
    return slots;
  }

  private sharedSlot(kind: string, value: string): number {
    const key = `${kind}:${value}`;
    let slot = this.shared.get(key);
    if (slot === undefined) {
      slot = this.slotOf(key);
      this.shared.set(key, slot);
    }
    return slot;
  }
}

/** Six-hour bucket of the UTC time of day: 0 = 00-06, 1 = 06-12, 2 = 12-18, 3 = 18-24 (0 for a non-finite time). */
export function timeOfDayBucket(now: number): number {
  if (!Number.isFinite(now)) return 0;
  const hour = Math.floor(now / hourMs) % 24;
  return Math.floor((hour < 0 ? hour + 24 : hour) / 6);
}

/**
 * Bucket of the request's run length (`gpu_hours / gpu_count`): 0 under 5 minutes, 1 under an
 * hour, 2 under 8 hours, 3 longer, 4 when the request does not say.
 */
export function runLengthBucket(request: { gpu_hours?: number; gpu_count?: number }): number {
  const hours = request.gpu_hours !== undefined ? request.gpu_hours / Math.max(1, request.gpu_count ?? 1) : Number.NaN;
  if (!Number.isFinite(hours)) return runLengthBuckets - 1;
  let bucket = 0;
  while (bucket < runLengthBoundsHours.length && hours >= runLengthBoundsHours[bucket]!) bucket += 1;
  return bucket;
}
