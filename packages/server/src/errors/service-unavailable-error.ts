import { AuroraError } from '@aurora/router';

const name = 'ServiceUnavailableError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** The server cannot serve the request now (shutting down, ledger unreachable). HTTP 503. */
export class ServiceUnavailableError extends AuroraError {
  private readonly [symbol] = true;
  readonly retryAfterSeconds: number;

  constructor({ message, retryAfterSeconds = 5, details = {} }: { message: string; retryAfterSeconds?: number; details?: Record<string, unknown> }) {
    super({ message, code: 'AURORA_ERR_UNAVAILABLE', isRetryable: true, details });
    this.name = name;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static override isInstance(error: unknown): error is ServiceUnavailableError {
    return AuroraError.hasMarker(error, marker);
  }
}
