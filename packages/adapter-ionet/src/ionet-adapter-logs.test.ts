import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, offerSchema, type LogLine } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { createIonet } from './index';
import { startIonetFake, type IonetFake, type IonetFakeOptions } from './testing/index';

const start = Date.parse('2026-03-01T12:00:00.000Z');
let fakes: IonetFake[] = [];

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

/** A running deployment on a fake with a manual clock: 8 scripted lines, one per 100 ms of fake time. */
async function runningDeployment(options: IonetFakeOptions = {}, logs: { idleTimeoutMs?: number } = {}) {
  const clock = { time: start, now: () => clock.time, advance: (ms: number) => void (clock.time += ms) };
  const fake = await startIonetFake({
    ...options,
    clock,
    timing: { provisioningMs: 1_000, workerReadyMs: 1_000, logIntervalMs: 100, logLinesPerContainer: 8, logPollMs: 5, ...options.timing },
  });
  fakes.push(fake);
  const adapter = createIonet({ baseURL: fake.url, apiKey: fake.apiKey, environment: {}, clock, logs: { idleTimeoutMs: 100, reconnectDelayMs: 5, ...logs } });
  const request = createRoutingRequest({ gpu_type: 'h100', image: 'busybox' });
  const offer = offerSchema.parse((await adapter.listOffers(request)).offers[0]);
  const { provider_deployment_id: id } = await adapter.deploy(request, offer, { idempotency_key: `logs-${fakes.length}` });
  clock.advance(2_000);
  const deployment = [...fake.state.deployments.values()][0]!;
  return { fake, adapter, clock, id, deployment, containerId: deployment.containerIds[0]! };
}

async function collect(lines: AsyncIterable<LogLine>, until?: (line: LogLine, all: LogLine[]) => boolean): Promise<LogLine[]> {
  const collected: LogLine[] = [];
  for await (const line of lines) {
    collected.push(line);
    if (until?.(line, collected)) break;
  }
  return collected;
}

const output = (lines: LogLine[]) => lines.filter((line) => line.stream !== 'system').map((line) => line.message);

