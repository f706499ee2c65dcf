import { describe, expect, it } from 'vitest';
import { CheckQueue } from './check-queue';

describe('CheckQueue', () => {
  it('looks at the front items, drops the finished ones and sends the others to the back', () => {
    const queue = new CheckQueue<number>();
    for (const item of [1, 2, 3, 4, 5]) queue.push(item);
    const seen: number[] = [];
    queue.check(3, (item) => {
      seen.push(item);
      return item % 2 === 1;
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.size).toBe(3);
    const next: number[] = [];
    queue.check(10, (item) => {
      next.push(item);
      return true;
    });
    expect(next).toEqual([4, 5, 2]);
    expect(queue.size).toBe(0);
  });

  it('keeps its order across compactions', () => {
    const queue = new CheckQueue<number>();
    for (let item = 0; item < 5_000; item++) queue.push(item);
    const dropped: number[] = [];
    for (let round = 0; round < 1_000; round++) {
      queue.check(4, (item) => {
        dropped.push(item);
        return true;
      });
    }
    expect(dropped).toEqual(Array.from({ length: 4_000 }, (_, item) => item));
    expect(queue.size).toBe(1_000);
  });
});
