import { describe, expect, it } from 'vitest';
import { parseAvailabilityTrace } from '../data/availability-trace';
import { createSeededRandom } from '../seeded-random';
import { AvailabilityEpisodes, referenceCapacityShares } from './availability-episodes';

const hourMs = 3_600_000;
const yearMs = 365 * 24 * hourMs;

describe('AvailabilityEpisodes', () => {
  it('synthetic episodes reproduce the reference capacity shares of the SkyPilot traces over the long run', () => {
    const realised = referenceCapacityShares.map((share, index) => {
      const episodes = new AvailabilityEpisodes({ kind: 'synthetic', capacityShare: share }, createSeededRandom(`share-${index}`), 0);
      return episodes.upShare(0, 3 * yearMs);
    });
    realised.forEach((value, index) => expect(Math.abs(value - referenceCapacityShares[index]!)).toBeLessThan(0.08));
    const sorted = [...realised].sort((a, b) => a - b);
    expect(Math.abs(sorted[4]! - 0.68)).toBeLessThan(0.06);
  });

  it('synthetic down periods have the traces\' median length (about half an hour)', () => {
    const episodes = new AvailabilityEpisodes({ kind: 'synthetic', capacityShare: 0.5 }, createSeededRandom('runs'), 0);
    const downs: number[] = [];
    let time = 0;
    while (downs.length < 2_000) {
      const downAt = episodes.nextDownAt(time);
      let upAt = downAt;
      while (!episodes.isUp(upAt)) upAt += 60_000;
      downs.push(upAt - downAt);
      time = upAt;
    }
    downs.sort((a, b) => a - b);
    expect(downs[1_000]! / hourMs).toBeGreaterThan(0.4);
    expect(downs[1_000]! / hourMs).toBeLessThan(0.62);
  });

  it('replays a real trace from a random point, wrapping around, with up periods stretched when asked', () => {
    const trace = parseAvailabilityTrace(JSON.stringify({ metadata: { gap_seconds: 60 }, data: [1, 1, 1, 0, 0, 1, 0] }), 'z.json');
    const total = 7 * 60_000;
    const episodes = new AvailabilityEpisodes({ kind: 'trace', trace }, createSeededRandom('replay'), 0);
    expect(episodes.upShare(0, 100 * total)).toBeCloseTo(4 / 7, 2);
    const stretched = new AvailabilityEpisodes({ kind: 'trace', trace }, createSeededRandom('replay'), 0, 4);
    expect(stretched.upShare(0, 100 * total)).toBeCloseTo(16 / 19, 2);
    // Two listings replaying the same zone start at different points.
    const starts = ['a', 'b', 'c', 'd', 'e'].map((label) => new AvailabilityEpisodes({ kind: 'trace', trace }, createSeededRandom(label), 0).nextDownAt(0));
    expect(new Set(starts).size).toBeGreaterThan(1);
  });

  it('answers the same whatever order it is asked in', () => {
    const make = () => new AvailabilityEpisodes({ kind: 'synthetic', capacityShare: 0.6 }, createSeededRandom('order'), 0);
    const forward = make();
    const backward = make();
    const times = Array.from({ length: 200 }, (_, index) => index * 3 * hourMs);
    const a = times.map((time) => forward.isUp(time));
    const b = [...times].reverse().map((time) => backward.isUp(time)).reverse();
    expect(a).toEqual(b);
  });
});
