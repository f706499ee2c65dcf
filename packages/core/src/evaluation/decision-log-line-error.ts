import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { AuroraError } from '../errors/aurora-error';

const name = 'DecisionLogLineError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A line of a JSON-lines decision log that is not valid JSON or not a valid record. An
 * `InvalidArgumentError` (same code) that also names the 1-based line number.
 */
export class DecisionLogLineError extends InvalidArgumentError {
  private readonly [symbol] = true;
  readonly line: number;

  constructor({ line, reason, issues, cause }: { line: number; reason: string; issues?: FieldIssue[]; cause?: unknown }) {
    const lineIssues = issues ?? [{ field: `line ${line}`, reason }];
    super({ message: `Invalid decision log line ${line}: ${reason}`, issues: lineIssues, cause });
    this.name = name;
    this.line = line;
    Object.assign(this.details, { line });
  }

  static override isInstance(error: unknown): error is DecisionLogLineError {
    return AuroraError.hasMarker(error, marker);
  }
}
