import {
  AdapterCallError, AuroraError, BudgetExceededError, ConfigurationError, ConflictError, DeployFailedError,
  InvalidArgumentError, InvalidResponseDataError, NoEligibleOfferError, NotFoundError,
} from '@aurora/router';
import { LedgerError } from '../ledger/ledger-error';
import { AuthenticationError } from './authentication-error';
import { PermissionError } from './permission-error';
import { RateLimitError } from './rate-limit-error';

/** Every error body the API sends (design.md section 7). */
export type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

export type HttpErrorResponse = {
  statusCode: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** 5xx other than upstream failures: worth an error log line. */
  unexpected: boolean;
};

const defaultRetryAfterSeconds = 5;

/**
 * The HTTP status, headers and `{ error: { code, message, details } }` body for a thrown value.
 * Unknown errors become a 500 that reveals nothing about the cause.
 */
export function mapAuroraError(error: unknown): HttpErrorResponse {
  if (AuroraError.isInstance(error)) return mapKnown(error);
  const httpError = asHttpError(error);
  if (httpError) return mapFrameworkError(httpError);
  return internal();
}

function mapKnown(error: AuroraError): HttpErrorResponse {
  const respond = (statusCode: number, headers: Record<string, string> = {}): HttpErrorResponse => ({
    statusCode,
    body: { error: error.toJSON() },
    headers,
    unexpected: statusCode === 500,
  });
  if (InvalidArgumentError.isInstance(error)) return respond(400);
  if (AuthenticationError.isInstance(error)) return respond(401, { 'www-authenticate': 'Bearer realm="aurora"' });
  if (BudgetExceededError.isInstance(error)) return respond(402);
  if (PermissionError.isInstance(error)) return respond(403);
  if (NotFoundError.isInstance(error)) return respond(404);
  if (ConflictError.isInstance(error)) return respond(409);
  if (NoEligibleOfferError.isInstance(error)) return respond(422);
  if (RateLimitError.isInstance(error)) return respond(429, { 'retry-after': String(error.retryAfterSeconds) });
  if (DeployFailedError.isInstance(error) || AdapterCallError.isInstance(error) || InvalidResponseDataError.isInstance(error)) {
    return error.isRetryable ? respond(503, { 'retry-after': String(retryAfterSeconds(error)) }) : respond(502);
  }
  if (LedgerError.isInstance(error)) {
    const body: ErrorBody = {
      error: { code: error.code, message: `The ledger failed (${error.operation})`, details: { operation: error.operation } },
    };
    return error.isRetryable
      ? { statusCode: 503, body, headers: { 'retry-after': '1' }, unexpected: false }
      : { statusCode: 500, body, headers: {}, unexpected: true };
  }
  if (ConfigurationError.isInstance(error)) return respond(500);
  return respond(500);
}

/** Seconds a client should wait: the longest Retry-After a provider asked for, else a default. */
function retryAfterSeconds(error: AuroraError): number {
  const errors = DeployFailedError.isInstance(error) ? error.errors : [error];
  let longestMs = 0;
  for (const each of errors) {
    if (AdapterCallError.isInstance(each) && each.retryAfterMs !== undefined) longestMs = Math.max(longestMs, each.retryAfterMs);
  }
  return longestMs > 0 ? Math.max(1, Math.ceil(longestMs / 1000)) : defaultRetryAfterSeconds;
}

type HttpError = { statusCode: number; code?: string; message: string; headers?: Record<string, unknown> };

function asHttpError(error: unknown): HttpError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { statusCode, message } = error as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 599 || typeof message !== 'string') return undefined;
  return error as HttpError;
}

const frameworkCodes: Record<number, string> = {
  400: 'AURORA_ERR_INVALID_ARGUMENT',
  404: 'AURORA_ERR_NOT_FOUND',
  405: 'AURORA_ERR_METHOD_NOT_ALLOWED',
  406: 'AURORA_ERR_NOT_ACCEPTABLE',
  408: 'AURORA_ERR_REQUEST_TIMEOUT',
  413: 'AURORA_ERR_PAYLOAD_TOO_LARGE',
  415: 'AURORA_ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'AURORA_ERR_RATE_LIMITED',
};

/** Errors fastify raises itself: malformed JSON, body too large, unsupported media type, ... */
function mapFrameworkError(error: HttpError): HttpErrorResponse {
  if (error.statusCode >= 500) return internal();
  const code = frameworkCodes[error.statusCode] ?? `AURORA_ERR_HTTP_${error.statusCode}`;
  const details: Record<string, unknown> = {};
  if (error.code) details.cause = error.code;
  let message = error.message;
  if (error.statusCode === 400 && isJsonSyntaxError(error)) {
    message = `Malformed JSON body: ${error.message}`;
    details.issues = [{ field: '(body)', reason: `malformed JSON: ${error.message}` }];
  } else if (error.statusCode === 400) {
    details.issues = [{ field: '(body)', reason: error.message }];
  }
  return { statusCode: error.statusCode, body: { error: { code, message, details } }, headers: {}, unexpected: false };
}

function isJsonSyntaxError(error: HttpError): boolean {
  return error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
}

function internal(): HttpErrorResponse {
  return {
    statusCode: 500,
    body: { error: { code: 'AURORA_ERR_INTERNAL', message: 'Internal server error', details: {} } },
    headers: {},
    unexpected: true,
  };
}
