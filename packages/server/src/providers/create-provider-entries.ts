import type { ProviderAdapter } from '@aurora/router';
import { createSimulatedFleet, type SimulatedAdapter } from '@aurora/simulator';
import type { Environment } from '../config/environment-overrides';
import type { ServerConfig } from '../config/server-config';
import { knownProviderIds, type KnownProviderId } from './known-providers';
import type { MarketBook } from './market-book';
import type { ProviderCatalog, ProviderEntry } from './provider-entry';
import { realAdapterFactories, type RealAdapterFactory } from './real-adapter-factories';
import { resolveCredential } from './resolve-credential';
import { restrictOffers } from './restrict-offers';

export type CreateProviderEntriesOptions = {
  config: ServerConfig;
  /** Credentials (`<PROVIDER>_API_KEY`, named secrets) are read from here. */
  environment: Environment;
  market: MarketBook;
  /** Real adapters by provider id; default the published ones (akash, ionet). */
  realFactories?: Partial<Record<KnownProviderId, RealAdapterFactory>>;
};

/**
 * One adapter per enabled provider: the real adapter when the provider has one and credentials
 * are present (env or secret file), otherwise the simulated adapter of @aurora/simulator, marked
 * simulated. providers.yaml restrictions (gpu_types, default_region) wrap either.
 */
export async function createProviderEntries(options: CreateProviderEntriesOptions): Promise<ProviderEntry[]> {
  const { config, environment, market } = options;
  const factories = options.realFactories ?? realAdapterFactories;
  const enabled = knownProviderIds.filter((id) => config.providers[id].enabled);

  const real = new Map<KnownProviderId, { adapter: ProviderAdapter; reason: string }>();
  for (const id of enabled) {
    const factory = factories[id];
    const providerConfig = config.providers[id];
    const credential = await resolveCredential({ provider: id, config: providerConfig, environment, configDirectory: config.configDirectory });
    if (credential === undefined || !factory) continue;
    real.set(id, {
      adapter: factory({ apiKey: credential.value, environment, ...(providerConfig.api_url ? { baseURL: providerConfig.api_url } : {}) }),
      reason: `credentials from ${credential.source}`,
    });
  }

  const simulatedIds = enabled.filter((id) => !real.has(id));
  const { seed, time_scale, failure_rate_multiplier, api_latency } = config.router.simulator;
  const fleet = simulatedIds.length === 0
    ? []
    : createSimulatedFleet({
        seed,
        providers: simulatedIds,
        timeScale: time_scale,
        failureRateMultiplier: failure_rate_multiplier,
        apiLatency: api_latency,
      });
  const simulated = new Map(fleet.map((adapter) => [adapter.name, adapter]));

  return enabled.map((id): ProviderEntry => {
    const providerConfig = config.providers[id];
    const realEntry = real.get(id);
    const simulatedAdapter = simulated.get(id);
    const base: ProviderAdapter = realEntry?.adapter ?? simulatedAdapter!;
    const restricted = restrictOffers(base, {
      ...(providerConfig.gpu_types ? { gpuTypes: providerConfig.gpu_types } : {}),
      ...(providerConfig.default_region ? { defaultRegion: providerConfig.default_region } : {}),
    });
    return {
      id,
      adapter: market.observe(restricted),
      simulated: !realEntry,
      reason: realEntry ? realEntry.reason : factories[id] ? 'simulated: no credentials' : 'simulated: no real adapter for this provider yet',
      catalog: simulatedAdapter ? profileCatalog(simulatedAdapter, providerConfig.gpu_types) : configuredCatalog(providerConfig.gpu_types, providerConfig.default_region),
      healthCheckIntervalMs: providerConfig.health_check_interval_ms,
      orphanSweep: providerConfig.orphan_sweep,
    };
  });
}

function profileCatalog(adapter: SimulatedAdapter, allowedGpuTypes: readonly string[] | undefined): ProviderCatalog {
  const allowed = allowedGpuTypes ? new Set(allowedGpuTypes) : undefined;
  const gpus = adapter.profile.gpus.filter((gpu) => !allowed || allowed.has(gpu.gpuType));
  const prices = gpus.flatMap((gpu) => [gpu.price.min, gpu.price.max, ...(gpu.interruptiblePrice ? [gpu.interruptiblePrice.min, gpu.interruptiblePrice.max] : [])]);
  return {
    gpu_types: [...new Set(gpus.map((gpu) => gpu.gpuType))].sort(),
    regions: [...new Set(adapter.profile.regions.map((presence) => presence.region))].sort(),
    price_range: prices.length > 0 ? { min_usd_per_hour: Math.min(...prices), max_usd_per_hour: Math.max(...prices) } : null,
  };
}

function configuredCatalog(gpuTypes: readonly string[] | undefined, defaultRegion: string | undefined): ProviderCatalog | null {
  if (!gpuTypes && !defaultRegion) return null;
  return { gpu_types: gpuTypes ? [...gpuTypes].sort() : [], regions: defaultRegion ? [defaultRegion] : [], price_range: null };
}
