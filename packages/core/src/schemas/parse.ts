import type { z } from 'zod';
import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';

/**
 * The zod issues as `{ field, reason }` pairs; `field` is a dotted path ("weights.price"). Pass
 * the parsed `input` so that a missing field reads "is required" whatever its type; without it, a
 * missing field is recognised by zod's "received undefined".
 */
export function toFieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'unknown field' }));
    }
    return [{ field: path.length > 0 ? path.join('.') : '(root)', reason: describeIssue(issue, input) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (isMissing(issue, input)) return 'is required';
  return issue.message;
}

function isMissing(issue: z.core.$ZodIssue, input: unknown): boolean {
  if (issue.path.length === 0) return false;
  if (input !== undefined) {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_value' && issue.code !== 'invalid_union') return false;
    let value: unknown = input;
    for (const key of issue.path) {
      if (value === null || typeof value !== 'object') return false;
      value = (value as Record<PropertyKey, unknown>)[key as PropertyKey];
    }
    return value === undefined;
  }
  return issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
}

/** Parses with `schema`, or throws `InvalidArgumentError` naming each bad field and the reason. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, what = 'input'): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error, input);
  throw new InvalidArgumentError({
    message: `Invalid ${what}: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`,
    issues,
  });
}
