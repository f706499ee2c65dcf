import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * Aethir has no tenant API (aethir.md); it is consumed as pre-procured bare-metal hosts driven
 * through Docker. The profile simulates that: a static inventory of enterprise servers at
 * contracted prices, fast container starts, the 99% uptime hosts must meet. Prices are estimates.
 */
export const aethirProfile: ProviderProfile = {
  id: 'aethir',
  displayName: 'Aethir',
  description: 'Enterprise bare-metal GPU servers procured in the Aethir console, run through Docker (BYO-host).',
  regions: [
    regionPresence('us-east', 'Virginia, US', 5),
    regionPresence('us-west', 'California, US', 5),
    regionPresence('eu-central', 'DE', 5),
    regionPresence('eu-west', 'NL', 5),
    regionPresence('asia-northeast', 'JP', 5),
    regionPresence('asia-southeast', 'SG', 5),
  ],
  gpus: [
    // Whole 8-GPU servers: hosts are bare-metal enterprise machines (aethir.md).
    { gpuType: 'h100', providerGpuName: 'NVIDIA H100 80GB HBM3', gpuMemoryGb: 80, gpuCounts: [8], price: { min: 1.4, max: 2.2 }, gpusPerRegion: 64, source: 'estimate (contracted rate)' },
    { gpuType: 'h200', providerGpuName: 'NVIDIA H200', gpuMemoryGb: 141, gpuCounts: [8], price: { min: 2.2, max: 3 }, gpusPerRegion: 32, regions: ['us-east', 'eu-central', 'asia-southeast'], source: 'estimate (contracted rate)' },
    { gpuType: 'a100', providerGpuName: 'NVIDIA A100-SXM4-80GB', gpuMemoryGb: 80, gpuCounts: [8], price: { min: 0.9, max: 1.4 }, gpusPerRegion: 32, source: 'estimate (contracted rate)' },
    { gpuType: 'l40s', providerGpuName: 'NVIDIA L40S', gpuMemoryGb: 48, gpuCounts: [4, 8], price: { min: 0.7, max: 1 }, gpusPerRegion: 16, regions: ['us-east', 'eu-west', 'asia-northeast'], source: 'estimate (contracted rate)' },
  ],
  // Hosts must meet 99% monthly uptime (aethir.md); reputation prior 94 +- 2 (estimate).
  reputation: { mean: 94, spread: 2 },
  listingsPerRegion: 1,
  interruptibleOnly: false,
  // The inventory returns only idle hosts.
  reportsSoldOut: false,
  auctionPricing: false,
  priceVolatility: 0,
  rates: {
    fillFailure: 0.03,
    startFailure: 0.01,
    // 99% monthly uptime and < 30 min daily offline required of hosts (aethir.md).
    healthFailure: 0.01,
    runtimeFailurePerHour: 0.002,
    preemptionPerHour: 0,
  },
  startup: {
    // The host is already in service; Docker create + image pull. Estimates.
    pending: { medianMs: 2_000, p90Ms: 5_000, minMs: 500 },
    provisioning: { medianMs: 40_000, p90Ms: 90_000, minMs: 5_000 },
  },
  apiLatency: { medianMs: 120, p90Ms: 300, minMs: 20 },
  slowCallRate: 0.01,
  statuses: {
    pending: 'created', provisioning: 'pulling', running: 'running', completed: 'exited (0)', failed: 'exited', terminated: 'removed',
  },
  logPhrases: { pending: 'Container created on the reserved host', placed: 'Host ready; starting the container' },
  deploymentIdFormat: 'container',
  sources: [
    'shared/reference/providers/aethir.md (no tenant API, BYO-host via Docker, 99% uptime host requirement, Docker states)',
    'Estimates: every price, GPU mix, failure rates, start times',
  ],
};
