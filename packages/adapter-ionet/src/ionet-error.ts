import { AdapterCallError, type AdapterErrorScope } from '@aurora/router';
import { ionetErrorBodySchema } from './ionet-api';

/**
 * Failover scope of an io.net HTTP status: a bad key (401/403), a rate limit (429) or a server
 * error (5xx) hits every offer of the provider alike; anything else concerns this offer only.
 */
export function ionetScopeForStatus(statusCode: number): AdapterErrorScope {
  return statusCode === 401 || statusCode === 403 || statusCode === 429 || statusCode >= 500 ? 'provider' : 'offer';
}

/** The text of a FastAPI error body (`{"detail": "..."}` or a 422 list), or the raw body. */
export function ionetErrorDetail(responseBody: string | undefined): string {
  if (!responseBody) return '';
  try {
    const parsed = ionetErrorBodySchema.safeParse(JSON.parse(responseBody));
    if (!parsed.success) return responseBody;
    const { detail } = parsed.data;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) return detail.map((issue) => [issue.type, issue.msg].filter(Boolean).join(': ')).join('; ');
    return JSON.stringify(detail);
  } catch {
    return responseBody;
  }
}

export type IonetDeployFailureKind = 'payment_required' | 'no_capacity' | 'duplicate_name';

// io.net's exact wording for these refusals is unconfirmed; match the plain-language stems.
const paymentPattern = /insufficient|balance|credit|payment|unpaid|top.?up|funds/i;
const capacityPattern = /no (available )?(capacity|replicas?|gpus?|machines?|devices?)|not enough|unavailable|out of stock|available.?replicas/i;
const duplicatePattern = /already exists|duplicate|already (in use|taken)|must be unique|unique constraint/i;

/** What a refused `POST /deploy` means, read from its status and `detail` text. */
export function classifyDeployFailure(error: AdapterCallError): IonetDeployFailureKind | undefined {
  const status = error.statusCode;
  // 422 is request validation (FastAPI), never a business refusal; auth, rate limits and 5xx speak for themselves.
  if (status === undefined || status === 401 || status === 403 || status === 422 || status === 429 || status >= 500) return undefined;
  if (status === 402) return 'payment_required';
  const detail = ionetErrorDetail(error.responseBody);
  if (status === 409 || duplicatePattern.test(detail)) return 'duplicate_name';
  if (paymentPattern.test(detail)) return 'payment_required';
  if (capacityPattern.test(detail)) return 'no_capacity';
  return undefined;
}

/**
 * The same failure with the router's view of it: no capacity is worth trying elsewhere (this offer
 * only); a payment refusal blocks the whole provider and is not retryable.
 */
export function refineDeployError(error: AdapterCallError, kind: IonetDeployFailureKind): AdapterCallError {
  const detail = ionetErrorDetail(error.responseBody);
  const common = {
    adapterId: error.adapterId,
    operation: error.operation,
    url: error.url,
    statusCode: error.statusCode,
    responseBody: error.responseBody,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  };
  if (kind === 'payment_required') {
    return new AdapterCallError({
      ...common,
      message: `${error.adapterId} deploy refused for payment: ${detail || 'no IO credits or balance'}`,
      isRetryable: false,
      scope: 'provider',
      reason: 'payment_required',
    });
  }
  if (kind === 'no_capacity') {
    return new AdapterCallError({
      ...common,
      message: `${error.adapterId} deploy found no capacity: ${detail}`,
      isRetryable: true,
      scope: 'offer',
      reason: 'no_capacity',
    });
  }
  return error;
}

/** A thrown value's message, for warnings. */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
