import type { RoutingRequest } from '@aurora/router';
import type { CatalogEntry } from '../data/price-catalog';
import type { SimulatedRequest } from '../workload/simulated-request';

function entry(provider: string, instanceType: string, gpuType: CatalogEntry['gpu_type'], count: number, region: CatalogEntry['region'], price: number, spot?: number): CatalogEntry {
  return {
    provider, instance_type: instanceType, gpu_type: gpuType, gpu_memory_gb: 80, gpu_count: count, region, provider_region: region,
    price_usd_per_hour: price, ...(spot !== undefined ? { spot_price_usd_per_hour: spot } : {}), source: `test:${instanceType}`,
  };
}

/**
 * Three providers with H100s: a marketplace with a known profile (vast), a list-price cloud with
 * spot capacity (runpod) and an unknown cloud (generic priors), in two regions and several shapes.
 */
export const smallCatalog: CatalogEntry[] = [
  entry('vast', '1x-H100_SXM', 'h100', 1, 'us-east', 1.9),
  entry('vast', '2x-H100_SXM', 'h100', 2, 'us-east', 3.8),
  entry('vast', '1x-H100_SXM', 'h100', 1, 'eu-central', 2.0),
  entry('runpod', '1x_H100_SECURE', 'h100', 1, 'us-east', 4.5, 2.6),
  entry('runpod', '2x_H100_SECURE', 'h100', 2, 'us-east', 9.0, 5.2),
  entry('runpod', '1x_H100_SECURE', 'h100', 1, 'eu-central', 4.5),
  entry('acme', 'acme_H100', 'h100', 1, 'us-central', 2.8),
  entry('acme', 'acme_H100x8', 'h100', 8, 'us-central', 22.4),
];

export const testStartMs = Date.UTC(2026, 0, 1);

/** A request for the small catalog; `overrides` replace routing fields. */
export function testRequest(id: string, arrivalMs: number, overrides: Partial<RoutingRequest> = {}, durationMs = 3_600_000): SimulatedRequest {
  return {
    id,
    arrival_ms: arrivalMs,
    request: { workload_type: 'llm_inference', gpu_type: 'h100', gpu_count: 1, region: 'global', allow_interruptible: true, gpu_hours: durationMs / 3_600_000, ...overrides },
    client_region: 'us-east',
    duration_ms: durationMs,
    tenant: 'test',
    source: 'test',
  };
}
