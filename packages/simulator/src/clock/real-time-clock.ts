import { InvalidArgumentError } from '@aurora/router';
import type { SimulationClock } from './simulation-clock';

export type RealTimeClockOptions = {
  /**
   * Simulated milliseconds per wall-clock millisecond; default 1. With 50, a simulated 60 s
   * provisioning takes 1.2 s of wall time, and `now()` runs 50 times faster than the wall clock
   * from the moment the clock is created.
   */
  timeScale?: number;
  /** Simulated time at creation; default the wall clock's time then. */
  startAt?: number;
  /** Wall-clock source; default `Date.now`. */
  wallClock?: () => number;
};

/** A clock that follows the wall clock, optionally faster (`timeScale`). Timers start only in `sleep`. */
export function createRealTimeClock(options: RealTimeClockOptions = {}): SimulationClock {
  const timeScale = options.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new InvalidArgumentError({ issues: [{ field: 'timeScale', reason: 'must be a finite number above 0' }] });
  }
  const wallClock = options.wallClock ?? Date.now;
  const wallOrigin = wallClock();
  const simulatedOrigin = options.startAt ?? wallOrigin;

  return {
    now: () => simulatedOrigin + (wallClock() - wallOrigin) * timeScale,
    sleep: (ms, signal) => sleepWall(ms / timeScale, signal),
  };
}

function sleepWall(wallMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(wallMs > 0)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, wallMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
