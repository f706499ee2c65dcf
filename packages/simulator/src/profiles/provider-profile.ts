import type { DeploymentStatus, GpuType, Region } from '@aurora/router';
import type { DurationDistribution } from '../duration-distribution';

export const simulatedProviderIds = ['akash', 'ionet', 'render', 'flux', 'aethir', 'vastai', 'salad', 'runpod'] as const;
export type SimulatedProviderId = (typeof simulatedProviderIds)[number];

/** USD per GPU-hour, lowest and highest seen (or estimated) for one offering. */
export type PriceBand = { min: number; max: number };

/** One GPU model a provider rents out, in one memory size. */
export type GpuOffering = {
  /** Canonical id from the core alias table. */
  gpuType: GpuType;
  /** How the provider's own API spells the model; normalises to `gpuType`. */
  providerGpuName: string;
  gpuMemoryGb: number;
  /** Machine shapes: GPUs per placement. A request gets the smallest shape that holds it. */
  gpuCounts: readonly number[];
  /** On-demand (or only) price per GPU-hour. */
  price: PriceBand;
  /** Interruptible (spot, bid, low priority) price per GPU-hour, where the provider sells it. */
  interruptiblePrice?: PriceBand;
  /** Typical GPUs of this model online per region across the provider (the pool quotes draw on). */
  gpusPerRegion: number;
  /** Regions with this model; default every region of the provider. */
  regions?: readonly Region[];
  /** Where the figures come from. */
  source: string;
};

/** A region the provider serves, as it names it, and the network latency to it. */
export type RegionPresence = {
  region: Region;
  /** The provider's own spelling ("California, US, NA", "EU-RO-1", "us-west-2"); canonicalises to `region`. */
  providerRegion: string;
  /** Round-trip estimate reported as the offer's `estimated_latency_ms` before per-listing spread. */
  latencyMs: number;
};

export type FailureRates = {
  /** Probability that a deploy on an offer that looked available fails with `no_capacity`. */
  fillFailure: number;
  /** Probability that a placed deployment fails before it runs (image pull, driver, lease error). */
  startFailure: number;
  /** Share of time the provider's API is down: health checks fail and calls answer 503. */
  healthFailure: number;
  /** Hazard (per running hour) that a non-interruptible deployment dies with its host. */
  runtimeFailurePerHour: number;
  /** Hazard (per running hour) that interruptible capacity is reclaimed. */
  preemptionPerHour: number;
};

export type StartupProfile = {
  /** Accepted but not yet placed: waiting for bids, a node, a payment confirmation. */
  pending: DurationDistribution;
  /** Placed and starting: image pull, container start. */
  provisioning: DurationDistribution;
};

/** The provider's own state names for each common status, kept as `provider_status`. */
export type ProviderStatusNames = Record<Exclude<DeploymentStatus, 'terminating'>, string>;

export type DeploymentIdFormat = 'dseq' | 'integer' | 'uuid' | 'pod' | 'name' | 'container';

/** Everything the simulator knows about one provider: facts as data, each with its source. */
export type ProviderProfile = {
  id: SimulatedProviderId;
  displayName: string;
  /** One line on what is simulated and which real product it stands for. */
  description: string;
  regions: readonly RegionPresence[];
  gpus: readonly GpuOffering[];
  /** Reputation (0-100) of a listing: mean and standard deviation across hosts. */
  reputation: { mean: number; spread: number };
  /** Separate listings (hosts, bids, data centres) quoted per GPU model and region. */
  listingsPerRegion: number;
  /** Every offer is interruptible (capacity can vanish at any time), e.g. consumer nodes. */
  interruptibleOnly: boolean;
  /** The provider's API lists sold-out capacity (capacity 0) instead of leaving it out. */
  reportsSoldOut: boolean;
  /** The binding price is set by an auction after the quote, so it drifts from the offer. */
  auctionPricing: boolean;
  /** Relative standard deviation of the per-GPU price between quotes (0 for list prices). */
  priceVolatility: number;
  rates: FailureRates;
  startup: StartupProfile;
  /** Latency of the provider's API itself (quote, deploy, status calls). */
  apiLatency: DurationDistribution;
  /** Share of API calls that are 5-20 times slower than usual. */
  slowCallRate: number;
  statuses: ProviderStatusNames;
  /** What the provider's own log says while a deployment waits and once it is placed. */
  logPhrases: { pending: string; placed: string };
  deploymentIdFormat: DeploymentIdFormat;
  /** References behind the figures, and which figures are estimates. */
  sources: readonly string[];
};
