import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOrThrow, toFieldIssues } from './parse';

const schema = z.object({ count: z.number(), kind: z.enum(['a', 'b']) }).strict();

describe('toFieldIssues', () => {
  it('says "is required" only for fields that are missing, whatever their type', () => {
    const input = { count: 'two' };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const issues = toFieldIssues(result.error!, input);
    expect(issues).toEqual([
      { field: 'count', reason: 'Invalid input: expected number, received string' },
      { field: 'kind', reason: 'is required' },
    ]);
  });

  it('without the input, recognises a missing field by zod\'s message', () => {
    const result = schema.safeParse({ kind: 'a' });
    expect(toFieldIssues(result.error!)).toEqual([{ field: 'count', reason: 'is required' }]);
    const wrongType = schema.safeParse({ count: 'two', kind: 'a' });
    expect(toFieldIssues(wrongType.error!)[0]!.reason).toMatch(/expected number, received string/);
  });

  it('names unknown fields', () => {
    expect(() => parseOrThrow(schema, { count: 1, kind: 'a', colour: 'red' })).toThrow(/colour: unknown field/);
  });
});
