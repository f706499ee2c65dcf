export type CallSignal = {
  signal: AbortSignal;
  /** True when our own timeout fired (not the caller's abort). */
  timedOut(): boolean;
  dispose(): void;
};

/**
 * The caller's signal combined with a per-call timeout, telling the two apart afterwards. Whichever
 * comes first wins: a timeout after the caller aborted is not a timeout, and the reverse.
 */
export function createCallSignal(callerSignal: AbortSignal | undefined, timeoutMs: number | undefined): CallSignal {
  const timeout = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs !== undefined && Number.isFinite(timeoutMs) && !callerSignal?.aborted
      ? setTimeout(() => {
          if (callerSignal?.aborted) return;
          timedOut = true;
          timeout.abort(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs)
      : undefined;
  timer?.unref?.();
  const stopTimer = () => {
    if (timer) clearTimeout(timer);
  };
  callerSignal?.addEventListener('abort', stopTimer, { once: true });
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  return {
    signal,
    timedOut: () => timedOut,
    dispose: () => {
      stopTimer();
      callerSignal?.removeEventListener('abort', stopTimer);
    },
  };
}
