import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * SaladCloud container groups on consumer GPUs: one GPU per node, nodes can vanish at any time,
 * slow cold starts. The one price in the references is the docs' RTX 3060 at 0.047 USD/h (low
 * priority); other bands are estimates.
 */
export const saladProfile: ProviderProfile = {
  id: 'salad',
  displayName: 'SaladCloud',
  description: 'Container groups on consumer GPU nodes (one GPU each); interruptible by nature, slow cold starts.',
  regions: [
    // Salad places by lowercase ISO country code only (salad.md); residential uplinks +45 ms (estimate).
    regionPresence('us-east', 'us', 45),
    regionPresence('ca-central', 'ca', 45),
    regionPresence('eu-central', 'de', 45),
    regionPresence('uk', 'gb', 45),
    regionPresence('sa-east', 'br', 45),
    regionPresence('oceania', 'au', 45),
  ],
  gpus: [
    { gpuType: '3060', providerGpuName: 'RTX 3060 (12 GB)', gpuMemoryGb: 12, gpuCounts: [1], price: { min: 0.04, max: 0.1 }, gpusPerRegion: 160, source: 'salad.md billing docs example: RTX 3060 at 0.047 USD/h (low priority); upper end an estimate' },
    { gpuType: '3080', providerGpuName: 'RTX 3080 (10 GB)', gpuMemoryGb: 10, gpuCounts: [1], price: { min: 0.07, max: 0.15 }, gpusPerRegion: 120, source: 'estimate' },
    { gpuType: '3090', providerGpuName: 'RTX 3090 (24 GB)', gpuMemoryGb: 24, gpuCounts: [1], price: { min: 0.1, max: 0.25 }, gpusPerRegion: 120, source: 'estimate' },
    { gpuType: '4080', providerGpuName: 'RTX 4080 (16 GB)', gpuMemoryGb: 16, gpuCounts: [1], price: { min: 0.12, max: 0.25 }, gpusPerRegion: 80, source: 'estimate' },
    { gpuType: '4090', providerGpuName: 'RTX 4090 (24 GB)', gpuMemoryGb: 24, gpuCounts: [1], price: { min: 0.16, max: 0.35 }, gpusPerRegion: 120, source: 'estimate' },
    { gpuType: '5090', providerGpuName: 'RTX 5090 (32 GB)', gpuMemoryGb: 32, gpuCounts: [1], price: { min: 0.25, max: 0.45 }, gpusPerRegion: 40, regions: ['us-east', 'eu-central', 'ca-central'], source: 'estimate' },
  ],
  reputation: { mean: 70, spread: 8 },
  listingsPerRegion: 1,
  interruptibleOnly: true,
  // sce-gpu-availability returns counts per priority, zero included (salad.md).
  reportsSoldOut: true,
  auctionPricing: false,
  priceVolatility: 0.02,
  rates: {
    fillFailure: 0.04,
    // Image preparation failures (pull, registry auth, store) are the only "failed" (salad.md).
    startFailure: 0.05,
    healthFailure: 0.015,
    runtimeFailurePerHour: 0,
    // Nodes can disappear at any time (salad.md); ~4 h mean on a node is an estimate.
    preemptionPerHour: 0.25,
  },
  startup: {
    // pending = Salad pulls, compresses and stores the image (salad.md). Estimate.
    pending: { medianMs: 240_000, p90Ms: 600_000, minMs: 60_000 },
    // Allocation can take 20+ min (salad.md).
    provisioning: { medianMs: 360_000, p90Ms: 1_200_000, minMs: 60_000 },
  },
  apiLatency: { medianMs: 200, p90Ms: 600, minMs: 40 },
  slowCallRate: 0.03,
  statuses: {
    pending: 'pending', provisioning: 'deploying', running: 'running', completed: 'succeeded', failed: 'failed', terminated: 'stopped',
  },
  logPhrases: { pending: 'Container group pending: preparing the image (pull, compress, store)', placed: 'Image prepared; allocating nodes' },
  deploymentIdFormat: 'name',
  sources: [
    'shared/reference/providers/salad.md (container group states, per-GPU-hour pricing, country codes, 20+ min allocation)',
    'Estimates: all prices but the RTX 3060 example, failure and preemption rates, API latency',
  ],
};
