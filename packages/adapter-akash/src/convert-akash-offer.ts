import type { OfferInput, RoutingRequest } from '@aurora/router';
import type { AkashGpuPriceModel, AkashGpuPrices } from './akash-api';
import { canonicalGpuTypeOf, parseAkashMemoryGb } from './akash-gpu-model';
import type { AkashProviderProfile } from './akash-provider-profile';

export type ConvertAkashOffersInput = {
  adapterName: string;
  request: RoutingRequest;
  gpuPrices: AkashGpuPrices;
  /** Profiles with the GPU models each provider reports. */
  providers: ReadonlyArray<{ profile: AkashProviderProfile; gpuModels: ReadonlyArray<{ vendor: string; model: string; ram?: string | null }> }>;
  minimumUptime: number;
  estimatedLatencyMs: number;
  quotedAt: string;
};

/** Metadata every Akash offer carries, read back by `deploy` (SDL model name) and the bid chooser. */
export type AkashOfferMetadata = {
  vendor: string;
  model: string;
  ram: string | null;
  price_per_gpu_usd_per_hour: number;
  price_source: 'weightedAverage' | 'med' | 'avg';
  providers: string[];
  audited_providers: number;
};

type Group = {
  region: string;
  vendor: string;
  model: string;
  ram: string | null;
  providers: AkashProviderProfile[];
};

/**
 * Offers for a request: one per (region, GPU model, memory size) where online providers with that
 * GPU exist. Price per GPU-hour from /v1/gpu-prices times the request's GPU count; reputation is
 * the best provider's in the group (the bid chooser enforces the request's minimum per bid);
 * availability and capacity come from the network-wide figures of that model, since the catalog
 * does not break them down by region.
 */
export function convertAkashOffers(input: ConvertAkashOffersInput): { offers: OfferInput[]; warnings: string[] } {
  const { request } = input;
  const warnings: string[] = [];
  const groups = new Map<string, Group>();
  for (const { profile, gpuModels } of input.providers) {
    if (!profile.isOnline || (profile.uptime ?? 0) < input.minimumUptime) continue;
    for (const gpu of gpuModels) {
      if (canonicalGpuTypeOf(gpu.model) !== request.gpu_type) continue;
      const memory = parseAkashMemoryGb(gpu.ram);
      if (request.gpu_memory_gb !== undefined && (memory === undefined || memory < request.gpu_memory_gb)) continue;
      const region = profile.region ?? 'global';
      const ram = gpu.ram ?? null;
      const key = [region, gpu.vendor.toLowerCase(), gpu.model.toLowerCase(), ram ?? ''].join('|');
      const group = groups.get(key) ?? { region, vendor: gpu.vendor.toLowerCase(), model: gpu.model.toLowerCase(), ram, providers: [] };
      if (!group.providers.some((existing) => existing.address === profile.address)) group.providers.push(profile);
      groups.set(key, group);
    }
  }

  const offers: OfferInput[] = [];
  for (const group of groups.values()) {
    const entries = priceEntriesFor(input.gpuPrices, group);
    const price = lowestPrice(entries);
    if (!price) {
      warnings.push(`akash: no recent price for ${group.vendor} ${group.model}${group.ram ? ` ${group.ram}` : ''} in /v1/gpu-prices; ${group.region} offer skipped`);
      continue;
    }
    const available = entries.reduce((sum, entry) => sum + (entry.availability?.available ?? 0), 0);
    const total = entries.reduce((sum, entry) => sum + (entry.availability?.total ?? 0), 0);
    const metadata: AkashOfferMetadata = {
      vendor: group.vendor,
      model: group.model,
      ram: group.ram,
      price_per_gpu_usd_per_hour: price.value,
      price_source: price.source,
      providers: group.providers.map((provider) => provider.address).sort(),
      audited_providers: group.providers.filter((provider) => provider.isAudited).length,
    };
    offers.push({
      provider: input.adapterName,
      offer_id: offerId(group),
      gpu_type: request.gpu_type,
      ...(parseAkashMemoryGb(group.ram) !== undefined ? { gpu_memory_gb: parseAkashMemoryGb(group.ram) } : {}),
      gpu_count: request.gpu_count,
      region: group.region,
      price_usd_per_hour: roundUsd(price.value * request.gpu_count),
      estimated_latency_ms: input.estimatedLatencyMs,
      reputation: Math.max(...group.providers.map((provider) => provider.reputation)),
      availability: total > 0 ? Math.min(1, available / total) : 0,
      capacity: Math.floor(available / request.gpu_count),
      interruptible: false,
      quoted_at: input.quotedAt,
      provider_metadata: { akash: metadata },
    });
  }
  offers.sort((a, b) => a.offer_id.localeCompare(b.offer_id));
  return { offers, warnings };
}

/** Catalog entries for the group's model: same memory size when one matches, else any size. */
function priceEntriesFor(gpuPrices: AkashGpuPrices, group: Group): AkashGpuPriceModel[] {
  const sameModel = gpuPrices.models.filter(
    (entry) => entry.vendor.toLowerCase() === group.vendor && entry.model.toLowerCase() === group.model,
  );
  const sameRam = sameModel.filter((entry) => sameMemory(entry.ram, group.ram));
  return sameRam.length > 0 ? sameRam : sameModel;
}

function sameMemory(a: string | null | undefined, b: string | null): boolean {
  return parseAkashMemoryGb(a) === parseAkashMemoryGb(b);
}

function lowestPrice(entries: AkashGpuPriceModel[]): { value: number; source: AkashOfferMetadata['price_source'] } | undefined {
  let best: { value: number; source: AkashOfferMetadata['price_source'] } | undefined;
  for (const entry of entries) {
    const price = entry.price;
    if (!price) continue;
    const candidate =
      positive(price.weightedAverage) !== undefined ? { value: price.weightedAverage!, source: 'weightedAverage' as const }
      : positive(price.med) !== undefined ? { value: price.med!, source: 'med' as const }
      : positive(price.avg) !== undefined ? { value: price.avg!, source: 'avg' as const }
      : undefined;
    if (candidate && (!best || candidate.value < best.value)) best = candidate;
  }
  return best;
}

function positive(value: number | null | undefined): number | undefined {
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function offerId(group: Group): string {
  const parts = ['akash', group.region, group.model, group.ram ?? 'any'];
  return parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '');
}

function roundUsd(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
