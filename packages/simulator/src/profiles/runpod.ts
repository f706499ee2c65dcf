import type { GpuOffering, ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

const catalog = 'SkyPilot catalog v6 runpod/vms.csv (shared/data/prices/runpod_catalog_v6.csv): Secure Cloud list price, same in all 8 countries';

function listPrice(usd: number): { min: number; max: number } {
  return { min: usd, max: usd };
}

function offering(
  gpuType: GpuOffering['gpuType'], providerGpuName: string, gpuMemoryGb: number, price: number, gpusPerRegion: number, spotPrice?: number,
): GpuOffering {
  return {
    gpuType, providerGpuName, gpuMemoryGb, gpuCounts: [1, 2, 4, 8], price: listPrice(price),
    ...(spotPrice !== undefined ? { interruptiblePrice: listPrice(spotPrice) } : {}),
    gpusPerRegion, source: spotPrice !== undefined ? `${catalog}; SpotPrice column for interruptible` : catalog,
  };
}

/**
 * RunPod Secure Cloud pods: fixed list prices per GPU, spot capacity for some models. Prices from
 * the SkyPilot catalog; lifecycle and "400 = no capacity" from shared/reference/providers/runpod.md.
 */
export const runpodProfile: ProviderProfile = {
  id: 'runpod',
  displayName: 'RunPod',
  description: 'Secure Cloud GPU pods at list prices, spot where the catalog has a spot price; REST API v2.',
  regions: [
    // Catalog countries CA, CZ, IS, NL, NO, RO, SE, US; data-centre ids as RunPod spells them.
    regionPresence('us-east', 'US', 5),
    regionPresence('ca-central', 'CA-MTL-1', 5),
    regionPresence('eu-central', 'EU-RO-1', 5),
    regionPresence('eu-west', 'EU-NL-1', 5),
    regionPresence('eu-north', 'EU-SE-1', 5),
  ],
  gpus: [
    offering('h100', 'H100 PCIe', 80, 4.49, 32),
    offering('h100', 'H100 SXM', 80, 4.69, 32),
    offering('a100', 'A100 80GB PCIe', 80, 1.99, 32),
    offering('a100', 'A100-SXM4-80GB', 80, 2.29, 32),
    offering('4090', 'NVIDIA GeForce RTX 4090', 24, 0.74, 48, 0.49),
    offering('a40', 'A40', 48, 0.79, 16, 0.49),
    offering('l40', 'L40', 48, 1.14, 16, 0.69),
    offering('l4', 'L4', 24, 0.44, 16),
    offering('3090', 'RTX 3090', 24, 0.44, 16),
    offering('a6000', 'RTX A6000', 48, 0.79, 16, 0.49),
    offering('rtx6000ada', 'RTX 6000 Ada', 48, 1.14, 16),
    offering('rtx4000ada', 'RTX 4000 Ada', 20, 0.39, 16),
    offering('a4000', 'RTX A4000', 16, 0.34, 16),
    offering('a4500', 'RTX A4500', 20, 0.36, 16, 0.22),
    offering('a5000', 'RTX A5000', 24, 0.44, 16),
  ],
  reputation: { mean: 91, spread: 2 },
  listingsPerRegion: 1,
  interruptibleOnly: false,
  // The catalog reports availability NONE|LOW|MEDIUM|HIGH per GPU (runpod.md).
  reportsSoldOut: true,
  auctionPricing: false,
  priceVolatility: 0,
  rates: {
    // POST /v2/pods answers 400 when the GPU/DC has no capacity (runpod.md). Rate is an estimate.
    fillFailure: 0.05,
    startFailure: 0.02,
    healthFailure: 0.005,
    runtimeFailurePerHour: 0.005,
    // AWS spot preemption traces (shared/data/reliability) as the analogue for spot pods.
    preemptionPerHour: 0.35,
  },
  startup: {
    pending: { medianMs: 5_000, p90Ms: 15_000, minMs: 1_000 },
    provisioning: { medianMs: 40_000, p90Ms: 120_000, minMs: 8_000 },
  },
  apiLatency: { medianMs: 150, p90Ms: 400, minMs: 30 },
  slowCallRate: 0.02,
  statuses: {
    pending: 'PROVISIONING', provisioning: 'STARTING', running: 'RUNNING', completed: 'EXITED', failed: 'ERROR', terminated: 'TERMINATED',
  },
  logPhrases: { pending: 'Pod PROVISIONING: allocating a machine', placed: 'Machine allocated; pod STARTING' },
  deploymentIdFormat: 'pod',
  sources: [
    'shared/reference/providers/runpod.md (PodStatus values, create retry table, availability levels)',
    'SkyPilot catalog v6 runpod/vms.csv at 098741e7 (list and spot prices, countries)',
    'Estimates: failure rates, start times, API latency, reputation',
  ],
};
