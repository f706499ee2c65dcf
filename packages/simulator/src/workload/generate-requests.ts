import type { GpuType, RoutingRequest, WorkloadType } from '@aurora/router';
import { InvalidArgumentError } from '@aurora/router';
import { SimulationDataError } from '../data/simulation-data-error';
import type { TraceJob, WorkloadTrace } from '../data/workload-trace';
import type { SeededRandom } from '../seeded-random';
import type { MarketWorld } from '../world/market-world';
import { regionRoundTripMs, type PlacedRegion } from '../world/region-round-trip';
import type { SimulatedRequest } from './simulated-request';
import { syntheticTraces } from './synthetic-workload';

export type GenerateRequestsOptions = {
  /** The market the requests are for: which GPU models exist, where, at what prices. */
  world: MarketWorld;
  /** Pod and image-request traces; one workload class each, sharing the arrivals equally. Without any, the synthetic classes. */
  traces?: readonly WorkloadTrace[];
  count: number;
  startMs: number;
  endMs: number;
  random: SeededRandom;
  /** Prefix of request ids; periods of one run must use different ones. */
  idPrefix: string;
};

/** Where users are (estimate: shares of GPU cloud demand by region). */
const clientRegionWeights: ReadonlyArray<[PlacedRegion, number]> = [
  ['us-east', 0.22], ['us-central', 0.1], ['us-west', 0.14], ['ca-central', 0.04], ['eu-west', 0.12], ['eu-central', 0.12],
  ['uk', 0.06], ['eu-north', 0.03], ['asia-northeast', 0.05], ['asia-east', 0.04], ['asia-southeast', 0.04],
  ['asia-south', 0.02], ['sa-east', 0.01], ['oceania', 0.01],
];
/** Image models fit these cards (16-48 GB workstation and consumer GPUs). */
const imageCards = new Set<string>([
  '5090', '4090', '4080', '3090', '3090ti', 'a6000', 'a5000', 'a4500', 'a4000', 'l4', 'l40', 'l40s', 'a10', 'a10g', 'a40',
  'rtx6000ada', 'rtx4000ada', 'rtx5000ada', 'v100', 't4', 'a16',
]);
const maxDurationMs = 7 * 24 * 3_600_000;
/** Arrivals keep the trace's burstiness: its gaps are resampled in blocks of this many. */
const gapBlock = 32;
/** Shares of requests that carry each constraint (estimates; traces have none of these fields). */
const constraintShares = { pinnedRegion: 0.15, maxPrice: 0.3, maxLatency: 0.5 } as const;
const maxPriceFactor = 1.25;
const maxLatencyMs = 150;

type WorkloadClass = {
  name: string;
  kind: 'gpu-pods' | 'image-requests';
  gaps: number[];
  jobs: readonly TraceJob[];
  durations: number[];
};

/**
 * `count` arrivals in [startMs, endMs): each workload class gets an equal share; arrivals replay
 * the class's inter-arrival gaps (block bootstrap, rescaled to the period) so bursts stay bursts;
 * each arrival copies a random job's GPU count, duration and GPU constraint. GPU models the trace
 * names that the market has are kept; otherwise the model is drawn in proportion to how many
 * providers offer it (image work: among 16-48 GB cards). The client region, a region pin, a
 * price cap and a latency cap are drawn from fixed shares (estimates).
 */
