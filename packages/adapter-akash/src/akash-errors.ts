import { AdapterCallError, AuroraError, type AdapterErrorScope } from '@aurora/router';

/**
 * Low-cardinality reasons of Akash deploy failures, on `AdapterCallError.reason`:
 * - `no_bids`: no open bid before the bid timeout;
 * - `no_acceptable_bid`: bids came, none from a provider meeting region, reputation, uptime and price;
 * - `bid_vanished`: the chosen bid was gone (closed or withdrawn) when the lease was created;
 * - `lease_not_ready`: the lease's services did not turn ready before the lease timeout;
 * - `lease_failed`: the lease closed or ran out of funds while we waited;
 * - `manifest_missing`: the create answer carried no manifest, so no lease can be made.
 */
export type AkashFailureReason = 'no_bids' | 'no_acceptable_bid' | 'bid_vanished' | 'lease_not_ready' | 'lease_failed' | 'manifest_missing';

export type AkashFailureOptions = {
  adapterId: string;
  operation: string;
  reason: AkashFailureReason;
  message: string;
  url?: string;
  /** Default `offer`: another attempt may land on another Akash provider. */
  scope?: AdapterErrorScope;
  isRetryable?: boolean;
  cause?: unknown;
};

/** A retryable `AdapterCallError` the router fails over on. */
export function akashFailure(options: AkashFailureOptions): AdapterCallError {
  return new AdapterCallError({
    message: options.message,
    adapterId: options.adapterId,
    operation: options.operation,
    url: options.url,
    isRetryable: options.isRetryable ?? true,
    scope: options.scope ?? 'offer',
    reason: options.reason,
    cause: options.cause,
  });
}

/**
 * An Aurora error as is. Otherwise, when `signal` aborted (or the error is a timeout), an
 * `AdapterCallError` `aborted`/`timeout`; anything else becomes a non-retryable `unexpected` one.
 */
export function toAuroraError(error: unknown, adapterId: string, operation: string, signal?: AbortSignal): AuroraError {
  if (AuroraError.isInstance(error)) return error;
  const timedOut = isTimeout(error) || (signal?.aborted === true && isTimeout(signal.reason));
  if (timedOut || signal?.aborted) {
    return new AdapterCallError({
      message: `${adapterId} ${operation} ${timedOut ? 'timed out' : 'was aborted'}`,
      adapterId, operation, isRetryable: timedOut, reason: timedOut ? 'timeout' : 'aborted', cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AdapterCallError({ message: `${adapterId} ${operation} failed: ${detail}`, adapterId, operation, isRetryable: false, reason: 'unexpected', cause: error });
}

function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}
