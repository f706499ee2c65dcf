const marker = 'aurora.error';
const symbol = Symbol.for(marker);

export type AuroraErrorOptions = {
  message: string;
  code: string;
  cause?: unknown;
  isRetryable?: boolean;
  details?: Record<string, unknown>;
};

/**
 * Base of every error Aurora throws. Recognise errors with the static `isInstance` helpers, never
 * with `instanceof`: two installed copies of the package would make `instanceof` lie.
 */
export class AuroraError extends Error {
  private readonly [symbol] = true;
  readonly code: string;
  readonly isRetryable: boolean;
  readonly details: Record<string, unknown>;
  override readonly cause?: unknown;

  constructor({ message, code, cause, isRetryable = false, details = {} }: AuroraErrorOptions) {
    super(message);
    this.name = 'AuroraError';
    this.code = code;
    this.cause = cause;
    this.isRetryable = isRetryable;
    this.details = details;
  }

  static isInstance(error: unknown): error is AuroraError {
    return AuroraError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, markerName: string): boolean {
    return (
      error != null &&
      typeof error === 'object' &&
      Symbol.for(markerName) in error &&
      (error as Record<symbol, unknown>)[Symbol.for(markerName)] === true
    );
  }

  /** A JSON-safe view for logs and HTTP bodies: `{ code, message, details }`. */
  toJSON(): { code: string; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}
