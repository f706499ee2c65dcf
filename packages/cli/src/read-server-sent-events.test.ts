import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from './read-server-sent-events';

function responseFrom(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

describe('readServerSentEvents', () => {
  it('parses events split across chunks, with comments, ids and multi-line data', async () => {
    const response = responseFrom([': keep-alive\n\nda', 'ta: {"a":1}\n\n', 'event: end\nid: 7\ndata: line one\ndata: line two\r\n\r\n']);
    const events = [];
    for await (const event of readServerSentEvents(response)) events.push(event);
    expect(events).toEqual([
      { event: 'message', data: '{"a":1}', id: undefined },
      { event: 'end', data: 'line one\nline two', id: '7' },
    ]);
  });
});
