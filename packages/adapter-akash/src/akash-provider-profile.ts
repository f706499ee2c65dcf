import { canonicalizeRegion, type Region } from '@aurora/router';
import type { AkashProvider } from './akash-api';

/** What the adapter needs to know about one Akash provider to place work on it. */
export type AkashProviderProfile = {
  address: string;
  hostUri: string;
  isOnline: boolean;
  isAudited: boolean;
  /** Canonical region, or `undefined` when the provider's attributes do not say. */
  region: Region | undefined;
  /** 0-1; weighted from the 1, 7 and 30 day uptimes; `undefined` when none is known. */
  uptime: number | undefined;
  /** 0-100: 80 points for uptime, 20 for being audited. */
  reputation: number;
};

const uptimeWeights = [['uptime1d', 0.2], ['uptime7d', 0.5], ['uptime30d', 0.3]] as const;

/** Uptime with no data counts as a coin flip, so unknown providers rank below proven ones. */
const unknownUptime = 0.5;

export function toAkashProviderProfile(provider: AkashProvider): AkashProviderProfile {
  const uptime = weightedUptime(provider);
  const isAudited = provider.isAudited === true;
  const reputation = Math.round((80 * (uptime ?? unknownUptime) + (isAudited ? 20 : 0)) * 10) / 10;
  return {
    address: provider.owner,
    hostUri: provider.hostUri,
    isOnline: provider.isOnline !== false,
    isAudited,
    region: akashProviderRegion(provider),
    uptime,
    reputation: Math.min(100, Math.max(0, reputation)),
  };
}

/**
 * Uptimes are fractions in the Console API (0.998); values above 1 are read as percentages, since
 * the unit is not documented (unconfirmed).
 */
function weightedUptime(provider: AkashProvider): number | undefined {
  let sum = 0;
  let weights = 0;
  for (const [field, weight] of uptimeWeights) {
    const value = provider[field];
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    const fraction = value > 1 ? value / 100 : value;
    sum += Math.min(1, Math.max(0, fraction)) * weight;
    weights += weight;
  }
  return weights === 0 ? undefined : sum / weights;
}

/**
 * Region from, in order: the `location-region` attribute (what SDL placement filters on), the
 * console's `locationRegion`, the IP geolocation (US state aware), then the country.
 */
export function akashProviderRegion(provider: AkashProvider): Region | undefined {
  const attribute = provider.attributes?.find((entry) => entry.key === 'location-region')?.value;
  const candidates = [attribute, provider.locationRegion, usStateRegion(provider), provider.country, provider.ipCountryCode, provider.ipCountry];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const region = canonicalizeRegion(candidate);
    if (region && region !== 'global') return region;
  }
  return undefined;
}

function usStateRegion(provider: AkashProvider): string | undefined {
  const country = provider.ipCountryCode?.trim().toLowerCase();
  const state = provider.ipRegionCode?.trim().toLowerCase();
  return country === 'us' && state && /^[a-z]{2}$/.test(state) ? `us-${state}` : undefined;
}
