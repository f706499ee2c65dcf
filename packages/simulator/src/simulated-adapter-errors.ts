import { AdapterCallError } from '@aurora/router';

/** The caller's signal fired: a timeout is worth retrying, a cancellation is not. */
export function abortedCallError(adapterId: string, operation: string, signal: AbortSignal): AdapterCallError {
  const reason: unknown = signal.reason;
  if (AdapterCallError.isInstance(reason)) return reason;
  const timedOut = typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
  return new AdapterCallError({
    message: `${adapterId}.${operation} ${timedOut ? 'timed out' : 'was aborted'}`,
    adapterId,
    operation,
    isRetryable: timedOut,
    reason: timedOut ? 'timeout' : 'aborted',
    cause: reason,
  });
}

export function deploymentNotFoundError(adapterId: string, operation: string, providerDeploymentId: string): AdapterCallError {
  return new AdapterCallError({
    message: `${adapterId}: deployment ${providerDeploymentId} not found`,
    adapterId,
    operation,
    statusCode: 404,
    isRetryable: false,
    reason: 'not_found',
  });
}

/** A simulated outage of the provider's API: retryable, and it applies to every offer of the provider. */
export function providerUnavailableError(adapterId: string, operation: string): AdapterCallError {
  return new AdapterCallError({
    message: `${adapterId}.${operation}: provider API unavailable (simulated outage)`,
    adapterId,
    operation,
    statusCode: 503,
    isRetryable: true,
    scope: 'provider',
    reason: 'provider_unavailable',
  });
}

export function noCapacityError(adapterId: string, offerId: string, detail: string): AdapterCallError {
  return new AdapterCallError({
    message: `${adapterId}: no capacity for offer ${offerId} (${detail})`,
    adapterId,
    operation: 'deploy',
    isRetryable: true,
    scope: 'offer',
    reason: 'no_capacity',
  });
}

export function invalidOfferError(adapterId: string, offerId: string, detail: string): AdapterCallError {
  return new AdapterCallError({
    message: `${adapterId}: offer ${offerId} cannot be deployed: ${detail}`,
    adapterId,
    operation: 'deploy',
    statusCode: 400,
    isRetryable: false,
    scope: 'offer',
    reason: 'invalid_offer',
  });
}
