import { AuroraError } from '@aurora/router';

const name = 'RateLimitError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/** Too many requests for this API key (or address) in the window. HTTP 429 with Retry-After. */
export class RateLimitError extends AuroraError {
  private readonly [symbol] = true;
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;

  constructor({ limit, retryAfterSeconds }: { limit: number; retryAfterSeconds: number }) {
    super({
      message: `Rate limit of ${limit} requests exceeded; retry in ${retryAfterSeconds} s`,
      code: 'AURORA_ERR_RATE_LIMITED',
      isRetryable: true,
      details: { limit, retry_after_seconds: retryAfterSeconds },
    });
    this.name = name;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static override isInstance(error: unknown): error is RateLimitError {
    return AuroraError.hasMarker(error, marker);
  }
}
