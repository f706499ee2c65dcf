import WebSocket from 'ws';
import { AsyncQueue } from './async-queue';

export type LogSocketOutcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'error'; error: Error }
  | { kind: 'aborted' };

export type LogSocketSession = {
  /** Text frames as they arrive; ends when the socket ends. */
  frames: AsyncQueue<string>;
  /** How the socket ended. */
  outcome: Promise<LogSocketOutcome>;
  /** Drops the connection (idempotent). */
  close(): void;
};

export type OpenLogSocketOptions = {
  token: string;
  tls: { rejectUnauthorized: boolean; ca?: string | Buffer | Array<string | Buffer> };
  handshakeTimeoutMs: number;
  signal?: AbortSignal;
};

/** One WebSocket to a provider gateway with `Authorization: Bearer <jwt>`. Never throws: failures are outcomes. */
export function openLogSocket(url: string, options: OpenLogSocketOptions): LogSocketSession {
  const frames = new AsyncQueue<string>();
  let settle!: (outcome: LogSocketOutcome) => void;
  const outcome = new Promise<LogSocketOutcome>((resolve) => {
    let settled = false;
    settle = (value) => {
      if (settled) return;
      settled = true;
      frames.end();
      resolve(value);
    };
  });

  const socket = new WebSocket(url, {
    headers: { authorization: `Bearer ${options.token}` },
    handshakeTimeout: options.handshakeTimeoutMs,
    rejectUnauthorized: options.tls.rejectUnauthorized,
    ...(options.tls.ca ? { ca: options.tls.ca } : {}),
  });
  const onAbort = () => {
    settle({ kind: 'aborted' });
    socket.terminate();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void outcome.then(() => options.signal?.removeEventListener('abort', onAbort));

  socket.on('message', (data, isBinary) => {
    if (!isBinary) frames.push(data.toString());
  });
  socket.on('unexpected-response', (request, response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (body.length < 2_000) body += chunk;
    });
    response.on('end', () => {
      settle({ kind: 'rejected', status: response.statusCode ?? 0, body });
      request.destroy();
    });
    response.on('error', () => settle({ kind: 'rejected', status: response.statusCode ?? 0, body }));
    request.on('error', () => undefined);
  });
  socket.on('close', (code, reason) => settle({ kind: 'closed', code, reason: reason.toString() }));
  socket.on('error', (error) => settle({ kind: 'error', error }));
  if (options.signal?.aborted) onAbort();

  return {
    frames,
    outcome,
    close: () => {
      settle({ kind: 'aborted' });
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
    },
  };
}
