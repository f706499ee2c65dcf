import type { z } from 'zod';
import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';

/** The zod issues as `{ field, reason }` pairs; `field` is a dotted path ("weights.price"). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'unknown field' }));
    }
    return [{ field: path.length > 0 ? path.join('.') : '(root)', reason: describeIssue(issue) }];
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

/** Parses with `schema`, or throws `InvalidArgumentError` naming each bad field and the reason. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, input: unknown, what = 'input'): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error);
  throw new InvalidArgumentError({
    message: `Invalid ${what}: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`,
    issues,
  });
}
