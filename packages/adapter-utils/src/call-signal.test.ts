import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCallSignal } from './call-signal';

describe('createCallSignal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts when the timeout fires and says it timed out', () => {
    const callSignal = createCallSignal(undefined, 100);
    vi.advanceTimersByTime(99);
    expect(callSignal.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(callSignal.signal.aborted).toBe(true);
    expect(callSignal.timedOut()).toBe(true);
    expect(String(callSignal.signal.reason)).toContain('timed out after 100 ms');
  });

  it('follows the caller abort without calling it a timeout', () => {
    const controller = new AbortController();
    const callSignal = createCallSignal(controller.signal, 100);
    controller.abort(new Error('user cancelled'));
    expect(callSignal.signal.aborted).toBe(true);
    expect(callSignal.timedOut()).toBe(false);
    expect((callSignal.signal.reason as Error).message).toBe('user cancelled');
    vi.advanceTimersByTime(200);
    expect(callSignal.timedOut()).toBe(false);
  });

  it('is aborted from the start when the caller signal already is', () => {
    const callSignal = createCallSignal(AbortSignal.abort(), 100);
    expect(callSignal.signal.aborted).toBe(true);
    expect(callSignal.timedOut()).toBe(false);
  });

  it('never fires after dispose', () => {
    const callSignal = createCallSignal(undefined, 100);
    callSignal.dispose();
    vi.advanceTimersByTime(1_000);
    expect(callSignal.signal.aborted).toBe(false);
    expect(callSignal.timedOut()).toBe(false);
  });

  it('has no timer without a finite timeout', () => {
    for (const timeout of [undefined, Number.POSITIVE_INFINITY]) {
      const callSignal = createCallSignal(undefined, timeout);
      expect(vi.getTimerCount()).toBe(0);
      vi.advanceTimersByTime(10_000_000);
      expect(callSignal.signal.aborted).toBe(false);
    }
  });
});
