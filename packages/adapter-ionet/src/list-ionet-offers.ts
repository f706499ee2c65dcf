import {
  AdapterCallError, ConfigurationError, canonicalizeRegion, normalizeGpuType,
  type ListOffersResultV1, type NormalizedGpu, type OfferInput, type Region, type RoutingRequest,
} from '@aurora/router';
import { convertIonetOffer } from './convert-ionet-offer';
import { ionetHardwareSchema, ionetLocationReplicasSchema, type IonetHardware, type IonetLocationReplicas } from './ionet-api';
import type { IonetCaasClient } from './ionet-caas-client';
import { describeError } from './ionet-error';
import { noReplicasLeft } from './ionet-capacity';
import { mapWithConcurrency } from './map-with-concurrency';

export type ListIonetOffersContext = {
  provider: string;
  client: IonetCaasClient;
  reputation: number;
  estimatedLatencyMs: number;
  maxPriceQuotes: number;
  quoteConcurrency: number;
  /** Used when the request names no image; without either, io.net cannot run the request. */
  defaultImage?: string;
  now(): number;
};

type Candidate = { hardware: IonetHardware; gpu: NormalizedGpu };
type Placement = Candidate & { location: IonetLocationReplicas; region: Region };

/** Offers are quoted for one hour: io.net prices whole prepaid hours, and the rate is what compares. */
const quoteDurationHours = 1;

/**
 * Offers for a request: hardware types of the requested GPU that fit `gpu_count` GPUs in one
 * container, then their locations with a free replica (in the requested region), then one `/price`
 * call per hardware x location. io.net prices per request shape, so the result is specific to the
 * request's GPU type, count and region. A bad record or a failed quote becomes a warning; a
 * provider-wide failure (bad key, rate limit, abort) or every call of a step failing throws.
 */
export async function listIonetOffers(context: ListIonetOffersContext, request: RoutingRequest, signal?: AbortSignal): Promise<ListOffersResultV1> {
  const warnings: string[] = [];
  if (!request.image && !context.defaultImage) {
    // Offering capacity we cannot deploy would make the router pick io.net and fail without failover.
    return { offers: [], warnings: ['io.net needs a container image: the request has no `image` and no defaultImage is set'] };
  }
  if (request.ports && request.ports.length > 1) {
    return { offers: [], warnings: [`io.net exposes one traffic port per container; the request asks for ${request.ports.length}`] };
  }
  const gpusPerContainer = request.gpu_count;
  const replicaCount = 1;

  const hardwareList = await context.client.hardware({ signal });
  const candidates = selectHardware(hardwareList.hardware, request, gpusPerContainer, warnings);
  if (candidates.length === 0) return { offers: [], warnings };

  const replicaResults = await mapWithConcurrency(candidates, context.quoteConcurrency, (candidate) =>
    context.client.availableReplicas(candidate.hardware.hardware_id, gpusPerContainer, { signal }),
  );
  let placements: Placement[] = [];
  const replicaRows = settle(replicaResults, warnings, (index) => `available replicas of ${candidates[index]!.hardware.hardware_name}`);
  replicaRows.forEach((rows, index) => {
    if (rows) placements.push(...selectLocations(candidates[index]!, rows, request, replicaCount, warnings));
  });

  if (placements.length > context.maxPriceQuotes) {
    warnings.push(`quoted the ${context.maxPriceQuotes} locations with the most free replicas of ${placements.length} (maxPriceQuotes)`);
    placements = [...placements].sort((a, b) => b.location.available_replicas - a.location.available_replicas).slice(0, context.maxPriceQuotes);
  }

  const priceResults = await mapWithConcurrency(placements, context.quoteConcurrency, (placement) =>
    context.client.price(
      { hardwareId: placement.hardware.hardware_id, locationId: placement.location.id, durationHours: quoteDurationHours, gpusPerContainer, replicaCount },
      { signal },
    ),
  );
  const quotedAt = new Date(context.now()).toISOString();
  const offers: OfferInput[] = [];
  settle(priceResults, warnings, (index) => `price of ${describe(placements[index]!)}`).forEach((price, index) => {
    if (!price) return;
    const placement = placements[index]!;
    if (!(price.total_cost_usdc > 0)) {
      warnings.push(`skipped ${describe(placement)}: non-positive total_cost_usdc ${price.total_cost_usdc}`);
      return;
    }
    if (noReplicasLeft(price.available_replica_count, replicaCount)) return;
    offers.push(
      convertIonetOffer(
        { ...placement, gpusPerContainer, replicaCount, durationHours: quoteDurationHours, price },
        { provider: context.provider, reputation: context.reputation, estimatedLatencyMs: context.estimatedLatencyMs, quotedAt },
      ),
    );
  });
  return { offers, warnings };
}

