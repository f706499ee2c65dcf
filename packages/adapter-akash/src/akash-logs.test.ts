import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, logLineSchema, type LogLine } from '@aurora/router';
import { firstOffer, rejectionOf, startTestAkash, testRequest, type TestAkash } from './__fixtures__/start-test-akash';
import type { AkashAdapterSettings } from './akash-settings';
import { logsUrl, toLogLine } from './akash-logs';
import { leaseSchema } from './akash-api';
import type { AkashFakeOptions } from './testing/index';

let running: TestAkash | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A fake with a running deployment. */
async function startRunning(options: { fake?: AkashFakeOptions; adapter?: AkashAdapterSettings } = {}) {
  running = await startTestAkash(options);
  const deployed = await running.adapter.deploy(testRequest(), await firstOffer(running.adapter), { idempotency_key: 'logs' });
  return { test: running, id: deployed.provider_deployment_id };
}

async function take(lines: AsyncIterable<LogLine>, count: number): Promise<LogLine[]> {
  const taken: LogLine[] = [];
  for await (const line of lines) {
    taken.push(line);
    if (taken.length >= count) break;
  }
  return taken;
}

async function all(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  return take(lines, Number.POSITIVE_INFINITY);
}

const initialLines = ['Pulling image vllm/vllm-openai:latest', 'Container started', 'Service ready'];