describe('getLogs against the fake', () => {
  it('reads each container stream, tags lines with the container id, and adds container events', async () => {
    const { adapter, fake, clock, id, deployment, containerId } = await runningDeployment({ logs: { logMode: 'snapshot' } });
    clock.advance(250);
    fake.state.appendLog(deployment.id, 'CUDA warning', { stream: 'stderr' });
    const lines = await collect(adapter.getLogs(id));
    expect(lines.filter((line) => line.stream === 'system').map((line) => line.message)).toEqual(['Deployment requested', `Pulling image busybox`, 'Container started']);
    expect(lines.filter((line) => line.stream === 'stdout').map((line) => line.message)).toEqual([1, 2, 3].map((n) => `line ${n} from ${containerId}`));
    expect(lines.filter((line) => line.stream === 'stderr').map((line) => line.message)).toEqual(['CUDA warning']);
    expect(new Set(lines.map((line) => line.source))).toEqual(new Set([containerId]));
    const streams = fake.state.requests.filter((request) => request.path.includes('/log/')).map((request) => request.query.stream);
    expect(streams.sort()).toEqual(['stderr', 'stdout']);
  });

  it('reads SSE-framed and plain-text streams alike', async () => {
    const sse = await runningDeployment({ logs: { logMode: 'snapshot', logFormat: 'sse' } });
    const plain = await runningDeployment({ logs: { logMode: 'snapshot', logFormat: 'plain' } });
    const sseLines = output(await collect(sse.adapter.getLogs(sse.id)));
    const plainLines = output(await collect(plain.adapter.getLogs(plain.id)));
    expect(sseLines).toEqual(['line 1 from ' + sse.containerId]);
    expect(plainLines).toEqual(['line 1 from ' + plain.containerId]);
  });

  it('without follow, ends a stream that stays open once it is idle, even with SSE keep-alive pings', async () => {
    const { adapter, clock, id } = await runningDeployment({ logs: { logMode: 'follow' }, timing: { logPingMs: 10 } });
    clock.advance(150);
    expect(output(await collect(adapter.getLogs(id)))).toHaveLength(2);
  });

  it('uses the timestamps lines carry, for since and tail', async () => {
    const { adapter, clock, id, containerId } = await runningDeployment({ logs: { logMode: 'snapshot', logTimestamps: true } });
    clock.advance(700);
    const all = await collect(adapter.getLogs(id, { tail: 100 }));
    expect(all.filter((line) => line.stream === 'stdout').map((line) => line.timestamp).slice(0, 2)).toEqual(['2026-03-01T12:00:02.000Z', '2026-03-01T12:00:02.100Z']);
    const recent = await collect(adapter.getLogs(id, { since: '2026-03-01T12:00:02.450Z' }));
    expect(output(recent)).toEqual([6, 7, 8].map((n) => `line ${n} from ${containerId}`));
    expect(output(await collect(adapter.getLogs(id, { tail: 2 })))).toEqual([7, 8].map((n) => `line ${n} from ${containerId}`));
  });

  it('with follow, delivers lines as the container writes them until aborted', async () => {
    const { adapter, clock, id, containerId } = await runningDeployment({ logs: { logMode: 'follow' } });
    const controller = new AbortController();
    const lines = adapter.getLogs(id, { follow: true, signal: controller.signal });
    const seen = await collect(lines, (line) => {
      if (line.message === `line 1 from ${containerId}`) clock.advance(200);
      if (line.message === `line 3 from ${containerId}`) controller.abort();
      return false;
    });
    expect(output(seen)).toEqual([1, 2, 3].map((n) => `line ${n} from ${containerId}`));
  });

  it('with follow, reconnects after the server closes early and skips the replayed lines', async () => {
    const { adapter, fake, clock, id, containerId } = await runningDeployment({ logs: { logMode: 'follow' } });
    clock.advance(700);
    fake.setFault({ kind: 'log-early-close', afterLines: 3, path: /\/log\//, times: 2 });
    const controller = new AbortController();
    const seen = await collect(adapter.getLogs(id, { follow: true, signal: controller.signal }), (line, all) => output(all).length === 8);
    expect(output(seen)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `line ${n} from ${containerId}`));
    controller.abort();
    const stdoutConnections = fake.state.requests.filter((request) => request.path.includes('/log/') && request.query.stream === 'stdout');
    expect(stdoutConnections.length).toBeGreaterThanOrEqual(2);
  });

  it('with follow, survives an abrupt connection reset', async () => {
    const { adapter, fake, clock, id, containerId } = await runningDeployment({ logs: { logMode: 'follow' } });
    clock.advance(700);
    fake.setFault({ kind: 'log-early-close', afterLines: 2, abrupt: true, path: /\/log\//, times: 1 });
    const seen = await collect(adapter.getLogs(id, { follow: true }), (line, all) => output(all).length === 8);
    expect(output(seen)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `line ${n} from ${containerId}`));
  });

  it('with follow, ends by itself when the deployment is finished', async () => {
    const { adapter, clock, id } = await runningDeployment({ logs: { logMode: 'snapshot' } });
    await adapter.terminate(id);
    clock.advance(10_000);
    const lines = await collect(adapter.getLogs(id, { follow: true }));
    expect(output(lines).length).toBeGreaterThan(0);
  });

  it('reads a slow drip without cutting it off', async () => {
    const { adapter, fake, clock, id } = await runningDeployment({ logs: { logMode: 'snapshot' } }, { idleTimeoutMs: 500 });
    clock.advance(700);
    fake.setFault({ kind: 'log-slow-drip', intervalMs: 20 });
    expect(output(await collect(adapter.getLogs(id)))).toHaveLength(8);
  });

  it('rejects with a 404 AdapterCallError for an unknown deployment', async () => {
    const { adapter } = await runningDeployment();
    const error = await collect(adapter.getLogs('ionet:unknown')).catch((caught: unknown) => caught);
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
  });
});
