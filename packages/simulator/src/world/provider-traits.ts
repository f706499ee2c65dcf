import type { DurationDistribution } from '../duration-distribution';
import { providerProfiles } from '../profiles/index';
import { simulatedProviderIds, type ProviderProfile, type SimulatedProviderId } from '../profiles/provider-profile';
import { regionRoundTripMs } from '../profiles/region-latency';
import type { SeededRandom } from '../seeded-random';
import { drawBillingTerms, type WorkloadBilling } from './billing-terms';

/** What a provider says about itself: the figures its offers carry. */
export type AdvertisedTraits = {
  /** Mean and spread of its listings' reputation (0-100). */
  reputationMean: number;
  reputationSpread: number;
  /** The fill-failure rate its availability figures assume. */
  fillFailure: number;
  /** Network overhead it reports on top of the region round trip, ms. */
  overheadMs: number;
};

/** What the provider really does in one simulated world (one seed); hidden from every policy. */
export type TrueTraits = {
  /** Provider-level reliability on a log scale: failure rates scale with exp(-quality). */
  quality: number;
  /** Spread of its listings' (hosts') own quality around the provider's. */
  listingQualitySpread: number;
  /** Standard deviation per day of the random walk the provider's quality follows. */
  driftPerDay: number;
  fillFailure: number;
  startFailure: number;
  hostLossPerHour: number;
  /** Probability that the provider's API is down for a 5-minute window (no offers from it). */
  outageProbability: number;
  pending: DurationDistribution;
  provisioning: DurationDistribution;
  /** Share of placements that start several times slower than usual (image pulls, cold hosts). */
  slowStartProbability: number;
  slowStartFactor: { min: number; max: number };
  /** Network overhead it does not report, ms. */
  extraOverheadMs: number;
  /** How the bill follows from the quoted price: when the meter starts, rounding, minimums, fees. */
  billing: WorkloadBilling;
};

export type ProviderTraits = {
  id: string;
  /** The profile the priors came from, or `generic` (averages over the eight profiles). */
  prior: SimulatedProviderId | 'generic';
  /** Many independent hosts at moving prices (Vast, Akash, ...), as opposed to a cloud's list prices. */
  marketplace: boolean;
  interruptibleOnly: boolean;
  /** Hosts behind each catalog row of a marketplace. */
  hostsPerEntry: number;
  /** Relative standard deviation of a marketplace listing's price over time. */
  priceVolatility: number;
  advertised: AdvertisedTraits;
  truth: TrueTraits;
};

const profileAliases: Readonly<Record<string, SimulatedProviderId>> = {
  vast: 'vastai', vastai: 'vastai', runpod: 'runpod', akash: 'akash', ionet: 'ionet', io: 'ionet', render: 'render',
  rndr: 'render', flux: 'flux', fluxedge: 'flux', aethir: 'aethir', salad: 'salad', saladcloud: 'salad',
};

/** The profile a provider id maps to, if any (`vast` is Vast.ai's SkyPilot catalog name). */
export function profileFor(provider: string): ProviderProfile | undefined {
  const id = profileAliases[provider.toLowerCase()];
  return id ? providerProfiles[id] : undefined;
}

/**
 * Draws one provider's traits for one world. Priors come from the provider's profile when the
 * simulator has one, else from the geometric means of the eight profiles (a generic GPU cloud).
 * Every world then moves each true figure by its own log-normal factor, so the same provider is
 * better in some worlds than in others, and what it advertises does not follow.
 */
