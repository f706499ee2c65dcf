import { AuroraError } from './aurora-error';

const name = 'InvalidArgumentError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

export type FieldIssue = { field: string; reason: string };

/** Invalid input from the caller: a request, weights, options. Names every bad field and why. */
export class InvalidArgumentError extends AuroraError {
  private readonly [symbol] = true;
  readonly issues: FieldIssue[];

  constructor({ message, issues, cause }: { message?: string; issues: FieldIssue[]; cause?: unknown }) {
    super({
      message: message ?? describeIssues(issues),
      code: 'AURORA_ERR_INVALID_ARGUMENT',
      cause,
      details: { issues },
    });
    this.name = name;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return AuroraError.hasMarker(error, marker);
  }
}

function describeIssues(issues: FieldIssue[]): string {
  if (issues.length === 0) return 'Invalid argument';
  return `Invalid argument: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`;
}
