import type { Region } from '@aurora/router';

export type PlacedRegion = Exclude<Region, 'global'>;

/** A representative data-centre location per canonical region (latitude, longitude in degrees). */
const regionLocations: Readonly<Record<PlacedRegion, readonly [number, number]>> = {
  'us-east': [39.0, -77.5], // northern Virginia
  'us-central': [38.0, -95.0], // Kansas / Texas / Iowa centroid
  'us-west': [37.4, -122.0], // San Jose
  'ca-central': [45.5, -73.6], // Montreal
  'sa-east': [-23.5, -46.6], // Sao Paulo
  uk: [51.5, -0.1], // London
  'eu-west': [49.5, 2.3], // Paris / Brussels / Amsterdam
  'eu-central': [50.1, 8.7], // Frankfurt
  'eu-north': [59.3, 18.1], // Stockholm
  'eu-south': [43.0, 5.0], // Milan / Madrid / Marseille
  'me-central': [25.2, 55.3], // Dubai
  'af-south': [-26.2, 28.0], // Johannesburg
  'asia-south': [19.1, 72.9], // Mumbai
  'asia-east': [22.3, 114.2], // Hong Kong / Taipei
  'asia-northeast': [35.7, 139.7], // Tokyo
  'asia-southeast': [1.35, 103.8], // Singapore
  oceania: [-33.9, 151.2], // Sydney
};

/** Light in fibre covers about 200 km per ms; real routes run ~1.4x the great circle. */
const kilometresPerMs = 200;
const routeInflation = 1.4;
/** Switching, last mile and the far end's stack. */
const fixedOverheadMs = 4;
/** Round trip inside one region (clients and data centres a few hundred km apart). */
const sameRegionMs = 8;
const earthRadiusKm = 6371;

/**
 * Round-trip time in ms between two regions, from great-circle distance: 2 x distance x 1.4
 * route inflation / (200 km/ms) + 4 ms. It gives US east-west ~58 ms, transatlantic ~90 ms and US
 * east to Singapore ~220 ms, in line with public inter-region latency tables; an estimate.
 */
export function regionRoundTripMs(from: PlacedRegion, to: PlacedRegion): number {
  if (from === to) return sameRegionMs;
  const [latitudeA, longitudeA] = regionLocations[from];
  const [latitudeB, longitudeB] = regionLocations[to];
  const distance = greatCircleKm(latitudeA, longitudeA, latitudeB, longitudeB);
  return Math.max(sameRegionMs, (2 * distance * routeInflation) / kilometresPerMs + fixedOverheadMs);
}

function greatCircleKm(latitudeA: number, longitudeA: number, latitudeB: number, longitudeB: number): number {
  const radians = Math.PI / 180;
  const deltaLatitude = (latitudeB - latitudeA) * radians;
  const deltaLongitude = (longitudeB - longitudeA) * radians;
  const a = Math.sin(deltaLatitude / 2) ** 2 + Math.cos(latitudeA * radians) * Math.cos(latitudeB * radians) * Math.sin(deltaLongitude / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(a)));
}

export const placedRegions = Object.keys(regionLocations) as PlacedRegion[];
