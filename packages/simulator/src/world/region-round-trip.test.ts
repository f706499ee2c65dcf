import { describe, expect, it } from 'vitest';
import { placedRegions, regionRoundTripMs } from './region-round-trip';

describe('regionRoundTripMs', () => {
  it('is symmetric and smallest within a region', () => {
    for (const a of placedRegions) {
      for (const b of placedRegions) {
        expect(regionRoundTripMs(a, b)).toBeCloseTo(regionRoundTripMs(b, a), 9);
        expect(regionRoundTripMs(a, b)).toBeGreaterThanOrEqual(regionRoundTripMs(a, a));
      }
    }
  });

  it('is in line with public inter-region latency tables', () => {
    expect(regionRoundTripMs('us-east', 'us-west')).toBeGreaterThan(50);
    expect(regionRoundTripMs('us-east', 'us-west')).toBeLessThan(75);
    expect(regionRoundTripMs('us-east', 'eu-central')).toBeGreaterThan(80);
    expect(regionRoundTripMs('us-east', 'eu-central')).toBeLessThan(110);
    expect(regionRoundTripMs('us-east', 'asia-southeast')).toBeGreaterThan(190);
    expect(regionRoundTripMs('uk', 'eu-west')).toBeLessThan(25);
  });
});