describe('getLogs through the provider gateway', () => {
  it('mints a logs-scoped JWT for the lease provider and reads the tail without following', async () => {
    const { test, id } = await startRunning();
    const lines = await all(test.adapter.getLogs(id, { tail: 2 }));
    expect(lines.map((line) => line.message)).toEqual(initialLines.slice(1));
    for (const line of lines) {
      expect(logLineSchema.safeParse(line).success).toBe(true);
      expect(line).toMatchObject({ stream: 'stdout', source: `worker-${id}-0` });
    }
    const jwtCall = test.fake.state.requests.find((request) => request.path === '/v1/create-jwt-token')!;
    expect(jwtCall).toMatchObject({ method: 'POST', authorized: true, status: 201 });
    expect(jwtCall.body).toEqual({
      data: { ttl: 900, leases: { access: 'granular', permissions: [{ provider: test.fake.state.deployments.get(id)!.lease!.provider, access: 'scoped', scope: ['logs'] }] } },
    });
    expect(test.fake.state.logConnections).toMatchObject([{ dseq: id, gseq: 1, oseq: 1, follow: false, tail: 2, tokenId: 1, end: { code: 1000 } }]);
  });

  it('follows new lines until the caller stops', async () => {
    const { test, id } = await startRunning();
    const lines = await take(test.adapter.getLogs(id, { follow: true }), 6);
    expect(lines.map((line) => line.message)).toEqual([...initialLines, 'step 1', 'step 2', 'step 3']);
    expect(test.fake.state.logConnections).toHaveLength(1);
  });

  it('reconnects with a fresh JWT when the token expires mid-stream, without repeating lines', async () => {
    const { test, id } = await startRunning({ fake: { faults: [{ type: 'expired-token', afterLines: 4 }] } });
    const lines = await take(test.adapter.getLogs(id, { follow: true }), 8);
    expect(lines.map((line) => line.message)).toEqual([...initialLines, 'step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
    expect(test.fake.state.tokens).toHaveLength(2);
    const [first, second] = test.fake.state.logConnections;
    expect(first).toMatchObject({ tokenId: 1, linesSent: 4, end: { code: 1008, reason: 'token expired' } });
    expect(second).toMatchObject({ tokenId: 2, tail: 0, follow: true });
  });

  it('re-mints when the gateway refuses an expired token at the handshake', async () => {
    const { test, id } = await startRunning({ fake: { faults: [{ type: 'expired-token', afterLines: 0 }] } });
    const lines = await all(test.adapter.getLogs(id, { tail: 10 }));
    expect(lines.map((line) => line.message)).toEqual(initialLines);
    expect(test.fake.state.logConnections.map((connection) => [connection.tokenId, connection.tail, connection.end])).toEqual([
      [1, 10, { refusedWith: 401, reason: 'token expired' }],
      [2, 10, { code: 1000, reason: 'done' }],
    ]);
  });

  it('gives up with a non-retryable unauthorized error when a fresh token is refused too', async () => {
    const { test, id } = await startRunning({ fake: { faults: [{ type: 'expired-token', afterLines: 0, tokens: 2 }] } });
    const error = await rejectionOf(all(test.adapter.getLogs(id, { tail: 10 })));
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'unauthorized', statusCode: 401, isRetryable: false });
    expect(test.fake.state.tokens).toHaveLength(2);
  });

  it('follows the token lifetime of the fake clock: a token past its exp is closed with 1008 and replaced', async () => {
    let clock = Date.parse('2026-03-01T00:00:00Z');
    const { test, id } = await startRunning({ fake: { now: () => clock }, adapter: { jwtTtlSeconds: 60 } });
    const iterator = test.adapter.getLogs(id, { follow: true })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.message).toBe(initialLines[0]);
    clock += 61_000;
    const rest: string[] = [];
    while (rest.length < 4) rest.push((await iterator.next()).value!.message);
    await iterator.return?.();
    // The line that met the expired token is lost with the socket; numbering goes on without repeats.
    expect(rest.slice(0, 2)).toEqual([initialLines[1], initialLines[2]]);
    const steps = rest.slice(2).map((message) => Number(message.replace('step ', '')));
    expect(steps[1]! > steps[0]!).toBe(true);
    expect(test.fake.state.logConnections[0]!.end).toEqual({ code: 1008, reason: 'token expired' });
    expect(test.fake.state.tokens).toHaveLength(2);
  });

  it('reconnects after a dropped socket with the same token and tail=0', async () => {
    const { test, id } = await startRunning({ fake: { faults: [{ type: 'drop-websocket', afterLines: 4 }] } });
    const lines = await take(test.adapter.getLogs(id, { follow: true }), 6);
    expect(lines.map((line) => line.message)).toEqual([...initialLines, 'step 1', 'step 2', 'step 3']);
    expect(test.fake.state.tokens).toHaveLength(1);
    expect(test.fake.state.logConnections.map((connection) => [connection.tokenId, connection.tail, connection.end])).toEqual([
      [1, undefined, 'dropped'],
      [1, 0, undefined],
    ]);
  });

  it('without follow, a dropped socket is a retryable logs_interrupted error', async () => {
    const { test, id } = await startRunning({ fake: { faults: [{ type: 'drop-websocket', afterLines: 1 }] } });
    const error = await rejectionOf(all(test.adapter.getLogs(id, { tail: 10 })));
    expect(error).toMatchObject({ reason: 'logs_interrupted', isRetryable: true });
  });

  it('gives up after maxLogReconnects drops in a row without a line', async () => {
    const { test, id } = await startRunning({
      fake: { faults: [{ type: 'drop-websocket', afterLines: 0, times: 10 }] },
      adapter: { maxLogReconnects: 2 },
    });
    const error = await rejectionOf(all(test.adapter.getLogs(id, { follow: true })));
    expect(error).toMatchObject({ reason: 'logs_disconnected', isRetryable: true });
    expect(test.fake.state.logConnections).toHaveLength(3);
  });

  it('before the pods run, a tail read is logs_unavailable (close code 4000)', async () => {
    running = await startTestAkash({ adapter: { leaseReadyTimeoutMs: 0 } });
    const { provider_deployment_id: id } = await running.adapter.deploy(testRequest(), await firstOffer(running.adapter), { idempotency_key: 'early' });
    const error = await rejectionOf(all(running.adapter.getLogs(id, { tail: 5 })));
    expect(error).toMatchObject({ reason: 'logs_unavailable', isRetryable: true });
    expect(running.fake.state.logConnections[0]!.end).toEqual({ code: 4000, reason: 'no running pods' });
  });

  it('filters by since on the arrival time stamps', async () => {
    const { test, id } = await startRunning();
    expect(await all(test.adapter.getLogs(id, { since: '2999-01-01T00:00:00.000Z' }))).toEqual([]);
    expect(await all(test.adapter.getLogs(id, { since: '2000-01-01T00:00:00.000Z' }))).toHaveLength(3);
  });

  it('yields nothing for a closed deployment, and ends a followed stream when the deployment is closed', async () => {
    const { test, id } = await startRunning();
    const following = take(test.adapter.getLogs(id, { follow: true }), 1_000);
    while (test.fake.state.logConnections.length === 0 || test.fake.state.logConnections[0]!.linesSent < 3) await new Promise((resolve) => setTimeout(resolve, 2));
    await test.adapter.terminate(id);
    const lines = await following;
    expect(lines.slice(0, 3).map((line) => line.message)).toEqual(initialLines);
    expect(await all(test.adapter.getLogs(id, { tail: 10 }))).toEqual([]);
  });

  it('ends open streams on close()', async () => {
    const { test, id } = await startRunning();
    const iterator = test.adapter.getLogs(id, { follow: true })[Symbol.asyncIterator]();
    await iterator.next();
    const pending = (async () => {
      const rest: LogLine[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
      return rest;
    })();
    await test.adapter.close();
    expect(Array.isArray(await pending)).toBe(true);
  });
});

describe('log frames and URLs', () => {
  const lease = leaseSchema.parse({ id: { dseq: '77', gseq: 1, oseq: 2, provider: 'p' }, state: 'active' });

  it('builds the gateway WebSocket URL from the provider hostUri', () => {
    expect(logsUrl('https://provider.example.com:8443', lease, { follow: true, tail: 100 })).toBe('wss://provider.example.com:8443/lease/77/1/2/logs?follow=true&tail=100');
    expect(logsUrl('http://127.0.0.1:9000/', lease, { follow: false })).toBe('ws://127.0.0.1:9000/lease/77/1/2/logs?follow=false');
  });

  it('reads {"name","message"} frames and keeps other text as the message', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(toLogLine('{"name":"worker-abc","message":"hello\\n"}', now)).toEqual({ timestamp: '2026-05-01T12:00:00.000Z', stream: 'stdout', message: 'hello', source: 'worker-abc' });
    expect(toLogLine('plain text', now)).toEqual({ timestamp: '2026-05-01T12:00:00.000Z', stream: 'stdout', message: 'plain text' });
  });
});
