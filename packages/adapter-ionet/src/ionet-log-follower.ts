import { AdapterCallError, type GetLogsOptionsV1, type LogLine } from '@aurora/router';
import type { IonetWorker } from './ionet-api';
import type { LogStreamEvent } from './ionet-log-stream';
import { parseIonetLogLine } from './ionet-logs';
import { mergeAsyncIterables } from './merge-async-iterables';

/** What reading logs needs from the API, injected so the algorithm is testable on its own. */
export type IonetLogSource = {
  listWorkers(signal: AbortSignal): Promise<IonetWorker[]>;
  /** True once the deployment reached a final state (no more output will come). */
  isFinished(signal: AbortSignal): Promise<boolean>;
  openStream(containerId: string, stream: 'stdout' | 'stderr', signal: AbortSignal): AsyncIterable<LogStreamEvent>;
  now(): number;
};

export type ReadIonetLogsOptions = GetLogsOptionsV1 & {
  streams: ReadonlyArray<'stdout' | 'stderr'>;
  includeContainerEvents: boolean;
  reconnectDelayMs: number;
  maxConsecutiveFailures: number;
  workerPollMs: number;
};

type ReaderEvent = { type: 'line'; line: LogLine } | { type: 'caught_up' };

const maximumBackoffMs = 30_000;

/**
 * A deployment's logs: one stream per container and output, merged, each line tagged with its
 * container id (`source`). Container events come first as `system` lines. Without `follow` each
 * stream is read until it ends or goes idle; with `follow` streams are reopened when they end or
 * break (io.net does not document whether a stream keeps following) until the deployment is
 * finished or the caller aborts. `tail` keeps the last N lines of the backlog; `since` drops older
 * lines.
 */
export async function* readIonetLogs(source: IonetLogSource, options: ReadIonetLogsOptions): AsyncGenerator<LogLine, void, undefined> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const since = normalizeSince(options.since);
  const keep = (line: LogLine) => since === undefined || line.timestamp >= since;
  try {
    let workers = await source.listWorkers(signal);
    while (options.follow && workers.length === 0) {
      if (await source.isFinished(signal)) break;
      await sleep(options.workerPollMs, signal);
      if (signal.aborted) return;
      workers = await source.listWorkers(signal);
    }

    const backlog: LogLine[] = options.includeContainerEvents ? workers.flatMap((worker) => containerEventLines(worker, source.now())).filter(keep) : [];
    let buffering = options.tail !== undefined;
    if (!buffering) {
      for (const line of backlog.splice(0)) {
        if (signal.aborted) return;
        yield line;
      }
    }

    const readers = workers.flatMap((worker) => options.streams.map((stream) => readContainer(source, worker.container_id, stream, options, signal)));
    let caughtUp = 0;
    for await (const event of mergeAsyncIterables(readers, { onExit: () => controller.abort() })) {
      if (event.type === 'caught_up') {
        caughtUp += 1;
        if (caughtUp === readers.length) {
          if (buffering) for (const line of takeTail(backlog, options.tail)) if (!signal.aborted) yield line;
          buffering = false;
          if (!options.follow) return;
        }
        continue;
      }
      if (signal.aborted) return;
      if (!keep(event.line)) continue;
      if (buffering) backlog.push(event.line);
      else yield event.line;
    }
    if (buffering) yield* takeTail(backlog, options.tail);
  } finally {
    controller.abort();
  }
}

/**
 * One container's stream of one output. Announces `caught_up` at its first idle or end. While
 * following it reopens the stream; when the reopened stream starts with the first line already
 * seen, it replays from the beginning and the lines already delivered are skipped.
 */
async function* readContainer(
  source: IonetLogSource,
  containerId: string,
  stream: 'stdout' | 'stderr',
  options: ReadIonetLogsOptions,
  signal: AbortSignal,
): AsyncGenerator<ReaderEvent, void, undefined> {
  let announced = false;
  let delivered = 0;
  let firstMessage: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let retryAfterMs: number | undefined;
    try {
      let index = 0;
      let replaying = false;
      for await (const event of source.openStream(containerId, stream, signal)) {
        failures = 0;
        if (event.kind === 'idle') {
          if (!announced) {
            announced = true;
            yield { type: 'caught_up' };
            if (!options.follow) return;
          }
          continue;
        }
        const line = parseIonetLogLine(event.raw, { framing: event.framing, stream, source: containerId, receivedAt: new Date(source.now()).toISOString() });
        if (!line) continue;
        if (index === 0 && delivered > 0 && line.message === firstMessage) replaying = true;
        index += 1;
        if (replaying && index <= delivered) continue;
        replaying = false;
        if (delivered === 0) firstMessage = line.message;
        delivered += 1;
        yield { type: 'line', line };
      }
    } catch (error) {
      if (signal.aborted) return;
      if (!options.follow) throw error;
      failures += 1;
      const final = AdapterCallError.isInstance(error) && !error.isRetryable;
      if (final || failures >= options.maxConsecutiveFailures) {
        if (await source.isFinished(signal).catch(() => false)) break;
        throw error;
      }
      if (AdapterCallError.isInstance(error)) retryAfterMs = error.retryAfterMs;
    }
    if (!announced) {
      announced = true;
      yield { type: 'caught_up' };
    }
    if (!options.follow || signal.aborted) return;
    if (await source.isFinished(signal)) return;
    const backoff = Math.min(maximumBackoffMs, options.reconnectDelayMs * 2 ** failures);
    await sleep(Math.max(backoff, retryAfterMs ?? 0), signal);
  }
  if (!announced) yield { type: 'caught_up' };
}

function containerEventLines(worker: IonetWorker, now: number): LogLine[] {
  return (worker.container_events ?? []).map((event) => ({
    timestamp: toIso(event.time, now),
    stream: 'system' as const,
    message: event.message,
    source: worker.container_id,
  }));
}

function takeTail(lines: LogLine[], tail: number | undefined): LogLine[] {
  const ordered = lines.splice(0).sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  if (tail === undefined) return ordered;
  return tail > 0 ? ordered.slice(-tail) : [];
}

function normalizeSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const time = Date.parse(since);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function toIso(time: string | null | undefined, fallback: number): string {
  const parsed = time ? Date.parse(time) : Number.NaN;
  return new Date(Number.isNaN(parsed) ? fallback : parsed).toISOString();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