export function generateRequests(options: GenerateRequestsOptions): SimulatedRequest[] {
  const { world, count, startMs, endMs, random, idPrefix } = options;
  if (!(Number.isInteger(count) && count >= 0) || !(endMs > startMs)) {
    throw new InvalidArgumentError({ issues: [{ field: 'count', reason: 'must be a whole number >= 0 over a non-empty period' }] });
  }
  const classes = workloadClasses(options.traces ?? []);
  const market = marketSummary(world);
  const requests: SimulatedRequest[] = [];
  let assigned = 0;
  classes.forEach((workloadClass, classIndex) => {
    const classCount = classIndex === classes.length - 1 ? count - assigned : Math.round(count / classes.length);
    assigned += classCount;
    const stream = random.fork(`class/${workloadClass.name}`);
    const arrivals = arrivalTimes(workloadClass.gaps, classCount, startMs, endMs, stream.fork('arrivals'));
    const jobs = stream.fork('jobs');
    for (let index = 0; index < classCount; index++) {
      const job = workloadClass.jobs[Math.floor(jobs.next() * workloadClass.jobs.length)]!;
      const durationS = job.duration_s ?? workloadClass.durations[Math.floor(jobs.next() * workloadClass.durations.length)]!;
      requests.push(buildRequest({
        id: `${idPrefix}-${workloadClass.name}-${index}`,
        arrivalMs: arrivals[index]!,
        job,
        durationMs: Math.min(maxDurationMs, Math.max(1_000, durationS * 1000)),
        kind: workloadClass.kind,
        source: workloadClass.name,
        market,
        random: jobs.fork(`request/${index}`),
      }));
    }
  });
  return requests.sort((a, b) => a.arrival_ms - b.arrival_ms || (a.id < b.id ? -1 : 1));
}

function workloadClasses(loaded: readonly WorkloadTrace[]): WorkloadClass[] {
  const workloads = loaded.filter((trace) => trace.kind !== 'cold-start');
  const traces = workloads.length > 0 ? workloads : syntheticTraces();
  const classes: WorkloadClass[] = [];
  for (const trace of traces) {
    if (trace.kind === 'cold-start' || trace.jobs.length === 0) continue;
    const sorted = trace.jobs.map((job) => job.arrival_s).sort((a, b) => a - b);
    const gaps: number[] = [];
    for (let index = 1; index < sorted.length; index++) gaps.push(sorted[index]! - sorted[index - 1]!);
    const durations = trace.jobs.flatMap((job) => (job.duration_s !== undefined ? [job.duration_s] : []));
    if (durations.length === 0) continue;
    const base = trace.file.replace(/\.[^.]*$/, '');
    const name = classes.some((workloadClass) => workloadClass.name === base) ? `${base}-${classes.length + 1}` : base;
    classes.push({ name, kind: trace.kind, gaps: gaps.length > 0 ? gaps : [1], jobs: trace.jobs, durations });
  }
  if (classes.length === 0) {
    throw new SimulationDataError({
      file: workloads.map((trace) => trace.file).join(', '),
      reason: 'no workload trace has a GPU job with a run length to replay',
    });
  }
  return classes;
}

function arrivalTimes(gaps: readonly number[], count: number, startMs: number, endMs: number, random: SeededRandom): number[] {
  if (count === 0) return [];
  const drawn: number[] = [];
  while (drawn.length < count + 1) {
    const start = Math.floor(random.next() * gaps.length);
    for (let offset = 0; offset < gapBlock && drawn.length < count + 1; offset++) drawn.push(gaps[(start + offset) % gaps.length]!);
  }
  const total = drawn.reduce((sum, gap) => sum + gap, 0);
  const times: number[] = [];
  let cumulative = 0;
  for (let index = 0; index < count; index++) {
    cumulative += drawn[index]!;
    // All-zero gaps (a burst at one instant) fall back to even spacing.
    const position = total > 0 ? cumulative / total : (index + 1) / (count + 1);
    times.push(startMs + position * (endMs - startMs));
  }
  return times;
}

type MarketSummary = {
  types: Array<{ gpuType: GpuType; providers: number; maxGpuCount: number; image: boolean }>;
  regionsByType: Map<GpuType, PlacedRegion[]>;
  medianPricePerGpu: Map<GpuType, number>;
};

function marketSummary(world: MarketWorld): MarketSummary {
  const types = [...world.gpuTypes()].map(([gpuType, info]) => ({
    gpuType, providers: info.providers, maxGpuCount: info.maxGpuCount, image: imageCards.has(gpuType),
  })).sort((a, b) => (a.gpuType < b.gpuType ? -1 : 1));
  const regionsByType = new Map<GpuType, PlacedRegion[]>();
  const prices = new Map<GpuType, number[]>();
  for (const listing of world.listings) {
    const regions = regionsByType.get(listing.gpuType) ?? [];
    if (!regions.includes(listing.region)) regions.push(listing.region);
    regionsByType.set(listing.gpuType, regions);
    if (!listing.interruptible) {
      const list = prices.get(listing.gpuType) ?? [];
      list.push(listing.basePrice / listing.gpuCount);
      prices.set(listing.gpuType, list);
    }
  }
  const medianPricePerGpu = new Map<GpuType, number>();
  for (const [gpuType, list] of prices) {
    list.sort((a, b) => a - b);
    medianPricePerGpu.set(gpuType, list[Math.floor(list.length / 2)]!);
  }
  return { types, regionsByType, medianPricePerGpu };
}

