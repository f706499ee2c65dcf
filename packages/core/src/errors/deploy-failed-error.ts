import { AuroraError } from './aurora-error';

const name = 'DeployFailedError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

export type DeployFailureReason = 'max_attempts' | 'deadline' | 'not_retryable' | 'aborted' | 'no_candidates_left';

/** Every deploy attempt failed. `errors` holds each attempt's error, in order. */
export class DeployFailedError extends AuroraError {
  private readonly [symbol] = true;
  readonly reason: DeployFailureReason;
  readonly errors: unknown[];
  readonly lastError: unknown;

  constructor({ reason, errors, message }: { reason: DeployFailureReason; errors: unknown[]; message?: string }) {
    const lastError = errors.at(-1);
    super({
      message: message ?? `Deploy failed after ${errors.length} attempt(s) (${reason})`,
      code: 'AURORA_ERR_DEPLOY_FAILED',
      cause: lastError,
      isRetryable: AuroraError.isInstance(lastError) ? lastError.isRetryable : reason !== 'not_retryable',
      details: {
        reason,
        attempts: errors.length,
        errors: errors.map((error) => (AuroraError.isInstance(error) ? error.toJSON() : { message: String(error) })),
      },
    });
    this.name = name;
    this.reason = reason;
    this.errors = errors;
    this.lastError = lastError;
  }

  static override isInstance(error: unknown): error is DeployFailedError {
    return AuroraError.hasMarker(error, marker);
  }
}
