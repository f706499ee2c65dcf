import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after';

const now = Date.parse('2026-03-01T12:00:00.000Z');
const headers = (values: Record<string, string>) => new Headers(values);

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '7' }), now)).toBe(7_000);
    expect(parseRetryAfter(headers({ 'retry-after': '0' }), now)).toBe(0);
    expect(parseRetryAfter(headers({ 'retry-after': ' 2.5 ' }), now)).toBe(2_500);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Sun, 01 Mar 2026 11:59:00 GMT' }), now)).toBe(0);
  });

  it('prefers retry-after-ms, and falls back to retry-after when it is unreadable', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '7' }), now)).toBe(1_500);
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'soon', 'retry-after': '7' }), now)).toBe(7_000);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '-5', 'retry-after': '7' }), now)).toBe(7_000);
  });

  it.each(['', '   ', '-3', 'soon', '0x10', '1e3', 'Infinity', 'NaN', '5 apples'])('ignores %j', (value) => {
    expect(parseRetryAfter(headers({ 'retry-after': value }), now)).toBeUndefined();
  });

  it('is undefined without either header', () => {
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
  });
});
