import { InvalidArgumentError } from '@aurora/router';
import type { SimulationClock } from './simulation-clock';

/** A clock that moves only when told to: for tests and discrete-event simulation. */
export interface ManualClock extends SimulationClock {
  /**
   * Moves time forward by `ms`, waking every sleeper whose deadline falls inside, in deadline
   * order, with `now()` set to that deadline while it runs. Code a sleeper runs after waking (and
   * its further sleeps inside the window) completes before the returned promise settles.
   */
  advance(ms: number): Promise<void>;
  /** Same as `advance`, to an absolute time. */
  advanceTo(time: number): Promise<void>;
  /** Deadline of the earliest sleeper, or `undefined` when nothing sleeps. */
  nextWakeAt(): number | undefined;
  /** How many sleepers wait. */
  pendingSleeps(): number;
}

export type ManualClockOptions = {
  /** Initial time in ms since the epoch; default 2026-01-01T00:00:00Z, fixed so runs repeat. */
  startAt?: number;
};

type Sleeper = { deadline: number; order: number; resolve: () => void };

export const defaultManualClockStart = Date.UTC(2026, 0, 1);

/** A manual clock starting at `startAt`. */
export function createManualClock(options: ManualClockOptions = {}): ManualClock {
  let current = options.startAt ?? defaultManualClockStart;
  let order = 0;
  const sleepers: Sleeper[] = [];

  const earliestDue = (limit: number): Sleeper | undefined => {
    let best: Sleeper | undefined;
    for (const sleeper of sleepers) {
      if (sleeper.deadline > limit) continue;
      if (!best || sleeper.deadline < best.deadline || (sleeper.deadline === best.deadline && sleeper.order < best.order)) {
        best = sleeper;
      }
    }
    return best;
  };

  const remove = (sleeper: Sleeper) => {
    const index = sleepers.indexOf(sleeper);
    if (index >= 0) sleepers.splice(index, 1);
  };

  const advanceTo = async (target: number): Promise<void> => {
    if (!Number.isFinite(target) || target < current) {
      throw new InvalidArgumentError({ issues: [{ field: 'time', reason: `cannot move the clock back from ${current} to ${target}` }] });
    }
    for (;;) {
      await settle();
      const due = earliestDue(target);
      if (!due) break;
      remove(due);
      current = Math.max(current, due.deadline);
      due.resolve();
    }
    current = target;
    await settle();
  };

  return {
    now: () => current,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          remove(sleeper);
          reject(signal!.reason);
        };
        const sleeper: Sleeper = {
          deadline: current + ms,
          order: order++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        return Promise.reject(new InvalidArgumentError({ issues: [{ field: 'ms', reason: 'must be a finite number >= 0' }] }));
      }
      return advanceTo(current + ms);
    },
    advanceTo,
    nextWakeAt: () => earliestDue(Number.POSITIVE_INFINITY)?.deadline,
    pendingSleeps: () => sleepers.length,
  };
}

/** One macrotask turn: every queued promise continuation runs before it ends. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
