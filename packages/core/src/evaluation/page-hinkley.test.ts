import { describe, expect, it } from 'vitest';
import { pageHinkley } from './page-hinkley';

// Known answer: a step from 0 to 1 after four values, delta 0. The running means after values 5-8
// are 1/5, 2/6, 3/7, 4/8, so U grows by 0.8, 2/3, 4/7 and 0.5 while its minimum stays 0.
const stepUp = [0, 0, 0, 0, 1, 1, 1, 1];
const afterStep = [0.8, 0.8 + 2 / 3, 0.8 + 2 / 3 + 4 / 7, 0.8 + 2 / 3 + 4 / 7 + 0.5];

describe('pageHinkley', () => {
  it('accumulates the deviations from the running mean after a rise', () => {
    const result = pageHinkley(stepUp, { delta: 0, threshold: 2 });
    expect(result.statistic).toBeCloseTo(afterStep[3]!, 12);
    expect(result.final).toBeCloseTo(afterStep[3]!, 12);
    // 0.8 + 2/3 = 1.47 <= 2 < 2.04: the alarm comes with the seventh value.
    expect(result.first_alarm_index).toBe(6);
  });

  it('detects a fall symmetrically', () => {
    const result = pageHinkley(stepUp.map((value) => 1 - value), { delta: 0, threshold: 2 });
    expect(result.statistic).toBeCloseTo(afterStep[3]!, 12);
    expect(result.first_alarm_index).toBe(6);
  });

  it('lets delta absorb small changes', () => {
    // With delta 0.25 each step after the change adds 0.25 less: 0.55, 0.42, 0.32, 0.25.
    const result = pageHinkley(stepUp, { delta: 0.25, threshold: 2 });
    expect(result.statistic).toBeCloseTo(afterStep[3]! - 4 * 0.25, 12);
    expect(result.first_alarm_index).toBeNull();
  });

  it('stays quiet on a stationary series and an empty one', () => {
    const alternating = Array.from({ length: 1_000 }, (_, index) => (index % 2 === 0 ? 0.5 : -0.5));
    const result = pageHinkley(alternating);
    expect(result.first_alarm_index).toBeNull();
    // Never much more than one swing from a trough to the next peak (1.0), however long it runs.
    expect(result.statistic).toBeLessThan(1.1);
    expect(pageHinkley([])).toEqual({ statistic: 0, final: 0, threshold: 50, first_alarm_index: null });
  });
});
