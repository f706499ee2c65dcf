import { describe, expect, it } from 'vitest';
import { mergeAsyncIterables } from './merge-async-iterables';

async function* values<T>(items: T[], closed?: string[], name?: string) {
  try {
    for (const item of items) {
      await Promise.resolve();
      yield item;
    }
  } finally {
    if (closed && name) closed.push(name);
  }
}

describe('mergeAsyncIterables', () => {
  it('yields every value of every source', async () => {
    const merged: number[] = [];
    for await (const value of mergeAsyncIterables([values([1, 2, 3]), values([10, 20]), values<number>([])])) merged.push(value);
    expect(merged.sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 20]);
  });

  it('runs onExit and closes the unfinished sources when the consumer leaves', async () => {
    const closed: string[] = [];
    let exited = 0;
    for await (const value of mergeAsyncIterables([values([1, 2, 3], closed, 'a'), values([4, 5, 6], closed, 'b')], { onExit: () => (exited += 1) })) {
      if (value) break;
    }
    expect(exited).toBe(1);
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('ends with the first error', async () => {
    async function* failing() {
      yield 1;
      throw new Error('broken source');
    }
    const merged = (async () => {
      for await (const _value of mergeAsyncIterables([failing(), values([2, 3])])) void _value;
    })();
    await expect(merged).rejects.toThrow('broken source');
  });
});
