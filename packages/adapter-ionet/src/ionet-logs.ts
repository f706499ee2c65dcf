import type { LogLine } from '@aurora/router';

/** How a log stream frames its lines: `sse` when served as `text/event-stream`, else `plain`. */
export type IonetLogFraming = 'sse' | 'plain';

export type LineSplitter = {
  /** Complete lines in `chunk` (after what an earlier chunk left open). */
  push(chunk: string): string[];
  /** The last line when the stream ended without a newline. */
  flush(): string[];
};

/** Splits a chunked text stream into lines on `\n`, `\r\n` or `\r`, across chunk boundaries. */
export function createLineSplitter(): LineSplitter {
  let pending = '';
  let droppedCarriageReturn = false;
  return {
    push(chunk) {
      let text = chunk;
      // A "\r\n" split across two chunks: the "\r" already ended the line.
      if (droppedCarriageReturn && text.startsWith('\n')) text = text.slice(1);
      droppedCarriageReturn = text.endsWith('\r');
      const parts = (pending + text).split(/\r\n|\r|\n/);
      pending = parts.pop() ?? '';
      return parts;
    },
    flush() {
      const rest = pending;
      pending = '';
      return rest === '' ? [] : [rest];
    },
  };
}

const timestampPattern = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?\]?\s+/;
const sseFieldPattern = /^(event|id|retry):/;

export type IonetLogContext = {
  framing: IonetLogFraming;
  stream: 'stdout' | 'stderr';
  /** The container the line came from. */
  source: string;
  /** ISO time the line arrived: its timestamp when it carries none of its own. */
  receivedAt: string;
};

/**
 * One raw line of an io.net log stream as a log line, or `undefined` for framing only. The docs
 * say one entry per line, not JSON; whether lines carry SSE `data:` framing is unconfirmed, so a
 * `data:` prefix is stripped either way, and with `text/event-stream` SSE comments, `event:`/
 * `id:`/`retry:` fields and blank separators are dropped. A leading RFC 3339 timestamp (as
 * container runtimes print) becomes the line's timestamp.
 */
export function parseIonetLogLine(raw: string, context: IonetLogContext): LogLine | undefined {
  let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (context.framing === 'sse') {
    if (text === '' || text.startsWith(':') || sseFieldPattern.test(text)) return undefined;
  }
  if (text.startsWith('data:')) text = text.slice(text.startsWith('data: ') ? 6 : 5);
  if (text.trim() === '') return undefined;

  const { timestamp, message } = splitTimestamp(text);
  return { timestamp: timestamp ?? context.receivedAt, stream: context.stream, message, source: context.source };
}

function splitTimestamp(text: string): { timestamp?: string; message: string } {
  const match = timestampPattern.exec(text);
  if (!match) return { message: text };
  const [whole, dateTime, fraction = '', zone = 'Z'] = match;
  const milliseconds = fraction.padEnd(3, '0').slice(0, 3);
  const zoneText = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${dateTime!.replace(' ', 'T')}.${milliseconds}${zoneText}`);
  if (Number.isNaN(date.getTime())) return { message: text };
  return { timestamp: date.toISOString(), message: text.slice(whole.length) };
}
