import { createMockAdapter, createOffer, type MockAdapter } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from '../__fixtures__/test-server';

type ServerSentEvent = { event: string; data: unknown; id?: string };

/** Reads Server-Sent Events from a streaming response until `until` says stop or the stream ends. */
async function readEvents(response: Response, until: (events: ServerSentEvent[]) => boolean): Promise<ServerSentEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: ServerSentEvent[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const fields = Object.fromEntries(
        frame.split('\n').filter((line) => !line.startsWith(':') && line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields.event) events.push({ event: fields.event, data: JSON.parse(fields.data ?? 'null'), ...(fields.id ? { id: fields.id } : {}) });
    }
    if (until(events)) {
      await reader.cancel();
      break;
    }
  }
  return events;
}

describe('GET /deployments/:id/logs', () => {
  let server: TestServer;
  let adapter: MockAdapter;
  let deploymentId: string;

  beforeEach(async () => {
    adapter = createMockAdapter({
      name: 'mock',
      offers: [createOffer({ provider: 'mock', offer_id: 'a100-west' })],
      logLines: [
        { timestamp: '2026-01-01T00:00:00.000Z', message: 'pulling image' },
        { timestamp: '2026-01-01T00:00:01.000Z', message: 'starting', stream: 'stderr' },
        { timestamp: '2026-01-01T00:00:02.000Z', message: 'ready' },
      ],
    });
    server = await startTestServer({ adapters: [adapter] });
    deploymentId = (await server.request('POST', '/route', { body: exampleRouteRequest })).body.deployment_id;
  });
  afterEach(async () => server?.close());

  it('returns a JSON array without follow', async () => {
    const response = await server.request('GET', `/deployments/${deploymentId}/logs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.body.map((line: { message: string }) => line.message)).toEqual(['pulling image', 'starting', 'ready']);
    expect(response.body[1].stream).toBe('stderr');
  });

  it('honours tail and since', async () => {
    const tail = await server.request('GET', `/deployments/${deploymentId}/logs?tail=1`);
    expect(tail.body.map((line: { message: string }) => line.message)).toEqual(['ready']);
    const since = await server.request('GET', `/deployments/${deploymentId}/logs?since=${encodeURIComponent('2026-01-01T00:00:01.000Z')}`);
    expect(since.body.map((line: { message: string }) => line.message)).toEqual(['starting', 'ready']);
    const invalid = await server.request('GET', `/deployments/${deploymentId}/logs?since=yesterday`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.issues[0].field).toBe('since');
  });

  it('streams Server-Sent Events with follow=true until the deployment ends', async () => {
    const response = await fetch(`${server.url}/deployments/${deploymentId}/logs?follow=true`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = readEvents(response, (seen) => seen.some((event) => event.event === 'end'));
    // The stream stays open while the deployment lives; terminating it ends the stream.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const terminated = await server.request('DELETE', `/deployments/${deploymentId}`);
    expect(terminated.status).toBe(200);
    const seen = await events;
    expect(seen.filter((event) => event.event === 'log').map((event) => (event.data as { message: string }).message)).toEqual([
      'pulling image',
      'starting',
      'ready',
    ]);
    expect(seen.filter((event) => event.event === 'log').map((event) => event.id)).toEqual(['1', '2', '3']);
    expect(seen.at(-1)).toEqual({ event: 'end', data: { deployment_id: deploymentId, lines: 3 } });
  });

  it('stops reading from the provider when the client goes away', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/deployments/${deploymentId}/logs?follow=true`, { signal: controller.signal });
    await readEvents(response, (seen) => seen.filter((event) => event.event === 'log').length === 3);
    controller.abort();
    await expect.poll(() => adapter.calls.getLogs.at(-1)?.options?.signal?.aborted).toBe(true);
  });

  it('ends open streams when the server shuts down', async () => {
    const response = await fetch(`${server.url}/deployments/${deploymentId}/logs?follow=true`);
    const events = readEvents(response, () => false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    const seen = await events;
    expect(seen.filter((event) => event.event === 'log')).toHaveLength(3);
  });

  it('answers 404 for a deployment that does not exist', async () => {
    const response = await server.request('GET', '/deployments/dep-missing/logs');
    expect(response.status).toBe(404);
  });
});
