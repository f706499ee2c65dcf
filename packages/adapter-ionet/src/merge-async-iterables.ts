type Step<T> = { index: number; result: IteratorResult<T> };

/**
 * Yields values of several async iterables as they arrive. Ends when all have ended; the first
 * error ends the merge. On exit (end, error or the consumer leaving) `onExit` runs first, so the
 * sources can be aborted, then every unfinished source is closed.
 */
export async function* mergeAsyncIterables<T>(
  iterables: ReadonlyArray<AsyncIterable<T>>,
  options: { onExit?: () => void } = {},
): AsyncGenerator<T, void, undefined> {
  const iterators = iterables.map((iterable) => iterable[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Step<T>>>();
  const advance = (index: number) => pending.set(index, iterators[index]!.next().then((result) => ({ index, result })));
  iterators.forEach((_, index) => advance(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      advance(index);
      yield result.value;
    }
  } finally {
    options.onExit?.();
    const unfinished = [...pending.keys()];
    for (const promise of pending.values()) promise.catch(() => undefined);
    await Promise.allSettled(unfinished.map((index) => iterators[index]!.return?.()));
  }
}