function selectHardware(rows: unknown[], request: RoutingRequest, gpusPerContainer: number, warnings: string[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const parsed = ionetHardwareSchema.safeParse(row);
    if (!parsed.success) {
      warnings.push(`skipped a hardware record: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`);
      continue;
    }
    const hardware = parsed.data;
    const gpu = normalizeGpuType(hardware.hardware_name) ?? normalizeGpuType(`${hardware.brand_name ?? ''} ${hardware.hardware_name}`);
    if (!gpu) {
      warnings.push(`skipped unknown GPU "${hardware.hardware_name}" (hardware_id ${hardware.hardware_id})`);
      continue;
    }
    if (gpu.gpu_type !== request.gpu_type) continue;
    const maximum = hardware.max_gpus_per_container;
    if (maximum && gpusPerContainer > maximum) {
      warnings.push(`${hardware.hardware_name} fits at most ${maximum} GPUs per container; the request needs ${gpusPerContainer}`);
      continue;
    }
    if (hardware.available !== null && hardware.available !== undefined && hardware.available < gpusPerContainer) continue;
    candidates.push({ hardware, gpu });
  }
  return candidates;
}

function selectLocations(candidate: Candidate, rows: unknown[], request: RoutingRequest, replicaCount: number, warnings: string[]): Placement[] {
  const placements: Placement[] = [];
  for (const row of rows) {
    const parsed = ionetLocationReplicasSchema.safeParse(row);
    if (!parsed.success) {
      warnings.push(`skipped a location record of ${candidate.hardware.hardware_name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`);
      continue;
    }
    const location = parsed.data;
    if (location.available_replicas < replicaCount) continue;
    const region = (location.iso2 ? canonicalizeRegion(location.iso2) : undefined) ?? (location.name ? canonicalizeRegion(location.name) : undefined);
    if (!region) {
      warnings.push(`skipped location ${location.id} (${location.iso2 ?? location.name ?? 'unnamed'}): unknown region`);
      continue;
    }
    if (request.region !== 'global' && region !== request.region) continue;
    placements.push({ ...candidate, location, region });
  }
  return placements;
}

/**
 * Values of settled calls (undefined where one failed, with a warning). Throws at once for a
 * failure that concerns the whole provider, and the first error when every call failed.
 */
function settle<T>(results: Array<PromiseSettledResult<T>>, warnings: string[], what: (index: number) => string): Array<T | undefined> {
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  const providerWide = failures.find((failure) => isProviderWide(failure.reason));
  if (providerWide) throw providerWide.reason;
  if (failures.length > 0 && failures.length === results.length) throw failures[0]!.reason;
  return results.map((result, index) => {
    if (result.status === 'fulfilled') return result.value;
    warnings.push(`${what(index)} failed: ${describeError(result.reason)}`);
    return undefined;
  });
}

/** A refused key, a rate limit, a missing setting or the caller's abort: no point in the other quotes. */
function isProviderWide(error: unknown): boolean {
  if (ConfigurationError.isInstance(error)) return true;
  if (!AdapterCallError.isInstance(error)) return false;
  return error.reason === 'aborted' || error.statusCode === 401 || error.statusCode === 403 || error.statusCode === 429;
}

function describe(placement: Placement): string {
  return `${placement.hardware.hardware_name} in ${placement.location.iso2 ?? placement.location.name ?? placement.location.id}`;
}
