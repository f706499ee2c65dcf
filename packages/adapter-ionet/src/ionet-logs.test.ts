import { describe, expect, it } from 'vitest';
import { createLineSplitter, parseIonetLogLine, type IonetLogContext } from './ionet-logs';

const received = '2026-03-01T12:00:00.000Z';
const plain: IonetLogContext = { framing: 'plain', stream: 'stdout', source: 'c1', receivedAt: received };
const sse: IonetLogContext = { ...plain, framing: 'sse' };

describe('createLineSplitter', () => {
  it('splits on \\n, \\r\\n and \\r and keeps a partial line for the next chunk', () => {
    const splitter = createLineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o\r\nthree\rfo')).toEqual(['two', 'three']);
    expect(splitter.push('ur')).toEqual([]);
    expect(splitter.flush()).toEqual(['four']);
    expect(splitter.flush()).toEqual([]);
  });

  it('does not make an empty line of a \\r\\n split across two chunks', () => {
    const splitter = createLineSplitter();
    expect(splitter.push('a\r')).toEqual(['a']);
    expect(splitter.push('\nb\n')).toEqual(['b']);
  });

  it('keeps blank lines (SSE event separators) for the parser to drop', () => {
    expect(createLineSplitter().push('data: x\n\ndata: y\n\n')).toEqual(['data: x', '', 'data: y', '']);
  });
});

describe('parseIonetLogLine', () => {
  it('takes a plain line as the message, tagged with stream and container, at the receive time', () => {
    expect(parseIonetLogLine('INFO: Uvicorn running on http://0.0.0.0:8000', plain)).toEqual({
      timestamp: received,
      stream: 'stdout',
      message: 'INFO: Uvicorn running on http://0.0.0.0:8000',
      source: 'c1',
    });
  });

  it('strips an SSE data: prefix in either framing (whether io.net frames lines is unconfirmed)', () => {
    expect(parseIonetLogLine('data: loading model', sse)?.message).toBe('loading model');
    expect(parseIonetLogLine('data:loading model', sse)?.message).toBe('loading model');
    expect(parseIonetLogLine('data: loading model', plain)?.message).toBe('loading model');
  });

  it('drops SSE framing: blank separators, comments (keep-alive pings) and event/id/retry fields', () => {
    for (const framing of ['', ': ping - 2026-03-01 12:00:00', 'event: log', 'id: 42', 'retry: 3000']) {
      expect(parseIonetLogLine(framing, sse)).toBeUndefined();
    }
  });

  it('keeps lines that only look like SSE fields when the stream is plain text', () => {
    expect(parseIonetLogLine('id: 42 loaded', plain)?.message).toBe('id: 42 loaded');
    expect(parseIonetLogLine(': not a comment', plain)?.message).toBe(': not a comment');
  });

  it('drops empty and whitespace-only lines, and a trailing \\r', () => {
    expect(parseIonetLogLine('   ', plain)).toBeUndefined();
    expect(parseIonetLogLine('data: ', sse)).toBeUndefined();
    expect(parseIonetLogLine('done\r', plain)?.message).toBe('done');
  });

  it('uses a leading RFC 3339 timestamp as the line time (nanoseconds, offsets, space separator, brackets)', () => {
    expect(parseIonetLogLine('2026-03-01T11:59:58.123456789Z step 1', plain)).toMatchObject({ timestamp: '2026-03-01T11:59:58.123Z', message: 'step 1' });
    expect(parseIonetLogLine('2026-03-01T13:59:58+02:00 step 2', plain)).toMatchObject({ timestamp: '2026-03-01T11:59:58.000Z', message: 'step 2' });
    expect(parseIonetLogLine('2026-03-01 11:59:58,5 step 3', plain)).toMatchObject({ timestamp: '2026-03-01T11:59:58.500Z', message: 'step 3' });
    expect(parseIonetLogLine('[2026-03-01T11:59:58Z] step 4', plain)).toMatchObject({ timestamp: '2026-03-01T11:59:58.000Z', message: 'step 4' });
    expect(parseIonetLogLine('data: 2026-03-01T11:59:58Z step 5', sse)).toMatchObject({ timestamp: '2026-03-01T11:59:58.000Z', message: 'step 5' });
  });

  it('leaves an impossible date in the message', () => {
    expect(parseIonetLogLine('2026-13-45T99:99:99Z odd', plain)).toMatchObject({ timestamp: received, message: '2026-13-45T99:99:99Z odd' });
  });
});
