import type { z } from 'zod';
import { AdapterCallError, AuroraError, InvalidResponseDataError, isRetryableStatus, type AdapterErrorScope } from '@aurora/router';
import { createCallSignal } from './call-signal';
import { parseRetryAfter } from './parse-retry-after';

export type FetchFunction = typeof globalThis.fetch;

export type FetchJsonOptions<Schema extends z.ZodType> = {
  adapterId: string;
  /** What the call does, for errors and metrics: 'list_offers', 'deploy', ... */
  operation: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Parses the JSON answer; a mismatch throws `InvalidResponseDataError`. */
  schema: Schema;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: FetchFunction;
  /** Statuses that are not errors even though they are not 2xx (e.g. 404 on an idempotent delete). */
  acceptStatuses?: readonly number[];
  /** Overrides the failover scope of HTTP errors (default: 429 -> provider, else offer). */
  scopeForStatus?: (statusCode: number) => AdapterErrorScope | undefined;
};

export type FetchJsonResult<T> = { value: T; status: number; headers: Headers };

/**
 * One JSON call to a provider: timeout and AbortSignal, status -> typed error (with Retry-After),
 * body -> zod-parsed value. Throws only `AdapterCallError` and `InvalidResponseDataError` (or the
 * Aurora error an injected `fetch` threw).
 */
export async function fetchJson<Schema extends z.ZodType>(options: FetchJsonOptions<Schema>): Promise<FetchJsonResult<z.output<Schema>>> {
  const { adapterId, operation, url } = options;
  const callSignal = createCallSignal(options.signal, options.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: callSignal.signal,
    });
    text = await response.text();
  } catch (error) {
    throw transportError(options, error, callSignal.timedOut());
  } finally {
    callSignal.dispose();
  }

  const accepted = options.acceptStatuses?.includes(response.status) ?? false;
  if (!response.ok && !accepted) {
    throw new AdapterCallError({
      message: `${adapterId} ${operation} failed: HTTP ${response.status}${summarizeBody(text)}`,
      adapterId,
      operation,
      url,
      statusCode: response.status,
      responseBody: text,
      isRetryable: isRetryableStatus(response.status),
      retryAfterMs: parseRetryAfter(response.headers),
      scope: options.scopeForStatus?.(response.status),
    });
  }
  return { value: parseBody(options, text, response.status), status: response.status, headers: response.headers };
}

function parseBody<Schema extends z.ZodType>(options: FetchJsonOptions<Schema>, text: string, status: number): z.output<Schema> {
  let json: unknown = undefined;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InvalidResponseDataError({
        message: `${options.adapterId} ${options.operation}: HTTP ${status} answer is not JSON${summarizeBody(text)}`,
        adapterId: options.adapterId,
        issues: ['body is not valid JSON'],
        cause: error,
      });
    }
  }
  const result = options.schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  throw new InvalidResponseDataError({
    message: `${options.adapterId} ${options.operation}: unexpected answer (${issues.slice(0, 3).join('; ')})`,
    adapterId: options.adapterId,
    issues,
    cause: result.error,
  });
}

function transportError(options: FetchJsonOptions<z.ZodType>, error: unknown, timedOut: boolean): AuroraError {
  const { adapterId, operation, url } = options;
  // An injected fetch (auth or retry middleware) may already throw a typed error: keep it.
  if (AuroraError.isInstance(error)) return error;
  if (timedOut) {
    return new AdapterCallError({ message: `${adapterId} ${operation} timed out after ${options.timeoutMs} ms`, adapterId, operation, url, isRetryable: true, reason: 'timeout', cause: error });
  }
  if (options.signal?.aborted) {
    return new AdapterCallError({ message: `${adapterId} ${operation} was aborted`, adapterId, operation, url, isRetryable: false, reason: 'aborted', cause: error });
  }
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new AdapterCallError({ message: `${adapterId} ${operation} could not reach the provider${detail}`, adapterId, operation, url, isRetryable: true, reason: 'network', scope: 'provider', cause: error });
}

function summarizeBody(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return '';
  return ` (${trimmed.length > 200 ? `${trimmed.slice(0, 200)}...` : trimmed})`;
}
