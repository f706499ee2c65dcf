import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * Render Network's general compute ("Dispersed"): an offer catalogue priced in USD per hour,
 * Docker jobs, job runs PENDING -> ASSIGNED -> RUNNING. The one price in the references is an
 * example offer at 0.50 USD/h for a 24 GiB GPU; the rest are estimates around it.
 */
export const renderProfile: ProviderProfile = {
  id: 'render',
  displayName: 'Render Network',
  description: 'Render Network Dispersed compute: Docker jobs on OctaneRender node operators, offers in USD/h.',
  regions: [
    // Dispersed region codes are AWS-style (render.md).
    regionPresence('us-west', 'us-west-2', 15),
    regionPresence('us-east', 'us-east-1', 15),
    regionPresence('eu-central', 'eu-central-1', 15),
    regionPresence('asia-northeast', 'ap-northeast-1', 15),
  ],
  gpus: [
    { gpuType: '4090', providerGpuName: 'RTX 4090', gpuMemoryGb: 24, gpuCounts: [1, 2, 4], price: { min: 0.4, max: 0.65 }, gpusPerRegion: 40, source: 'render.md example offer: hourly_rate_usd 0.5, min_vram_gib 24; band around it is an estimate' },
    { gpuType: '3090', providerGpuName: 'RTX 3090', gpuMemoryGb: 24, gpuCounts: [1, 2, 4], price: { min: 0.25, max: 0.4 }, gpusPerRegion: 24, source: 'estimate' },
    { gpuType: '5090', providerGpuName: 'RTX 5090', gpuMemoryGb: 32, gpuCounts: [1, 2], price: { min: 0.55, max: 0.9 }, gpusPerRegion: 12, source: 'estimate' },
    { gpuType: 'a6000', providerGpuName: 'RTX A6000', gpuMemoryGb: 48, gpuCounts: [1, 2, 4], price: { min: 0.5, max: 0.8 }, gpusPerRegion: 12, source: 'estimate' },
    // Enterprise-grade nodes approved in RNP-021 (render.md); scarce.
    { gpuType: 'h100', providerGpuName: 'H100 PCIe', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8], price: { min: 2, max: 3 }, gpusPerRegion: 8, regions: ['us-west', 'us-east'], source: 'estimate' },
  ],
  reputation: { mean: 76, spread: 7 },
  listingsPerRegion: 2,
  interruptibleOnly: false,
  reportsSoldOut: false,
  auctionPricing: false,
  priceVolatility: 0.04,
  rates: {
    fillFailure: 0.08,
    // A young, "experimental" REST surface (render.md). Estimate.
    startFailure: 0.05,
    healthFailure: 0.03,
    runtimeFailurePerHour: 0.02,
    preemptionPerHour: 0,
  },
  startup: {
    // PENDING waits for a node; max_timeout_assign_ms defaults to ~5 min (render.md).
    pending: { medianMs: 45_000, p90Ms: 180_000, minMs: 5_000, maxMs: 300_000 },
    // ASSIGNED: container starting; max_timeout_start_ms ~5 min.
    provisioning: { medianMs: 60_000, p90Ms: 150_000, minMs: 10_000, maxMs: 300_000 },
  },
  apiLatency: { medianMs: 220, p90Ms: 600, minMs: 50 },
  slowCallRate: 0.04,
  statuses: {
    pending: 'PENDING', provisioning: 'ASSIGNED', running: 'RUNNING', completed: 'COMPLETED', failed: 'FAILED', terminated: 'CANCELLED',
  },
  logPhrases: { pending: 'Job run PENDING: waiting for a node that meets the job minimums', placed: 'Job run ASSIGNED to a node; starting the container' },
  deploymentIdFormat: 'uuid',
  sources: [
    'shared/reference/providers/render.md (Dispersed offers in USD/h, job-run states, assign/start timeouts, region codes)',
    'Estimates: all prices but the 0.50 USD/h example, failure rates, API latency, reputation',
  ],
};
