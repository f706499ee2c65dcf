import { describe, expect, it } from 'vitest';
import { parseDurationHours } from './parse-duration';

describe('parseDurationHours', () => {
  it.each([
    ['2h', 2], ['90m', 1.5], ['1.5h', 1.5], ['3600s', 1], ['1d', 24], ['3', 3], [' 30 min ', 0.5],
  ])('reads %s as %d hours', (input, hours) => {
    expect(parseDurationHours(input)).toBeCloseTo(hours, 9);
  });

  it.each(['', 'two hours', '-1h', '0h', '2w', 'h'])('rejects %j', (input) => {
    expect(parseDurationHours(input)).toBeUndefined();
  });
});
