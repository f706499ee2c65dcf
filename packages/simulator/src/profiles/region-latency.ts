import type { Region } from '@aurora/router';
import type { PriceBand, RegionPresence } from './provider-profile';

/**
 * Typical public-internet round trip, in ms, from a client on the US east coast (where the
 * reference server is assumed to run) to each canonical region. Orders of magnitude from common
 * inter-region latency tables (US east-west ~65 ms, transatlantic ~80-95 ms, US east-Asia
 * ~160-230 ms); estimates, not measurements.
 */
export const regionRoundTripMs: Readonly<Record<Exclude<Region, 'global'>, number>> = {
  'us-east': 20,
  'us-central': 40,
  'us-west': 68,
  'ca-central': 25,
  'sa-east': 125,
  uk: 78,
  'eu-west': 85,
  'eu-central': 95,
  'eu-north': 105,
  'eu-south': 110,
  'me-central': 170,
  'af-south': 225,
  'asia-south': 210,
  'asia-east': 200,
  'asia-northeast': 160,
  'asia-southeast': 230,
  oceania: 215,
};

/**
 * A region the provider serves: its own spelling of it and the latency to it, the region's round
 * trip plus the provider's overhead (residential uplinks, gateways, proxies).
 */
export function regionPresence(region: Exclude<Region, 'global'>, providerRegion: string, overheadMs: number): RegionPresence {
  return { region, providerRegion, latencyMs: regionRoundTripMs[region] + overheadMs };
}

/** A band scaled by a low and a high factor, e.g. interruptible prices estimated from on-demand ones. */
export function scaleBand(band: PriceBand, lowFactor: number, highFactor: number): PriceBand {
  return { min: round(band.min * lowFactor), max: round(band.max * highFactor) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
