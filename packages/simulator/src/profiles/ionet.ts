import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * The references give io.net's price *formula* (/price total_cost_usdc over duration, replicas and
 * GPUs, plus 2% + 0.25% fees when paying in USDC) but no figures: bands are estimates that include
 * those fees.
 */
const estimate = 'estimate incl. 2.25% USDC fees; io.net quotes total_cost_usdc per duration x replicas x GPUs (ionet.md)';

/** io.net IO Cloud CaaS: prepaid, time-boxed container clusters on one hardware type and location. */
export const ionetProfile: ProviderProfile = {
  id: 'ionet',
  displayName: 'io.net',
  description: 'IO Cloud container clusters (CaaS): hardware x location, prepaid hours, up to 8 GPUs per container.',
  regions: [
    // Locations are {id, iso2, name}; iso2 is the stable part (ionet.md).
    regionPresence('us-east', 'US', 20),
    regionPresence('ca-central', 'CA', 20),
    regionPresence('eu-central', 'DE', 20),
    regionPresence('uk', 'GB', 20),
    regionPresence('asia-south', 'IN', 20),
    regionPresence('asia-southeast', 'SG', 20),
    regionPresence('asia-northeast', 'JP', 20),
  ],
  gpus: [
    // "H100 PCIe", NVIDIA, max 8 per container: the hardware example in ionet.md.
    { gpuType: 'h100', providerGpuName: 'H100 PCIe', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8], price: { min: 1.6, max: 2.5 }, gpusPerRegion: 48, source: estimate },
    { gpuType: 'a100', providerGpuName: 'A100-SXM4-80GB', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8], price: { min: 0.9, max: 1.6 }, gpusPerRegion: 40, source: estimate },
    { gpuType: 'l40s', providerGpuName: 'L40S', gpuMemoryGb: 48, gpuCounts: [1, 2, 4, 8], price: { min: 0.8, max: 1.3 }, gpusPerRegion: 16, regions: ['us-east', 'eu-central', 'asia-southeast'], source: estimate },
    { gpuType: '4090', providerGpuName: 'GeForce RTX 4090', gpuMemoryGb: 24, gpuCounts: [1, 2, 4, 8], price: { min: 0.25, max: 0.5 }, gpusPerRegion: 64, source: estimate },
    { gpuType: 'a6000', providerGpuName: 'RTX A6000', gpuMemoryGb: 48, gpuCounts: [1, 2, 4, 8], price: { min: 0.4, max: 0.7 }, gpusPerRegion: 24, source: estimate },
    { gpuType: '3090', providerGpuName: 'GeForce RTX 3090', gpuMemoryGb: 24, gpuCounts: [1, 2, 4, 8], price: { min: 0.15, max: 0.3 }, gpusPerRegion: 32, regions: ['us-east', 'eu-central', 'asia-south', 'asia-southeast'], source: estimate },
  ],
  reputation: { mean: 78, spread: 8 },
  listingsPerRegion: 1,
  interruptibleOnly: false,
  // /available-replicas lists locations with available_replicas 0 (ionet.md).
  reportsSoldOut: true,
  auctionPricing: false,
  priceVolatility: 0.03,
  rates: {
    fillFailure: 0.07,
    startFailure: 0.05,
    healthFailure: 0.03,
    runtimeFailurePerHour: 0.015,
    preemptionPerHour: 0,
  },
  startup: {
    // "deployment requested" until workers appear, then public_url per worker. Estimates.
    pending: { medianMs: 20_000, p90Ms: 60_000, minMs: 5_000 },
    provisioning: { medianMs: 90_000, p90Ms: 240_000, minMs: 20_000 },
  },
  apiLatency: { medianMs: 300, p90Ms: 900, minMs: 60 },
  slowCallRate: 0.04,
  statuses: {
    pending: 'deployment requested', provisioning: 'deploying', running: 'running', completed: 'completed', failed: 'failed', terminated: 'destroyed',
  },
  logPhrases: { pending: 'Deployment requested; reserving workers in the selected location', placed: 'Workers reserved; starting containers' },
  deploymentIdFormat: 'uuid',
  sources: [
    'shared/reference/providers/ionet.md (CaaS status enum, locations, per-container GPU limit, USDC fees)',
    'Estimates: every price, failure rates, start times, API latency, reputation',
  ],
};
