import { InvalidArgumentError } from '@aurora/router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRealTimeClock } from './real-time-clock';

describe('createRealTimeClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows the wall clock, scaled, from its start time', () => {
    let wall = 1_000;
    const clock = createRealTimeClock({ timeScale: 50, startAt: 0, wallClock: () => wall });
    expect(clock.now()).toBe(0);
    wall += 1_200;
    expect(clock.now()).toBe(60_000);
    expect(createRealTimeClock({ wallClock: () => wall }).now()).toBe(wall);
  });

  it('sleeps simulated time divided by the scale: 60 s at 50x takes 1.2 s of wall time', async () => {
    vi.useFakeTimers();
    const clock = createRealTimeClock({ timeScale: 50 });
    let done = false;
    const sleeping = clock.sleep(60_000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1_199);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('rejects a sleep with the signal reason when aborted', async () => {
    vi.useFakeTimers();
    const clock = createRealTimeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(sleeping).rejects.toThrow('cancelled');
    await expect(clock.sleep(10, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });

  it('refuses a time scale that is not a positive number', () => {
    for (const timeScale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown;
      try {
        createRealTimeClock({ timeScale });
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), `timeScale ${timeScale}`).toBe(true);
    }
  });
});
