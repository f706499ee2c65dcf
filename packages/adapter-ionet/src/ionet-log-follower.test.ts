import { describe, expect, it } from 'vitest';
import { AdapterCallError, type LogLine } from '@aurora/router';
import type { IonetWorker } from './ionet-api';
import { readIonetLogs, type IonetLogSource, type ReadIonetLogsOptions } from './ionet-log-follower';
import type { LogStreamEvent } from './ionet-log-stream';

type Connection = ReadonlyArray<LogStreamEvent> | Error | 'hang';

const line = (raw: string): LogStreamEvent => ({ kind: 'line', raw, framing: 'plain' });
const idle: LogStreamEvent = { kind: 'idle' };
const now = Date.parse('2026-03-01T12:00:00.000Z');

/** A log source whose streams answer scripted connections, one entry per (re)connect. */
function scriptedSource(options: {
  workers: IonetWorker[][] | IonetWorker[];
  connections: Record<string, Connection[]>;
  finished?: () => boolean;
}) {
  const opened: string[] = [];
  const workerLists = Array.isArray(options.workers[0]) ? (options.workers as IonetWorker[][]) : [options.workers as IonetWorker[]];
  let listCalls = 0;
  const source: IonetLogSource = {
    listWorkers: async () => workerLists[Math.min(listCalls++, workerLists.length - 1)]!,
    isFinished: async () => options.finished?.() ?? true,
    now: () => now,
    openStream: (containerId, stream, signal) => {
      const key = `${containerId}/${stream}`;
      const connection = options.connections[key]?.shift() ?? [];
      opened.push(key);
      return (async function* () {
        if (connection instanceof Error) throw connection;
        if (connection === 'hang') {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          return;
        }
        yield* connection;
      })();
    },
  };
  return { source, opened, listCalls: () => listCalls };
}

const defaults: ReadIonetLogsOptions = {
  streams: ['stdout'],
  includeContainerEvents: true,
  reconnectDelayMs: 1,
  maxConsecutiveFailures: 3,
  workerPollMs: 1,
};

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const collected: LogLine[] = [];
  for await (const entry of lines) collected.push(entry);
  return collected;
}

const messages = (lines: LogLine[]) => lines.map((entry) => `${entry.source}/${entry.stream}: ${entry.message}`);

