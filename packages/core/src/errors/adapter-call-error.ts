import { AuroraError } from './aurora-error';

const name = 'AdapterCallError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * Where a failure applies when the router fails over: only this offer, every offer of the
 * provider for this request (`provider`), or nothing to block (`none`, e.g. bad credentials).
 */
export type AdapterErrorScope = 'offer' | 'provider';

export type AdapterCallErrorOptions = {
  message: string;
  adapterId: string;
  operation: string;
  url?: string;
  statusCode?: number;
  responseBody?: string;
  isRetryable?: boolean;
  retryAfterMs?: number;
  scope?: AdapterErrorScope;
  reason?: string;
  cause?: unknown;
};

const maximumBodyLength = 2_000;

/** A provider call failed: HTTP status, timeout, abort, network error or a provider-side refusal. */
export class AdapterCallError extends AuroraError {
  private readonly [symbol] = true;
  readonly adapterId: string;
  readonly operation: string;
  readonly url?: string;
  readonly statusCode?: number;
  readonly responseBody?: string;
  readonly retryAfterMs?: number;
  readonly scope: AdapterErrorScope;
  /** A low-cardinality reason for metrics: `http_503`, `timeout`, `no_capacity`, `aborted`, ... */
  readonly reason: string;

  constructor(options: AdapterCallErrorOptions) {
    const isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
    const reason = options.reason ?? (options.statusCode ? `http_${options.statusCode}` : 'call_failed');
    super({
      message: options.message,
      code: 'AURORA_ERR_ADAPTER_CALL',
      cause: options.cause,
      isRetryable,
      details: {
        adapter: options.adapterId,
        operation: options.operation,
        status_code: options.statusCode,
        reason,
        retry_after_ms: options.retryAfterMs,
      },
    });
    this.name = name;
    this.adapterId = options.adapterId;
    this.operation = options.operation;
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.responseBody = options.responseBody?.slice(0, maximumBodyLength);
    this.retryAfterMs = options.retryAfterMs;
    this.scope = options.scope ?? (options.statusCode === 429 ? 'provider' : 'offer');
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is AdapterCallError {
    return AuroraError.hasMarker(error, marker);
  }
}

/** 408, 409, 425, 429 and every 5xx are worth another try; other statuses are final. */
export function isRetryableStatus(statusCode: number | undefined): boolean {
  if (statusCode === undefined) return true;
  return statusCode === 408 || statusCode === 409 || statusCode === 425 || statusCode === 429 || statusCode >= 500;
}
