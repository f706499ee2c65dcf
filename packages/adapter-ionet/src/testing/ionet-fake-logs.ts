import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { IonetFakeFaults } from './ionet-fake-faults';
import type { IonetFakeDeployment, IonetFakeLogEntry, IonetFakeStore } from './ionet-fake-store';

export type IonetFakeLogOptions = {
  /** `sse`: `text/event-stream` with `data: ` lines (default); `plain`: `text/plain`, one line each. */
  logFormat: 'sse' | 'plain';
  /** `follow`: stay open and write new lines until the deployment ends (default); `snapshot`: end when caught up. */
  logMode: 'follow' | 'snapshot';
  /** Prefix each line with its RFC 3339 time, as container runtimes can. Default false. */
  logTimestamps: boolean;
};

type LogStreamContext = IonetFakeLogOptions & { store: IonetFakeStore; faults: IonetFakeFaults };

const finishedStatuses = new Set(['destroyed', 'completed', 'failed', 'terminated']);

/**
 * `GET /deployment/{id}/log/{container_id}?stream=stdout|stderr`: a chunked text stream, one entry
 * per line. Honours the `log-early-close` and `log-slow-drip` faults.
 */
export async function streamFakeLogs(
  context: LogStreamContext,
  deployment: IonetFakeDeployment,
  containerId: string,
  stream: 'stdout' | 'stderr',
  response: ServerResponse,
  faultKey: { method: string; path: string },
): Promise<void> {
  const earlyClose = context.faults.take(['log-early-close'], faultKey.method, faultKey.path);
  const drip = context.faults.take(['log-slow-drip'], faultKey.method, faultKey.path);
  const sse = context.logFormat === 'sse';
  response.writeHead(200, {
    'content-type': sse ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  response.flushHeaders();
  let closed = false;
  response.on('close', () => (closed = true));

  const format = (entry: IonetFakeLogEntry) => {
    const text = context.logTimestamps ? `${new Date(entry.at).toISOString()} ${entry.message}` : entry.message;
    return sse ? `data: ${text}\n\n` : `${text}\n`;
  };

  let sent = 0;
  let written = 0;
  let lastWrite = Date.now();
  const { logPollMs, logPingMs } = context.store.timing;
  while (!closed) {
    const lines = context.store.logLines(deployment, containerId, stream);
    while (sent < lines.length && !closed) {
      if (earlyClose && written >= (earlyClose.afterLines ?? 1)) {
        if (earlyClose.abrupt) response.destroy();
        else response.end();
        return;
      }
      response.write(format(lines[sent]!));
      sent += 1;
      written += 1;
      lastWrite = Date.now();
      if (drip) await delay(drip.intervalMs);
    }
    if (closed || context.logMode === 'snapshot' || finishedStatuses.has(context.store.status(deployment))) break;
    await delay(logPollMs);
    if (sse && logPingMs > 0 && Date.now() - lastWrite >= logPingMs && !closed) {
      response.write(`: ping - ${new Date().toISOString()}\n\n`);
      lastWrite = Date.now();
    }
  }
  if (!closed) response.end();
}