type BuildInput = {
  id: string;
  arrivalMs: number;
  job: TraceJob;
  durationMs: number;
  kind: WorkloadClass['kind'];
  source: string;
  market: MarketSummary;
  random: SeededRandom;
};

function buildRequest(input: BuildInput): SimulatedRequest {
  const { job, market, random, kind } = input;
  const gpuCount = job.gpu_count;
  const workloadType = workloadTypeOf(kind, job.qos);
  const gpuType = chooseGpuType(market, job, gpuCount, kind, random);
  const clientRegion = weightedPick(clientRegionWeights, random.next());
  const pinDraw = random.next();
  const priceDraw = random.next();
  const latencyDraw = random.next();
  const interruptibleDraw = random.next();
  let region: RoutingRequest['region'] = 'global';
  const regions = market.regionsByType.get(gpuType);
  if (pinDraw < constraintShares.pinnedRegion && regions && regions.length > 0) {
    // Data residency: the offered region closest to the users.
    region = regions.reduce((best, candidate) => (regionRoundTripMs(clientRegion, candidate) < regionRoundTripMs(clientRegion, best) ? candidate : best));
  }
  const median = market.medianPricePerGpu.get(gpuType);
  const durationHours = input.durationMs / 3_600_000;
  const request: RoutingRequest = {
    workload_type: workloadType,
    gpu_type: gpuType,
    gpu_count: gpuCount,
    region,
    gpu_hours: Math.max(1e-6, durationHours * gpuCount),
    allow_interruptible: workloadType === 'llm_training' || workloadType === 'rendering' || (workloadType === 'general' && interruptibleDraw < 0.5),
    ...(median !== undefined && priceDraw < constraintShares.maxPrice ? { max_price: round(median * maxPriceFactor * gpuCount) } : {}),
    ...(workloadType === 'llm_inference' && latencyDraw < constraintShares.maxLatency ? { max_latency_ms: maxLatencyMs } : {}),
  };
  return {
    id: input.id,
    arrival_ms: input.arrivalMs,
    request,
    client_region: clientRegion,
    duration_ms: input.durationMs,
    tenant: input.source,
    source: input.source,
  };
}

/** Alibaba QoS classes: latency-sensitive pods serve, best-effort ones train; image requests render. */
function workloadTypeOf(kind: WorkloadClass['kind'], qos: string | undefined): WorkloadType {
  if (kind === 'image-requests') return 'rendering';
  if (qos === 'LS') return 'llm_inference';
  if (qos === 'BE') return 'llm_training';
  return 'general';
}

function chooseGpuType(market: MarketSummary, job: TraceJob, gpuCount: number, kind: WorkloadClass['kind'], random: SeededRandom): GpuType {
  const draw = random.next();
  const fitting = market.types.filter((type) => type.maxGpuCount >= gpuCount);
  const pool = fitting.length > 0 ? fitting : market.types;
  const named = pool.filter((type) => job.gpu_models.includes(type.gpuType));
  if (named.length > 0) return named[Math.floor(draw * named.length)]!.gpuType;
  const image = kind === 'image-requests' ? pool.filter((type) => type.image) : [];
  const choices = image.length > 0 ? image : pool;
  return weightedPick(choices.map((type) => [type.gpuType, type.providers] as [GpuType, number]), draw);
}

function weightedPick<T>(items: ReadonlyArray<readonly [T, number]>, draw: number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [item, weight] of items) {
    threshold -= weight;
    if (threshold < 0) return item;
  }
  return items[items.length - 1]![0];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
