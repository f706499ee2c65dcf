export type IntervalLoopOptions = {
  name: string;
  intervalMs: number;
  /** One pass of the work. A pass never overlaps the previous one. */
  run: (signal: AbortSignal) => Promise<void>;
  /** Errors of a pass; the loop keeps going. */
  onError: (error: unknown, name: string) => void;
  /** Run the first pass right away instead of after one interval. Default false. */
  runOnStart?: boolean;
};

export type IntervalLoop = {
  readonly name: string;
  /** True between `start()` and `stop()`. */
  readonly active: boolean;
  start(): void;
  /** Cancels the next pass, aborts the signal of the running one and waits for it to end. */
  stop(): Promise<void>;
  /** Runs one pass now (after any pass in flight); for start-up work and tests. */
  runOnce(): Promise<void>;
};

/**
 * A stoppable background loop on unref'd timers: the process can exit while it waits, and the
 * next pass is scheduled only when the previous one has finished.
 */
export function createIntervalLoop(options: IntervalLoopOptions): IntervalLoop {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let started = false;
  const controller = new AbortController();

  const pass = (): Promise<void> => {
    const previous = inFlight ?? Promise.resolve();
    const current = previous.then(async () => {
      if (controller.signal.aborted) return;
      try {
        await options.run(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) options.onError(error, options.name);
      }
    });
    inFlight = current;
    void current.finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    return current;
  };

  const schedule = (delayMs: number) => {
    if (!started || controller.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      void pass().then(() => schedule(options.intervalMs));
    }, delayMs);
    timer.unref();
  };

  return {
    name: options.name,
    get active() {
      return started && !controller.signal.aborted;
    },
    start() {
      if (started || controller.signal.aborted) return;
      started = true;
      schedule(options.runOnStart ? 0 : options.intervalMs);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      controller.abort();
      await inFlight;
    },
    runOnce: pass,
  };
}
