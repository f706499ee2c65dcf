import type { FastifyReply } from 'fastify';

export type EventStream = {
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  /** Writes one event; resolves when the socket can take more (back-pressure). */
  send(event: string, data: unknown, id?: string): Promise<void>;
  /** Ends the response. Idempotent. */
  end(): void;
};

export type OpenEventStreamOptions = {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Aborts the stream too, e.g. at server shutdown. */
  shutdownSignal: AbortSignal;
};

/**
 * Takes over the response and speaks Server-Sent Events on it. The stream's signal aborts when the
 * client disconnects or at shutdown, so producers stop reading from the provider.
 */
export function openEventStream(reply: FastifyReply, options: OpenEventStreamOptions): EventStream {
  reply.hijack();
  const raw = reply.raw;
  const controller = new AbortController();
  let ended = false;

  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The socket is this stream's alone; closing it with the stream lets shutdown finish.
    connection: 'close',
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();

  const heartbeat = setInterval(() => {
    if (!ended) raw.write(': keep-alive\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    options.shutdownSignal.removeEventListener('abort', onShutdown);
    controller.abort();
    raw.end();
  };
  const onShutdown = () => end();
  options.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
  if (options.shutdownSignal.aborted) queueMicrotask(end);
  raw.once('close', end);

  return {
    signal: controller.signal,
    async send(event, data, id) {
      if (ended) return;
      const frame = `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      if (!raw.write(frame)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            raw.off('drain', done);
            controller.signal.removeEventListener('abort', done);
            resolve();
          };
          raw.once('drain', done);
          controller.signal.addEventListener('abort', done, { once: true });
        });
      }
    },
    end,
  };
}
