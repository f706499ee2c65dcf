import type { AvailabilityTrace } from '../data/availability-trace';
import type { SeededRandom } from '../seeded-random';

/**
 * Where a listing's capacity episodes come from: a real probe trace replayed from a random point
 * (wrapping around), or the synthetic model calibrated on the same traces.
 */
export type EpisodeSource =
  | { kind: 'trace'; trace: AvailabilityTrace }
  | { kind: 'synthetic'; capacityShare: number };

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * Shares of probe ticks with spot capacity in the nine zones of the SkyPilot AWS V100
 * availability campaign (shared/data README, section c): the synthetic model draws a zone's share
 * from these (median 0.68).
 */
export const referenceCapacityShares = [0.17, 0.47, 0.45, 0.59, 0.76, 0.68, 0.88, 0.91, 0.89] as const;

/**
 * Run lengths of those traces (all 13 files, 2,099 runs of each kind): up runs have a median of
 * 0.54 h and a 90th percentile of 7.1 h, down runs 0.49 h and 4.4 h. Log-normal fits.
 */
export const referenceRunLengths = {
  up: { medianMs: 0.54 * hourMs, sigma: Math.log(7.09 / 0.54) / 1.2815515655446004 },
  down: { medianMs: 0.49 * hourMs, sigma: Math.log(4.39 / 0.49) / 1.2815515655446004 },
  minMs: 60_000,
  maxMs: 10 * dayMs,
} as const;

/**
 * Alternating up (capacity exists) and down (none) periods of one listing, generated lazily from
 * `startMs` on and then fixed: a pure function of the source and the random stream. `upStretch`
 * lengthens up periods (on-demand capacity is sold out less often than spot capacity is absent).
 */
export class AvailabilityEpisodes {
  /** Boundaries: period i is [boundaries[i], boundaries[i + 1]), up when (i % 2 === 0) === firstUp. */
  private boundaries: number[];
  private readonly firstUp: boolean;
  private readonly nextRun: () => number;

  constructor(source: EpisodeSource, random: SeededRandom, startMs: number, upStretch = 1) {
    if (source.kind === 'trace') {
      const runs = source.trace.runs;
      const total = runs.reduce((sum, run) => sum + run.ms, 0);
      let offset = random.next() * total;
      let index = 0;
      while (offset >= runs[index]!.ms) {
        offset -= runs[index]!.ms;
        index = (index + 1) % runs.length;
      }
      // All-up or all-down traces have one run: it repeats forever.
      this.firstUp = runs[index]!.up;
      let first = true;
      this.nextRun = () => {
        const run = runs[index]!;
        const length = first ? run.ms - offset : run.ms;
        first = false;
        index = (index + 1) % runs.length;
        return Math.max(1, run.up ? length * upStretch : length);
      };
    } else {
      const share = Math.min(0.99, Math.max(0.01, source.capacityShare));
      const { up, down, minMs, maxMs } = referenceRunLengths;
      const meanUp = up.medianMs * Math.exp((up.sigma * up.sigma) / 2);
      const meanDown = down.medianMs * Math.exp((down.sigma * down.sigma) / 2);
      // Scale up periods so that mean up / (mean up + mean down) is the share.
      const upScale = (share * meanDown) / ((1 - share) * meanUp);
      this.firstUp = random.chance(share);
      let nextUp = this.firstUp;
      this.nextRun = () => {
        const spec = nextUp ? up : down;
        const length = Math.min(maxMs, Math.max(minMs, random.lognormal(Math.log(spec.medianMs), spec.sigma)));
        const stretched = nextUp ? length * upScale * upStretch : length;
        nextUp = !nextUp;
        return stretched;
      };
    }
    this.boundaries = [startMs];
  }

  /** True when the listing has capacity at `time` (times before the start count as the first period). */
  isUp(time: number): boolean {
    return this.periodUp(this.periodIndex(time));
  }

  /** Start of the first down period after `time` (strictly later), or `time` itself if down now. */
  nextDownAt(time: number): number {
    let index = this.periodIndex(time);
    if (!this.periodUp(index)) return time;
    index += 1;
    this.extendTo(index + 1);
    return this.boundaries[index]!;
  }

  /** Share of [from, to) that is up. */
  upShare(from: number, to: number): number {
    let up = 0;
    let time = from;
    while (time < to) {
      const index = this.periodIndex(time);
      this.extendTo(index + 1);
      const end = Math.min(to, this.boundaries[index + 1]!);
      if (this.periodUp(index)) up += end - time;
      time = end;
    }
    return up / (to - from);
  }

  private periodUp(index: number): boolean {
    return (index % 2 === 0) === this.firstUp;
  }

  private periodIndex(time: number): number {
    while (this.boundaries[this.boundaries.length - 1]! <= time) this.extendTo(this.boundaries.length);
    // Largest i with boundaries[i] <= time (index 0 for times before the start).
    let low = 0;
    let high = this.boundaries.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.boundaries[middle]! <= time) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private extendTo(count: number): void {
    while (this.boundaries.length <= count) {
      const last = this.boundaries[this.boundaries.length - 1]!;
      this.boundaries.push(last + this.nextRun());
    }
  }
}
