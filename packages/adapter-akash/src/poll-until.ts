import { AdapterCallError, AuroraError } from '@aurora/router';
import { abortableSleep } from './abortable-sleep';

export type PollUntilOptions<T> = {
  /** One look; `undefined` means "not yet". */
  check: () => Promise<T | undefined>;
  intervalMs: number;
  timeoutMs: number;
  now: () => number;
  signal?: AbortSignal;
  /** Retryable errors in a row that are waited out before the last one is thrown; default 3. */
  maxConsecutiveErrors?: number;
};

/**
 * Calls `check` every `intervalMs` until it returns a value or `timeoutMs` has passed (then
 * `undefined`). A transient failure (a retryable Aurora error: 429, 5xx, timeout, garbled answer)
 * does not end the wait: the next look comes after the interval or the Retry-After, whichever is
 * longer. Rejects with the signal's reason when `signal` aborts.
 */
export async function pollUntil<T>(options: PollUntilOptions<T>): Promise<T | undefined> {
  const deadline = options.now() + options.timeoutMs;
  const maxErrors = options.maxConsecutiveErrors ?? 3;
  let errors = 0;
  for (;;) {
    let waitMs = options.intervalMs;
    try {
      const value = await options.check();
      errors = 0;
      if (value !== undefined) return value;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!AuroraError.isInstance(error) || !error.isRetryable) throw error;
      errors += 1;
      if (errors > maxErrors) throw error;
      if (AdapterCallError.isInstance(error) && error.retryAfterMs !== undefined) waitMs = Math.max(waitMs, error.retryAfterMs);
    }
    const remaining = deadline - options.now();
    if (remaining <= 0) return undefined;
    await abortableSleep(Math.min(waitMs, remaining), options.signal);
  }
}
