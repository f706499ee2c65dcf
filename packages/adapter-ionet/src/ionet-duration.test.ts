import { describe, expect, it } from 'vitest';
import { ionetDurationHours } from './ionet-duration';

describe('ionetDurationHours (prepaid whole hours = gpu_hours / gpu_count, rounded up, at least 1)', () => {
  it.each([
    [4, 2, 2],
    [3, 2, 2],
    [5, 1, 5],
    [0.5, 1, 1],
    [1, 8, 1],
    [17, 4, 5],
    [0.3, 3, 1],
    [2.1, 1, 3],
  ])('gpu_hours %s on %s GPUs -> %s h', (gpuHours, gpuCount, expected) => {
    expect(ionetDurationHours({ gpu_hours: gpuHours, gpu_count: gpuCount })).toBe(expected);
  });

  it('does not buy an extra hour for float noise', () => {
    // 0.1 * 3 * 10 is 3.0000000000000004 and 0.2 * 3 * 10 is 6.000000000000001: they mean 3 h.
    expect(0.1 * 3 * 10).toBeGreaterThan(3);
    expect(ionetDurationHours({ gpu_hours: 0.1 * 3 * 10, gpu_count: 1 })).toBe(3);
    expect(ionetDurationHours({ gpu_hours: 0.2 * 3 * 10, gpu_count: 2 })).toBe(3);
  });

  it('uses the default duration without gpu_hours', () => {
    expect(ionetDurationHours({ gpu_hours: undefined, gpu_count: 2 })).toBe(1);
    expect(ionetDurationHours({ gpu_hours: undefined, gpu_count: 2 }, 6)).toBe(6);
    expect(ionetDurationHours({ gpu_hours: undefined, gpu_count: 1 }, 0.25)).toBe(1);
  });
});
