import { AdapterCallError } from '../errors/adapter-call-error';
import { AuroraError } from '../errors/aurora-error';
import type { RouterTelemetry } from '../telemetry/router-telemetry';
import { errorType } from '../telemetry/router-telemetry';
import type { RouterClock } from './router-options';

export type AdapterCallContext = {
  provider: string;
  /** Low-cardinality operation name for metrics: `list_offers`, `deploy`, ... */
  operation: string;
  timeoutMs: number;
  /** The caller's signal; its abort ends the call at once. */
  signal?: AbortSignal | undefined;
  clock: RouterClock;
  telemetry: RouterTelemetry;
  /** Reason recorded when the timeout fires; `deadline` when it was shortened to the route deadline. */
  timeoutReason?: string;
};

/**
 * Calls an adapter under a timeout and the caller's AbortSignal. The adapter gets a signal that
 * fires on either; the returned promise settles when the signal fires even if the adapter ignores
 * it. Anything thrown comes out as an Aurora error: a timeout is a retryable `AdapterCallError`
 * (reason `timeout`), a caller abort a non-retryable one (reason `aborted`), a non-Aurora throw is
 * wrapped (reason `adapter_error`, retryable: another offer may work).
 */
export async function callAdapter<T>(context: AdapterCallContext, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { provider, operation, timeoutMs, signal: callerSignal, clock, telemetry } = context;
  const started = clock.now();
  if (callerSignal?.aborted) {
    const error = abortedError(provider, operation, callerSignal.reason);
    telemetry.recordAdapterRequest(provider, operation, 0, error.code);
    throw error;
  }

  const controller = new AbortController();
  let rejectOnAbort!: (error: AdapterCallError) => void;
  const aborted = new Promise<never>((_, reject) => (rejectOnAbort = reject));
  aborted.catch(() => {});
  const timer = setTimeout(() => {
    const error = new AdapterCallError({
      message: `${provider}.${operation} timed out after ${timeoutMs} ms`,
      adapterId: provider,
      operation,
      isRetryable: true,
      reason: context.timeoutReason ?? 'timeout',
    });
    controller.abort(error);
    rejectOnAbort(error);
  }, timeoutMs);
  const onCallerAbort = () => {
    const error = abortedError(provider, operation, callerSignal!.reason);
    controller.abort(error);
    rejectOnAbort(error);
  };
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    const result = await Promise.race([Promise.resolve().then(() => call(controller.signal)), aborted]);
    telemetry.recordAdapterRequest(provider, operation, (clock.now() - started) / 1000);
    return result;
  } catch (error) {
    // Once our signal fired, its reason is the truth, whatever the adapter made of the abort.
    const failure = controller.signal.aborted ? (controller.signal.reason as AdapterCallError) : toAuroraError(error, provider, operation);
    telemetry.recordAdapterRequest(provider, operation, (clock.now() - started) / 1000, errorType(failure));
    throw failure;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

export function abortedError(provider: string, operation: string, reason: unknown): AdapterCallError {
  if (AdapterCallError.isInstance(reason)) return reason;
  return new AdapterCallError({
    message: `${provider}.${operation} was aborted by the caller`,
    adapterId: provider,
    operation,
    isRetryable: false,
    reason: 'aborted',
    cause: reason,
  });
}

/** Aurora errors pass through; anything else an adapter throws is wrapped. */
export function toAuroraError(error: unknown, provider: string, operation: string): AuroraError {
  if (AuroraError.isInstance(error)) return error;
  return new AdapterCallError({
    message: `${provider}.${operation} threw: ${error instanceof Error ? error.message : String(error)}`,
    adapterId: provider,
    operation,
    isRetryable: true,
    reason: 'adapter_error',
    cause: error,
  });
}
