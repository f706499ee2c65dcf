import { describe, expect, it } from 'vitest';
import { canonicalizeRegion, canonicalRegions, regionMatches } from './region';

describe('canonicalizeRegion', () => {
  it.each([
    // Vast.ai "State, country, continent" and similar
    ['California, US, NA', 'us-west'],
    ['Oregon, US, NA', 'us-west'],
    ['Texas, US', 'us-central'],
    ['Chicago, US, NA', 'us-central'],
    ['New York, US', 'us-east'],
    ['Los Angeles, US', 'us-west'],
    ['Quebec, CA, NA', 'ca-central'],
    ['Frankfurt, DE', 'eu-central'],
    ['Tokyo, JP', 'asia-northeast'],
    // cloud zones
    ['us-west-2', 'us-west'],
    ['us-east-1', 'us-east'],
    ['us-central1', 'us-central'],
    ['eu-central-1', 'eu-central'],
    ['europe-west4', 'eu-west'],
    ['ap-southeast-1', 'asia-southeast'],
    ['ap-northeast-1', 'asia-northeast'],
    ['ap-south-1', 'asia-south'],
    ['ca-central-1', 'ca-central'],
    ['sa-east-1', 'sa-east'],
    ['me-central-1', 'me-central'],
    ['af-south-1', 'af-south'],
    ['australia-southeast1', 'oceania'],
    // ISO country codes (io.net, Salad, RunPod)
    ['DE', 'eu-central'],
    ['US', 'us-east'],
    ['gb', 'uk'],
    ['sg', 'asia-southeast'],
    // state codes and RunPod data centres
    ['us-ca', 'us-west'],
    ['us-tx', 'us-central'],
    ['US-KS-2', 'us-central'],
    ['US-GA-1', 'us-east'],
    ['US-OR-1', 'us-west'],
    ['EU-RO-1', 'eu-central'],
    ['EUR-IS-1', 'eu-north'],
    ['CA-MTL-1', 'ca-central'],
    // city-country-index ids
    ['dallas-us-1', 'us-central'],
    ['los-angeles-us-1', 'us-west'],
    ['salt-lake-city-us-2', 'us-west'],
    ['newark-us-1', 'us-east'],
    ['london-gb-1', 'uk'],
    ['melbourne-au-1', 'oceania'],
    // spelling variants
    ['US West', 'us-west'],
    ['us_west', 'us-west'],
    ['  EU-CENTRAL ', 'eu-central'],
    ['any', 'global'],
    ['global', 'global'],
  ])('%j -> %s', (input, region) => {
    expect(canonicalizeRegion(input)).toBe(region);
  });

  it('keeps every canonical region as itself', () => {
    for (const region of canonicalRegions) expect(canonicalizeRegion(region)).toBe(region);
  });

  it.each(['', 'mars', 'EU', 'europe'])('does not place %j', (input) => {
    expect(canonicalizeRegion(input)).toBeUndefined();
  });
});

describe('regionMatches', () => {
  it('matches the same region, and any region for global', () => {
    expect(regionMatches('us-west', 'us-west')).toBe(true);
    expect(regionMatches('us-west', 'us-east')).toBe(false);
    expect(regionMatches('global', 'asia-east')).toBe(true);
  });
});