describe('readIonetLogs', () => {
  it('merges every container and stream, container events first, each line tagged with its container', async () => {
    const { source } = scriptedSource({
      workers: [
        { container_id: 'c1', container_events: [{ time: '2026-03-01T11:00:00Z', message: 'Pulling image' }] },
        { container_id: 'c2' },
      ],
      connections: { 'c1/stdout': [[line('a1'), line('a2')]], 'c1/stderr': [[line('warn')]], 'c2/stdout': [[line('b1')]], 'c2/stderr': [[]] },
    });
    const lines = await collect(readIonetLogs(source, { ...defaults, streams: ['stdout', 'stderr'] }));
    expect(messages(lines)[0]).toBe('c1/system: Pulling image');
    expect(lines[0]!.timestamp).toBe('2026-03-01T11:00:00.000Z');
    expect(messages(lines).slice(1).sort()).toEqual(['c1/stderr: warn', 'c1/stdout: a1', 'c1/stdout: a2', 'c2/stdout: b1']);
  });

  it('without follow, stops reading a stream at its first idle', async () => {
    const { source } = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [[line('before'), idle, line('after')]] } });
    expect(messages(await collect(readIonetLogs(source, defaults)))).toEqual(['c1/stdout: before']);
  });

  it('tail keeps the last N lines of the backlog, in time order across containers', async () => {
    const { source } = scriptedSource({
      workers: [{ container_id: 'c1' }, { container_id: 'c2' }],
      connections: {
        'c1/stdout': [[line('2026-03-01T10:00:01Z one'), line('2026-03-01T10:00:03Z three')]],
        'c2/stdout': [[line('2026-03-01T10:00:02Z two'), line('2026-03-01T10:00:04Z four')]],
      },
    });
    expect(messages(await collect(readIonetLogs(source, { ...defaults, tail: 3 })))).toEqual(['c2/stdout: two', 'c1/stdout: three', 'c2/stdout: four']);
  });

  it('tail 0 yields nothing of the backlog', async () => {
    const { source } = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [[line('x')]] } });
    expect(await collect(readIonetLogs(source, { ...defaults, tail: 0 }))).toEqual([]);
  });

  it('since drops lines (and container events) older than it', async () => {
    const { source } = scriptedSource({
      workers: [{ container_id: 'c1', container_events: [{ time: '2026-03-01T09:00:00Z', message: 'old event' }] }],
      connections: { 'c1/stdout': [[line('2026-03-01T10:00:00Z old'), line('2026-03-01T10:00:05Z new'), line('no timestamp: received now')]] },
    });
    const lines = await collect(readIonetLogs(source, { ...defaults, since: '2026-03-01T12:00:02+02:00' }));
    expect(messages(lines)).toEqual(['c1/stdout: new', 'c1/stdout: no timestamp: received now']);
  });

  it('with follow, reopens an ended stream and skips what a replaying stream sends again', async () => {
    let finished = false;
    const { source, opened } = scriptedSource({
      workers: [{ container_id: 'c1' }],
      connections: {
        'c1/stdout': [
          [line('a'), line('b')], // ends: io.net may close when caught up
          [line('a'), line('b'), line('c')], // reconnect replays from the start
          [line('d')], // or sends only what is new
        ],
      },
      finished: () => {
        finished = opened.length >= 3;
        return finished;
      },
    });
    expect(messages(await collect(readIonetLogs(source, { ...defaults, follow: true })))).toEqual([
      'c1/stdout: a', 'c1/stdout: b', 'c1/stdout: c', 'c1/stdout: d',
    ]);
    expect(opened).toHaveLength(3);
  });

  it('with follow, reconnects after a retryable break and goes on', async () => {
    const broken = new AdapterCallError({ message: 'stream broke', adapterId: 'ionet', operation: 'get_logs', reason: 'network', isRetryable: true });
    const { source, opened } = scriptedSource({
      workers: [{ container_id: 'c1' }],
      connections: { 'c1/stdout': [[line('a')], broken, [line('a'), line('b')]] },
      finished: () => opened.length >= 3,
    });
    expect(messages(await collect(readIonetLogs(source, { ...defaults, follow: true })))).toEqual(['c1/stdout: a', 'c1/stdout: b']);
  });

  it('with follow, gives up after maxConsecutiveFailures retryable failures', async () => {
    const broken = () => new AdapterCallError({ message: 'HTTP 503', adapterId: 'ionet', operation: 'get_logs', statusCode: 503 });
    const { source } = scriptedSource({
      workers: [{ container_id: 'c1' }],
      connections: { 'c1/stdout': [broken(), broken(), broken(), [line('never')]] },
      finished: () => false,
    });
    await expect(collect(readIonetLogs(source, { ...defaults, follow: true }))).rejects.toMatchObject({ statusCode: 503 });
  });

  it('with follow, a final error ends quietly when the deployment is finished, and throws when it is not', async () => {
    const gone = () => new AdapterCallError({ message: 'HTTP 404', adapterId: 'ionet', operation: 'get_logs', statusCode: 404 });
    const finishedSource = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [[line('last')], gone()] }, finished: () => false });
    finishedSource.source.isFinished = async () => finishedSource.opened.length >= 2;
    expect(messages(await collect(readIonetLogs(finishedSource.source, { ...defaults, follow: true })))).toEqual(['c1/stdout: last']);

    const live = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [gone()] }, finished: () => false });
    await expect(collect(readIonetLogs(live.source, { ...defaults, follow: true }))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('without follow, a stream error rejects', async () => {
    const failure = new AdapterCallError({ message: 'HTTP 401', adapterId: 'ionet', operation: 'get_logs', statusCode: 401 });
    const { source } = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [failure] } });
    await expect(collect(readIonetLogs(source, defaults))).rejects.toBe(failure);
  });

  it('with follow, waits for containers to appear', async () => {
    const { source, listCalls } = scriptedSource({
      workers: [[], [], [{ container_id: 'c1' }]],
      connections: { 'c1/stdout': [[line('up')]] },
      finished: () => listCalls() >= 3,
    });
    expect(messages(await collect(readIonetLogs(source, { ...defaults, follow: true })))).toEqual(['c1/stdout: up']);
    expect(listCalls()).toBe(3);
  });

  it('ends a follow when the caller aborts, closing the open streams', async () => {
    const controller = new AbortController();
    const { source } = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': ['hang'] }, finished: () => false });
    const reading = collect(readIonetLogs(source, { ...defaults, follow: true, signal: controller.signal }));
    controller.abort();
    await expect(reading).resolves.toEqual([]);
  });

  it('stops yielding once the consumer leaves', async () => {
    const { source } = scriptedSource({ workers: [{ container_id: 'c1' }], connections: { 'c1/stdout': [[line('one'), line('two'), line('three')]] } });
    const seen: string[] = [];
    for await (const entry of readIonetLogs(source, { ...defaults, includeContainerEvents: false })) {
      seen.push(entry.message);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['one', 'two']);
  });
});
