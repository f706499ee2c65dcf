import { AuroraError } from './aurora-error';

const name = 'InvalidResponseDataError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** A provider answered with something we cannot parse: malformed JSON or an unexpected shape. */
export class InvalidResponseDataError extends AuroraError {
  private readonly [symbol] = true;
  readonly adapterId: string;
  readonly issues: string[];

  constructor({ message, adapterId, issues = [], cause }: { message: string; adapterId: string; issues?: string[]; cause?: unknown }) {
    super({
      message,
      code: 'AURORA_ERR_INVALID_RESPONSE',
      cause,
      // A provider answering garbage is usually transient (a proxy error page, a deploy in progress).
      isRetryable: true,
      details: { adapter: adapterId, issues },
    });
    this.name = name;
    this.adapterId = adapterId;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidResponseDataError {
    return AuroraError.hasMarker(error, marker);
  }
}
