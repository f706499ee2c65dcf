import { createCallSignal, parseRetryAfter, type FetchFunction } from '@aurora/adapter-utils';
import { AdapterCallError, isRetryableStatus } from '@aurora/router';
import { describeError, ionetErrorDetail, ionetScopeForStatus } from './ionet-error';
import { createLineSplitter, type IonetLogFraming } from './ionet-logs';

export type LogStreamEvent =
  | { kind: 'line'; raw: string; framing: IonetLogFraming }
  /** Nothing arrived for `idleTimeoutMs`; the stream stays open. */
  | { kind: 'idle' };

export type OpenLogStreamOptions = {
  adapterId: string;
  url: string;
  headers: Record<string, string>;
  fetch?: FetchFunction;
  signal?: AbortSignal;
  /** Until the response headers arrive. */
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /**
   * Whether a line is output (not framing such as an SSE keep-alive comment). Only output resets
   * the idle clock, so a server that pings an idle stream still counts as caught up. Default: all.
   */
  isContent?: (raw: string, framing: IonetLogFraming) => boolean;
};

/**
 * Reads one container's log stream (`GET /deployment/{id}/log/{container_id}`): a chunked text
 * response, not JSON. Yields each line as it arrives and an `idle` event whenever the stream has
 * been silent for `idleTimeoutMs`; returns when the server ends the response. Leaving the loop
 * early (or aborting `signal`) cancels the request. HTTP errors throw `AdapterCallError`.
 */
export async function* openLogStream(options: OpenLogStreamOptions): AsyncGenerator<LogStreamEvent, void, undefined> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const connect = createCallSignal(signal, options.connectTimeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(options.url, {
      method: 'GET',
      headers: { accept: 'text/event-stream, text/plain;q=0.9, */*;q=0.5', ...options.headers },
      signal: connect.signal,
    });
  } catch (error) {
    throw transportError(options, error, connect.timedOut());
  } finally {
    connect.dispose();
  }

  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const detail = ionetErrorDetail(body);
    throw new AdapterCallError({
      message: `${options.adapterId} get_logs failed: HTTP ${response.status}${detail ? ` (${detail.slice(0, 200)})` : ''}`,
      adapterId: options.adapterId,
      operation: 'get_logs',
      url: options.url,
      statusCode: response.status,
      responseBody: body,
      isRetryable: isRetryableStatus(response.status),
      retryAfterMs: parseRetryAfter(response.headers),
      scope: ionetScopeForStatus(response.status),
      reason: response.status === 404 ? 'not_found' : undefined,
    });
  }

  const framing: IonetLogFraming = (response.headers.get('content-type') ?? '').includes('text/event-stream') ? 'sse' : 'plain';
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const splitter = createLineSplitter();
  const isContent = options.isContent ?? (() => true);
  let pendingRead: ReturnType<typeof reader.read> | undefined;
  let idleAt = Date.now() + options.idleTimeoutMs;
  try {
    while (true) {
      pendingRead ??= reader.read();
      const remaining = idleAt - Date.now();
      const result = remaining <= 0 ? 'idle' : await raceIdle(pendingRead, remaining);
      if (result === 'idle') {
        idleAt = Date.now() + options.idleTimeoutMs;
        yield { kind: 'idle' };
        continue;
      }
      pendingRead = undefined;
      if (result.done) break;
      for (const raw of splitter.push(decoder.decode(result.value, { stream: true }))) {
        if (isContent(raw, framing)) idleAt = Date.now() + options.idleTimeoutMs;
        yield { kind: 'line', raw, framing };
      }
    }
    for (const raw of splitter.push(decoder.decode())) yield { kind: 'line', raw, framing };
    for (const raw of splitter.flush()) yield { kind: 'line', raw, framing };
  } catch (error) {
    if (options.signal?.aborted) return;
    throw transportError(options, error, false);
  } finally {
    controller.abort();
    pendingRead?.catch(() => undefined);
    reader.releaseLock?.();
  }
}

function raceIdle<T>(read: Promise<T>, idleTimeoutMs: number): Promise<T | 'idle'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<'idle'>((resolve) => {
    timer = setTimeout(() => resolve('idle'), idleTimeoutMs);
  });
  return Promise.race([read, idle]).finally(() => clearTimeout(timer));
}

function transportError(options: OpenLogStreamOptions, error: unknown, timedOut: boolean): AdapterCallError {
  const base = { adapterId: options.adapterId, operation: 'get_logs', url: options.url, cause: error };
  if (timedOut) return new AdapterCallError({ ...base, message: `${options.adapterId} get_logs timed out after ${options.connectTimeoutMs} ms`, isRetryable: true, reason: 'timeout' });
  if (options.signal?.aborted) return new AdapterCallError({ ...base, message: `${options.adapterId} get_logs was aborted`, isRetryable: false, reason: 'aborted' });
  return new AdapterCallError({ ...base, message: `${options.adapterId} log stream broke: ${describeError(error)}`, isRetryable: true, reason: 'network', scope: 'provider' });
}
