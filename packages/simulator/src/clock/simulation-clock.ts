/**
 * Time as the simulator sees it. Everything time-dependent in the simulator reads `now()` and
 * waits through `sleep()`, so a test can drive it with a manual clock and a demo can run it faster
 * than real time.
 */
export interface SimulationClock {
  /** Milliseconds since the Unix epoch, in simulated time. */
  now(): number;
  /**
   * Resolves once `ms` of simulated time have passed (at once for `ms <= 0`). Rejects with the
   * signal's reason when `signal` aborts first.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
