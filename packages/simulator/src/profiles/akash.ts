import type { ProviderProfile } from './provider-profile';
import { regionPresence } from './region-latency';

/**
 * The references give Akash's price *units* (uact per block, 600 blocks per hour) but no figures;
 * per-GPU bands are estimates placed near the Vast.ai marketplace bands of the SkyPilot catalog,
 * since both are open bid markets.
 */
const estimate = 'estimate near the Vast.ai catalog band; Akash /v1/gpu-prices reports USD per GPU-hour from recent bids (akash.md)';

/**
 * Akash Network through the Console API: deployment -> bids (30-60 s) -> lease -> manifest. The
 * bid price, not the indicative quote, is what the lease costs.
 */
export const akashProfile: ProviderProfile = {
  id: 'akash',
  displayName: 'Akash Network',
  description: 'Decentralised bid market; Console API deployment, bids, lease and manifest push.',
  regions: [
    // Provider attribute `location-region` values (akash.md: /v1/provider-regions).
    regionPresence('us-west', 'us-west', 10),
    regionPresence('us-central', 'us-central', 10),
    regionPresence('us-east', 'us-east', 10),
    regionPresence('ca-central', 'ca-central', 10),
    regionPresence('eu-central', 'eu-central', 10),
    regionPresence('eu-west', 'eu-west', 10),
    regionPresence('asia-east', 'asia-east', 10),
  ],
  gpus: [
    { gpuType: 'h100', providerGpuName: 'nvidia h100 80Gi sxm5', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8], price: { min: 1.3, max: 2.2 }, gpusPerRegion: 32, source: estimate },
    { gpuType: 'h200', providerGpuName: 'nvidia h200 141Gi', gpuMemoryGb: 141, gpuCounts: [8], price: { min: 2.3, max: 3.2 }, gpusPerRegion: 16, regions: ['us-west', 'us-central', 'us-east'], source: estimate },
    { gpuType: 'a100', providerGpuName: 'nvidia a100 80Gi sxm4', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8], price: { min: 0.8, max: 1.4 }, gpusPerRegion: 40, source: estimate },
    { gpuType: '4090', providerGpuName: 'nvidia rtx4090 24Gi', gpuMemoryGb: 24, gpuCounts: [1, 2, 4, 8], price: { min: 0.25, max: 0.45 }, gpusPerRegion: 48, source: estimate },
    { gpuType: 'a6000', providerGpuName: 'nvidia rtxa6000 48Gi', gpuMemoryGb: 48, gpuCounts: [1, 2, 4], price: { min: 0.35, max: 0.6 }, gpusPerRegion: 16, source: estimate },
    { gpuType: '3090', providerGpuName: 'nvidia rtx3090 24Gi', gpuMemoryGb: 24, gpuCounts: [1, 2, 4], price: { min: 0.15, max: 0.25 }, gpusPerRegion: 24, regions: ['us-west', 'us-east', 'eu-central'], source: estimate },
  ],
  // Providers publish uptime1d/7d/30d and an audited flag (akash.md); 82 +- 6 is an estimate.
  reputation: { mean: 82, spread: 6 },
  listingsPerRegion: 2,
  interruptibleOnly: false,
  // /v1/gpu-prices reports availability {total, available} per model (akash.md).
  reportsSoldOut: true,
  auctionPricing: true,
  priceVolatility: 0.06,
  rates: {
    // No open bid before the adapter's timeout counts as no capacity (akash.md). Estimate.
    fillFailure: 0.1,
    // Manifest push or lease errors, insufficient funds. Estimate.
    startFailure: 0.04,
    healthFailure: 0.02,
    runtimeFailurePerHour: 0.01,
    preemptionPerHour: 0,
  },
  startup: {
    // Docs: bids usually arrive in 30-60 s.
    pending: { medianMs: 40_000, p90Ms: 60_000, minMs: 15_000, maxMs: 300_000 },
    // Lease tx, manifest push (up to 3 tries 6 s apart), image pull. Estimate.
    provisioning: { medianMs: 45_000, p90Ms: 120_000, minMs: 10_000 },
  },
  apiLatency: { medianMs: 250, p90Ms: 700, minMs: 60 },
  slowCallRate: 0.03,
  statuses: {
    pending: 'awaiting_bids', provisioning: 'lease_active', running: 'lease_active_ready', completed: 'closed', failed: 'lease_closed', terminated: 'deployment_closed',
  },
  logPhrases: { pending: 'Deployment created on chain; waiting for provider bids', placed: 'Accepted the lowest open bid; lease created and manifest sent to the provider' },
  deploymentIdFormat: 'dseq',
  sources: [
    'shared/reference/providers/akash.md (bid timing, lease/deployment states, gpu-prices units, provider uptime fields)',
    'Estimates: every price (bands near the Vast.ai catalog), failure rates, provisioning after the lease, API latency',
  ],
};
