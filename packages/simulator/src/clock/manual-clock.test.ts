import { InvalidArgumentError } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { createManualClock, defaultManualClockStart } from './manual-clock';

describe('createManualClock', () => {
  it('starts at a fixed time and moves only when advanced', async () => {
    const clock = createManualClock();
    expect(clock.now()).toBe(defaultManualClockStart);
    await clock.advance(1_500);
    expect(clock.now()).toBe(defaultManualClockStart + 1_500);
    expect(createManualClock({ startAt: 10 }).now()).toBe(10);
  });

  it('wakes sleepers in deadline order, each seeing its own deadline as now', async () => {
    const clock = createManualClock({ startAt: 0 });
    const woke: Array<[string, number]> = [];
    const sleeper = (name: string, ms: number) => clock.sleep(ms).then(() => woke.push([name, clock.now()]));
    void sleeper('late', 300);
    void sleeper('early', 100);
    void sleeper('middle', 200);
    expect(clock.pendingSleeps()).toBe(3);
    expect(clock.nextWakeAt()).toBe(100);

    await clock.advance(250);
    expect(woke).toEqual([['early', 100], ['middle', 200]]);
    expect(clock.now()).toBe(250);
    await clock.advanceTo(300);
    expect(woke.at(-1)).toEqual(['late', 300]);
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('runs chains of sleeps that fall inside one advance', async () => {
    const clock = createManualClock({ startAt: 0 });
    const ticks: number[] = [];
    void (async () => {
      for (let tick = 0; tick < 5; tick++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(35);
    expect(ticks).toEqual([10, 20, 30]);
    await clock.advance(100);
    expect(ticks).toEqual([10, 20, 30, 40, 50]);
  });

  it('resolves a non-positive sleep at once and rejects an aborted one with the signal reason', async () => {
    const clock = createManualClock({ startAt: 0 });
    await expect(clock.sleep(0)).resolves.toBeUndefined();

    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleeps()).toBe(0);
    await expect(clock.sleep(5, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('refuses to move back in time', async () => {
    const clock = createManualClock({ startAt: 1_000 });
    const outcome = await clock.advanceTo(500).then(() => undefined, (error: unknown) => error);
    expect(InvalidArgumentError.isInstance(outcome)).toBe(true);
    const negative = await clock.advance(-1).then(() => undefined, (error: unknown) => error);
    expect(InvalidArgumentError.isInstance(negative)).toBe(true);
    expect(clock.now()).toBe(1_000);
  });
});
