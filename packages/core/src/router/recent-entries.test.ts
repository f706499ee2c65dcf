import { describe, expect, it } from 'vitest';
import { RecentEntries } from './recent-entries';

describe('RecentEntries', () => {
  it('keeps the newest keys and forgets the oldest first', () => {
    const entries = new RecentEntries<string, number>(3);
    for (const [index, key] of ['a', 'b', 'c', 'd', 'e'].entries()) entries.set(key, index);
    expect(entries.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => entries.get(key))).toEqual([undefined, undefined, 2, 3, 4]);
  });

  it('replaces the value of a key set again without moving it', () => {
    const entries = new RecentEntries<string, number>(2);
    entries.set('a', 1);
    entries.set('b', 2);
    entries.set('a', 10);
    entries.set('c', 3);
    expect([entries.get('a'), entries.get('b'), entries.get('c')]).toEqual([undefined, 2, 3]);
  });
});
