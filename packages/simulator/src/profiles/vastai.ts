import type { ProviderProfile } from './provider-profile';
import { regionPresence, scaleBand } from './region-latency';

const catalog = 'SkyPilot catalog v7 vast/vms.csv (shared/data/prices/vast_catalog_v7.csv): min-max USD per GPU-hour over its rows';
/** Vast has no interruptible prices in the catalog (SpotPrice unpopulated); bids assumed 50-75% of on-demand. */
const bidFactor = [0.5, 0.75] as const;

/**
 * Vast.ai: a marketplace of single-use host offers. Prices and regions from the SkyPilot catalog;
 * lifecycle, bid (interruptible) pricing and fast starts from shared/reference/providers/vastai.md.
 */
export const vastaiProfile: ProviderProfile = {
  id: 'vastai',
  displayName: 'Vast.ai',
  description: 'Marketplace of host offers (on-demand and interruptible bids), REST API v0.',
  regions: [
    // "<state>, <country>, <continent>" is Vast's geolocation spelling; +15 ms for host uplinks (estimate).
    regionPresence('us-west', 'California, US, NA', 15),
    regionPresence('us-central', 'Texas, US, NA', 15),
    regionPresence('us-east', 'Florida, US, NA', 15),
    regionPresence('ca-central', 'Quebec, CA, NA', 15),
    regionPresence('eu-central', 'Germany, DE, EU', 15),
    regionPresence('eu-west', 'France, FR, EU', 15),
    regionPresence('eu-north', 'Norway, NO, EU', 15),
    regionPresence('eu-south', 'Spain, ES, EU', 15),
    regionPresence('asia-east', 'Taiwan, TW, AS', 15),
    regionPresence('asia-southeast', 'Thailand, TH, AS', 15),
  ],
  gpus: [
    {
      gpuType: 'h100', providerGpuName: 'H100 SXM', gpuMemoryGb: 80, gpuCounts: [1, 2, 4, 8],
      price: { min: 1.8, max: 2.27 }, interruptiblePrice: scaleBand({ min: 1.8, max: 2.27 }, ...bidFactor),
      gpusPerRegion: 24, regions: ['us-west', 'us-central', 'us-east', 'eu-central', 'eu-west', 'asia-southeast'], source: catalog,
    },
    {
      gpuType: 'h200', providerGpuName: 'H200', gpuMemoryGb: 141, gpuCounts: [1, 2, 4, 8],
      price: { min: 2.47, max: 2.83 }, interruptiblePrice: scaleBand({ min: 2.47, max: 2.83 }, ...bidFactor),
      gpusPerRegion: 16, regions: ['us-east', 'eu-west', 'eu-central', 'eu-south'], source: catalog,
    },
    {
      gpuType: 'a100', providerGpuName: 'A100 SXM4', gpuMemoryGb: 40, gpuCounts: [1, 2, 4, 8],
      price: { min: 0.73, max: 1.2 }, interruptiblePrice: scaleBand({ min: 0.73, max: 1.2 }, ...bidFactor),
      gpusPerRegion: 16, regions: ['eu-central'], source: `${catalog}; 40 GB per GPU from its GpuInfo`,
    },
    {
      gpuType: '4090', providerGpuName: 'RTX 4090', gpuMemoryGb: 24, gpuCounts: [1, 2, 4, 8],
      price: { min: 0.32, max: 0.4 }, interruptiblePrice: scaleBand({ min: 0.32, max: 0.4 }, ...bidFactor),
      gpusPerRegion: 64, regions: ['us-central', 'us-west', 'ca-central', 'eu-west', 'eu-north', 'eu-south', 'asia-east'], source: catalog,
    },
    {
      gpuType: '5090', providerGpuName: 'RTX 5090', gpuMemoryGb: 32, gpuCounts: [1, 2, 8],
      price: { min: 0.4, max: 0.73 }, interruptiblePrice: scaleBand({ min: 0.4, max: 0.73 }, ...bidFactor),
      gpusPerRegion: 32, regions: ['ca-central', 'us-west', 'eu-central', 'eu-west', 'asia-east'], source: catalog,
    },
    {
      gpuType: '3090', providerGpuName: 'RTX 3090', gpuMemoryGb: 24, gpuCounts: [1, 2],
      price: { min: 0.23, max: 0.25 }, interruptiblePrice: scaleBand({ min: 0.23, max: 0.25 }, ...bidFactor),
      gpusPerRegion: 24, regions: ['eu-central', 'ca-central', 'asia-east'], source: catalog,
    },
    {
      gpuType: 'l40s', providerGpuName: 'L40S', gpuMemoryGb: 48, gpuCounts: [2, 4, 8],
      price: { min: 0.67, max: 0.8 }, interruptiblePrice: scaleBand({ min: 0.67, max: 0.8 }, ...bidFactor),
      gpusPerRegion: 16, regions: ['us-west', 'eu-central'], source: catalog,
    },
    {
      gpuType: 'a6000', providerGpuName: 'RTX A6000', gpuMemoryGb: 48, gpuCounts: [2, 4],
      price: { min: 0.48, max: 0.48 }, interruptiblePrice: scaleBand({ min: 0.48, max: 0.48 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-central'], source: catalog,
    },
    {
      gpuType: 'a40', providerGpuName: 'A40', gpuMemoryGb: 48, gpuCounts: [1, 2],
      price: { min: 0.4, max: 0.4 }, interruptiblePrice: scaleBand({ min: 0.4, max: 0.4 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-west'], source: catalog,
    },
    {
      gpuType: 'rtx6000ada', providerGpuName: 'RTX 6000Ada', gpuMemoryGb: 48, gpuCounts: [2],
      price: { min: 0.66, max: 0.66 }, interruptiblePrice: scaleBand({ min: 0.66, max: 0.66 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-north'], source: catalog,
    },
    {
      gpuType: '4080', providerGpuName: 'RTX 4080', gpuMemoryGb: 16, gpuCounts: [1],
      price: { min: 0.24, max: 0.24 }, interruptiblePrice: scaleBand({ min: 0.24, max: 0.24 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-north'], source: `${catalog} (listed as RTX 4080S)`,
    },
    {
      gpuType: 'a5000', providerGpuName: 'RTX A5000', gpuMemoryGb: 24, gpuCounts: [4],
      price: { min: 0.23, max: 0.23 }, interruptiblePrice: scaleBand({ min: 0.23, max: 0.23 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-west'], source: catalog,
    },
    {
      gpuType: 'a4000', providerGpuName: 'RTX A4000', gpuMemoryGb: 16, gpuCounts: [4],
      price: { min: 0.14, max: 0.14 }, interruptiblePrice: scaleBand({ min: 0.14, max: 0.14 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-south'], source: catalog,
    },
    {
      gpuType: 'a10', providerGpuName: 'A10', gpuMemoryGb: 24, gpuCounts: [2],
      price: { min: 0.26, max: 0.26 }, interruptiblePrice: scaleBand({ min: 0.26, max: 0.26 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-west'], source: catalog,
    },
    {
      gpuType: 'v100', providerGpuName: 'Tesla V100', gpuMemoryGb: 16, gpuCounts: [1, 2],
      price: { min: 0.2, max: 0.2 }, interruptiblePrice: scaleBand({ min: 0.2, max: 0.2 }, ...bidFactor),
      gpusPerRegion: 8, regions: ['eu-central'], source: catalog,
    },
    {
      gpuType: '3060', providerGpuName: 'RTX 3060', gpuMemoryGb: 12, gpuCounts: [1, 2, 4],
      price: { min: 0.07, max: 0.15 }, interruptiblePrice: scaleBand({ min: 0.07, max: 0.15 }, ...bidFactor),
      gpusPerRegion: 16, regions: ['us-west', 'ca-central', 'asia-east'], source: catalog,
    },
  ],
  // Offers carry a per-machine reliability of 0-1 (vastai.md); 0.88 +- 0.06 is an estimate.
  reputation: { mean: 88, spread: 6 },
  listingsPerRegion: 3,
  interruptibleOnly: false,
  reportsSoldOut: false,
  auctionPricing: false,
  priceVolatility: 0.06,
  rates: {
    // An offer id is single-use; others rent it between quote and create (vastai.md). Estimate.
    fillFailure: 0.08,
    startFailure: 0.03,
    healthFailure: 0.01,
    runtimeFailurePerHour: 0.01,
    // AWS spot preemption traces (shared/data/reliability): instances held 1.4-3.1 h on average.
    preemptionPerHour: 0.4,
  },
  startup: {
    pending: { medianMs: 3_000, p90Ms: 10_000, minMs: 1_000 },
    // actual_status null -> loading -> running; images are often cached on hosts. Estimate.
    provisioning: { medianMs: 25_000, p90Ms: 90_000, minMs: 5_000 },
  },
  apiLatency: { medianMs: 180, p90Ms: 500, minMs: 40 },
  slowCallRate: 0.03,
  statuses: {
    pending: 'created', provisioning: 'loading', running: 'running', completed: 'exited', failed: 'exited', terminated: 'unloaded',
  },
  logPhrases: { pending: 'Instance created from the offer; waiting for the host', placed: 'Host accepted the contract; loading the instance' },
  deploymentIdFormat: 'integer',
  sources: [
    'shared/reference/providers/vastai.md (offers, bids, actual_status values, single-use offer ids)',
    'SkyPilot catalog v7 vast/vms.csv at 00690e76 (prices, GPU memory, regions)',
    'skypilot-org/spot-traces preemption campaign aws-04-22-2023 (interruptible hazard analogue)',
    'Estimates: bid discount, reputation, failure rates, start times, API latency',
  ],
};
