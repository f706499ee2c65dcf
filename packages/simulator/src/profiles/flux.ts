import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * Flux's app hosting has no GPU field; its GPU product is FluxEdge, whose API is not public
 * (flux.md). This profile simulates FluxEdge-style community GPUs behind Flux's deploy flow
 * (signed registration, FLUX payment confirmed on ~30 s blocks, then placement on nodes).
 * Every price is an estimate.
 */
export const fluxProfile: ProviderProfile = {
  id: 'flux',
  displayName: 'Flux (FluxEdge)',
  description: 'Hypothetical FluxEdge GPU rental through the Flux registration + payment flow; community nodes.',
  regions: [
    regionPresence('us-east', 'US', 25),
    regionPresence('us-central', 'Texas, US', 25),
    regionPresence('eu-central', 'DE', 25),
    regionPresence('eu-west', 'NL', 25),
    regionPresence('asia-southeast', 'SG', 25),
  ],
  gpus: [
    { gpuType: '4090', providerGpuName: 'NVIDIA GeForce RTX 4090', gpuMemoryGb: 24, gpuCounts: [1, 2], price: { min: 0.3, max: 0.55 }, gpusPerRegion: 24, source: 'estimate' },
    { gpuType: '3090', providerGpuName: 'NVIDIA GeForce RTX 3090', gpuMemoryGb: 24, gpuCounts: [1, 2], price: { min: 0.18, max: 0.35 }, gpusPerRegion: 24, source: 'estimate' },
    { gpuType: '3080', providerGpuName: 'NVIDIA GeForce RTX 3080', gpuMemoryGb: 10, gpuCounts: [1], price: { min: 0.1, max: 0.2 }, gpusPerRegion: 16, source: 'estimate' },
    { gpuType: 'a5000', providerGpuName: 'NVIDIA RTX A5000', gpuMemoryGb: 24, gpuCounts: [1, 2], price: { min: 0.2, max: 0.35 }, gpusPerRegion: 12, source: 'estimate' },
    // "partner data-center GPUs" (flux.md); few.
    { gpuType: 'a100', providerGpuName: 'NVIDIA A100 80GB PCIe', gpuMemoryGb: 80, gpuCounts: [1, 4, 8], price: { min: 0.9, max: 1.5 }, gpusPerRegion: 8, regions: ['us-east', 'eu-central'], source: 'estimate' },
  ],
  reputation: { mean: 72, spread: 10 },
  listingsPerRegion: 2,
  interruptibleOnly: false,
  reportsSoldOut: false,
  auctionPricing: false,
  priceVolatility: 0.05,
  rates: {
    fillFailure: 0.08,
    // Registration verify errors, message expiry (1 h) before payment confirms. Estimate.
    startFailure: 0.06,
    healthFailure: 0.03,
    runtimeFailurePerHour: 0.02,
    preemptionPerHour: 0,
  },
  startup: {
    // Payment transaction confirmation on ~30 s blocks (flux.md), a few blocks. Estimate.
    pending: { medianMs: 90_000, p90Ms: 240_000, minMs: 30_000 },
    // Spec accepted -> instances appear in /apps/location. Estimate.
    provisioning: { medianMs: 120_000, p90Ms: 300_000, minMs: 30_000 },
  },
  apiLatency: { medianMs: 350, p90Ms: 1_200, minMs: 80 },
  slowCallRate: 0.05,
  statuses: {
    pending: 'awaiting_payment', provisioning: 'spec_accepted', running: 'running', completed: 'expired', failed: 'failed', terminated: 'removed',
  },
  logPhrases: { pending: 'App registration accepted; waiting for the payment transaction to confirm', placed: 'Payment confirmed and app specification accepted; placing instances on nodes' },
  deploymentIdFormat: 'name',
  sources: [
    'shared/reference/providers/flux.md (deploy flow, ~30 s blocks, 1 h message TTL, FluxEdge has no public API)',
    'Estimates: the whole GPU catalogue, every price and rate (FluxEdge is console-only)',
  ],
};
