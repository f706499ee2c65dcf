import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIntervalLoop } from './interval-loop';

describe('createIntervalLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs on start when asked, then once per interval, never overlapping', async () => {
    let running = 0;
    let maximum = 0;
    let runs = 0;
    const loop = createIntervalLoop({
      name: 'test',
      intervalMs: 1_000,
      runOnStart: true,
      onError: () => {},
      run: async () => {
        running += 1;
        maximum = Math.max(maximum, running);
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        running -= 1;
      },
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(maximum).toBe(1);
    const stopping = loop.stop();
    await vi.advanceTimersByTimeAsync(2_500);
    await stopping;
  });

  it('keeps going after a failed pass and reports the error', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const loop = createIntervalLoop({
      name: 'flaky',
      intervalMs: 100,
      onError: (error, name) => errors.push([name, (error as Error).message]),
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('boom');
      },
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(250);
    expect(runs).toBe(2);
    expect(errors).toEqual([['flaky', 'boom']]);
    await loop.stop();
  });

  it('stop() aborts the pass in flight, waits for it, and schedules nothing more', async () => {
    let signalSeen: AbortSignal | undefined;
    let runs = 0;
    const loop = createIntervalLoop({
      name: 'long',
      intervalMs: 100,
      runOnStart: true,
      onError: () => {},
      run: (signal) => {
        runs += 1;
        signalSeen = signal;
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.active).toBe(true);
    await loop.stop();
    expect(signalSeen?.aborted).toBe(true);
    expect(loop.active).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses unref\'d timers, so a waiting loop never keeps the process alive', () => {
    const unref = vi.fn();
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((() => ({ unref })) as unknown) as typeof setTimeout);
    const loop = createIntervalLoop({ name: 'idle', intervalMs: 60_000, onError: () => {}, run: async () => {} });
    loop.start();
    expect(unref).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
