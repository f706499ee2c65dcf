import { describe, expect, it } from 'vitest';
import { locateJsonError } from './locate-json-error';

describe('locateJsonError', () => {
  it('finds nothing wrong with valid JSON', () => {
    expect(locateJsonError('{"a": [1, -2.5e3, "x\\"y", true, false, null, {}], "b": {"c": []}}')).toBeUndefined();
  });

  it('gives the line of the first syntax error', () => {
    expect(locateJsonError('{\n "a": 1,\n "b": [1,, 2]\n}')).toBe(3);
    expect(locateJsonError('{\n "a": 1\n "b": 2\n}')).toBe(3);
    expect(locateJsonError('[1, 2]\nextra')).toBe(2);
    expect(locateJsonError('{\n "a": "unterminated\n}')).toBe(2);
  });
});
