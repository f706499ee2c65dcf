import { describe, expect, it } from 'vitest';
import { generateRandomId, prefixedId } from './generate-id';

describe('generateRandomId', () => {
  it('is <prefix>-<9 base-36 time characters><12 random base-36 characters>', () => {
    const id = generateRandomId('dep', Date.UTC(2026, 0, 1));
    expect(id).toMatch(/^dep-[0-9a-z]{9}[0-9a-z]{12}$/);
    expect(id.slice(4, 13)).toBe(Date.UTC(2026, 0, 1).toString(36).padStart(9, '0'));
  });

  it('never repeats, also across refills of its block of random bytes', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => generateRandomId('dec', 0)));
    expect(ids.size).toBe(5_000);
  });

  it('sorts by creation time', () => {
    const earlier = generateRandomId('dep', 1_000);
    const later = generateRandomId('dep', 2_000);
    expect(earlier < later).toBe(true);
  });
});

describe('prefixedId', () => {
  it('adds the prefix a custom generator left out', () => {
    expect(prefixedId(() => 'abc', 'dep')).toBe('dep-abc');
    expect(prefixedId((prefix) => `${prefix}-abc`, 'dep')).toBe('dep-abc');
  });
});