export function drawProviderTraits(provider: string, random: SeededRandom): ProviderTraits {
  const profile = profileFor(provider);
  const prior = profile ? priorFromProfile(profile) : genericPrior();
  const draw = random.fork(`provider/${provider}`);
  const factor = (sigma: number) => Math.exp(draw.normal(0, sigma));
  const startFactor = factor(0.3);
  const scaleDuration = (distribution: DurationDistribution): DurationDistribution => ({
    ...distribution,
    medianMs: distribution.medianMs * startFactor,
    p90Ms: distribution.p90Ms * startFactor,
  });
  const marketplace = prior.marketplace;
  return {
    id: provider,
    prior: profile ? profile.id : 'generic',
    marketplace,
    interruptibleOnly: prior.interruptibleOnly,
    hostsPerEntry: prior.hostsPerEntry,
    priceVolatility: prior.priceVolatility,
    advertised: {
      reputationMean: profile ? prior.reputationMean : clamp(draw.normal(prior.reputationMean, 6), 50, 98),
      reputationSpread: prior.reputationSpread,
      fillFailure: prior.fillFailure,
      overheadMs: prior.overheadMs,
    },
    truth: {
      quality: draw.normal(0, 0.5),
      listingQualitySpread: marketplace ? 0.6 : 0.25,
      driftPerDay: 0.1,
      fillFailure: Math.min(0.6, prior.fillFailure * factor(0.4)),
      startFailure: Math.min(0.6, prior.startFailure * factor(0.4)),
      hostLossPerHour: prior.hostLossPerHour * factor(0.4),
      outageProbability: Math.min(0.2, prior.outageProbability * factor(0.4)),
      pending: scaleDuration(prior.pending),
      provisioning: scaleDuration(prior.provisioning),
      slowStartProbability: draw.between(0.02, 0.15),
      slowStartFactor: { min: 2.5, max: 6 },
      extraOverheadMs: marketplace ? draw.between(5, 40) : draw.between(0, 10),
      billing: drawBillingTerms(profile ? profile.id : 'generic', draw),
    },
  };
}

type Prior = {
  marketplace: boolean;
  interruptibleOnly: boolean;
  hostsPerEntry: number;
  priceVolatility: number;
  reputationMean: number;
  reputationSpread: number;
  fillFailure: number;
  startFailure: number;
  hostLossPerHour: number;
  outageProbability: number;
  overheadMs: number;
  pending: DurationDistribution;
  provisioning: DurationDistribution;
};

function priorFromProfile(profile: ProviderProfile): Prior {
  const presence = profile.regions[0];
  const overheadMs = presence ? Math.max(0, presence.latencyMs - regionRoundTripMs[presence.region as keyof typeof regionRoundTripMs]) : 5;
  return {
    marketplace: profile.priceVolatility > 0,
    interruptibleOnly: profile.interruptibleOnly,
    hostsPerEntry: profile.priceVolatility > 0 ? Math.max(2, profile.listingsPerRegion) : 1,
    priceVolatility: profile.priceVolatility,
    reputationMean: profile.reputation.mean,
    reputationSpread: Math.max(2, profile.reputation.spread),
    fillFailure: profile.rates.fillFailure,
    startFailure: profile.rates.startFailure,
    // Interruptible-only providers lose nodes through their availability episodes instead.
    hostLossPerHour: profile.rates.runtimeFailurePerHour,
    outageProbability: profile.rates.healthFailure,
    overheadMs,
    pending: profile.startup.pending,
    provisioning: profile.startup.provisioning,
  };
}

let cachedGeneric: Prior | undefined;

/** A GPU cloud with list prices, its figures the geometric means (arithmetic for reputation) of the profiles. */
function genericPrior(): Prior {
  if (cachedGeneric) return cachedGeneric;
  const priors = simulatedProviderIds.map((id) => priorFromProfile(providerProfiles[id]));
  // Over the profiles that have the figure at all (Salad's hosts never fail outright, for one).
  const geometric = (pick: (prior: Prior) => number) => {
    const values = priors.map(pick).filter((value) => value > 0);
    return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
  };
  const arithmetic = (pick: (prior: Prior) => number) => priors.reduce((sum, prior) => sum + pick(prior), 0) / priors.length;
  const duration = (pick: (prior: Prior) => DurationDistribution): DurationDistribution => ({
    medianMs: geometric((prior) => pick(prior).medianMs),
    p90Ms: geometric((prior) => pick(prior).p90Ms),
    minMs: 1_000,
  });
  cachedGeneric = {
    marketplace: false,
    interruptibleOnly: false,
    hostsPerEntry: 1,
    priceVolatility: 0,
    reputationMean: arithmetic((prior) => prior.reputationMean),
    reputationSpread: arithmetic((prior) => prior.reputationSpread),
    fillFailure: geometric((prior) => prior.fillFailure),
    startFailure: geometric((prior) => prior.startFailure),
    hostLossPerHour: geometric((prior) => prior.hostLossPerHour),
    outageProbability: geometric((prior) => prior.outageProbability),
    overheadMs: 5,
    pending: duration((prior) => prior.pending),
    provisioning: duration((prior) => prior.provisioning),
  };
  return cachedGeneric;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
