import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { defaultIonetFakeCatalog, type IonetFakeCatalog } from './ionet-fake-catalog';
import { IonetFakeFaults, type IonetFakeFault } from './ionet-fake-faults';
import { streamFakeLogs, type IonetFakeLogOptions } from './ionet-fake-logs';
import { routeFakeApi, type FakeApiAnswer } from './ionet-fake-routes';
import { defaultIonetFakeTiming, IonetFakeStore, type IonetFakeDeployment, type IonetFakeRequest, type IonetFakeTiming } from './ionet-fake-store';

/** The path io.net serves the Enterprise CaaS API under. */
export const ionetFakeBasePath = '/enterprise/v1/io-cloud/caas';

export type IonetFakeOptions = {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The key clients must send as `x-api-key`. Default `fake-ionet-key`. */
  apiKey?: string;
  timing?: IonetFakeTiming;
  /** The clock deployments progress by; default real time. Inject one to step through states. */
  clock?: { now(): number };
  catalog?: IonetFakeCatalog;
  logs?: Partial<IonetFakeLogOptions>;
  /** Called for every API request as it arrives (after it is recorded in `state.requests`). */
  onRequest?: (request: IonetFakeRequest) => void;
};

/** What a test can inspect and steer. */
export type IonetFakeState = {
  /** Deployments by io.net id (live objects). */
  readonly deployments: ReadonlyMap<string, IonetFakeDeployment>;
  /** Every API request, oldest first (the key is recorded only as sent or not). */
  readonly requests: readonly IonetFakeRequest[];
  /** A deployment's io.net status now. */
  statusOf(deploymentId: string): string | undefined;
  /** Pins a deployment to a status (any string, e.g. `unpaid`); `undefined` resumes the script. */
  forceStatus(deploymentId: string, status: string | undefined): void;
  /** A container writes a line now (the first container unless named). */
  appendLog(deploymentId: string, message: string, options?: { containerId?: string; stream?: 'stdout' | 'stderr' }): void;
  clearRequests(): void;
};

export type IonetFake = {
  /** The API base URL to give the adapter (`baseURL` or `IONET_BASE_URL`). */
  url: string;
  /** `http://host:port`. */
  origin: string;
  apiKey: string;
  /** Replaces the active faults; `null` clears them. */
  setFault(fault: IonetFakeFault | readonly IonetFakeFault[] | null): void;
  state: IonetFakeState;
  close(): Promise<void>;
};

/**
 * A local imitation of io.net's Enterprise CaaS API over real HTTP, for contract tests and local
 * development: discovery, price, deploy (with io.net's strict validation), scripted status
 * progression, containers appearing over time, per-container log streams, extend, delete, and
 * fault injection. Runs standalone (`aurora fake ionet`); nothing here depends on a test runner.
 */
export async function startIonetFake(options: IonetFakeOptions = {}): Promise<IonetFake> {
  const apiKey = options.apiKey ?? 'fake-ionet-key';
  const timing = { ...defaultIonetFakeTiming, ...options.timing };
  const store = new IonetFakeStore(options.catalog ?? defaultIonetFakeCatalog(), timing, options.clock ?? Date);
  const faults = new IonetFakeFaults();
  const logOptions: IonetFakeLogOptions = { logFormat: 'sse', logMode: 'follow', logTimestamps: false, ...options.logs };
  let origin = '';

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, { status: 500, body: { detail: `fake error: ${String(error)}` } });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/fake-workers/')) {
      return send(response, { status: 200, body: { ok: true, container_id: url.pathname.slice('/fake-workers/'.length) } });
    }
    if (!url.pathname.startsWith(`${ionetFakeBasePath}/`)) return send(response, { status: 404, body: { detail: 'Not Found' } });
    const path = url.pathname.slice(ionetFakeBasePath.length).replace(/\/+$/, '') || '/';
    const rawBody = await readBody(request);
    const record: IonetFakeRequest = {
      method,
      path,
      query: queryRecord(url.searchParams),
      apiKeySent: typeof request.headers['x-api-key'] === 'string',
    };
    store.requests.push(record);
    options.onRequest?.(record);
    const answer = (result: FakeApiAnswer) => {
      record.status = result.status;
      send(response, result);
    };

    let body: unknown;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
        record.body = body;
      } catch {
        return answer({ status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } });
      }
    }

    const slow = faults.take(['slow'], method, path);
    const wait = timing.responseDelayMs + (slow?.delayMs ?? 0);
    if (wait > 0) {
      // Stop waiting when the client gives up, so an aborted call leaves no timer behind.
      const gone = new AbortController();
      response.once('close', () => gone.abort());
      const waited = await delay(wait, true, { signal: gone.signal }).catch(() => false);
      if (!waited) return;
    }

    const fault = faults.take(['http-error', 'unauthorized', 'forbidden', 'not-found', 'rate-limited', 'server-error', 'malformed-json'], method, path);
    if (fault?.kind === 'http-error') {
      const headers = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
      return answer({ status: fault.status, body: { detail: fault.detail ?? `injected HTTP ${fault.status}` }, headers });
    }
    if (fault?.kind === 'unauthorized') return answer({ status: 401, body: { detail: 'Not authenticated' } });
    if (fault?.kind === 'forbidden') return answer({ status: 403, body: { detail: 'API key lacks access to io-cloud' } });
    if (fault?.kind === 'not-found') return answer({ status: 404, body: { detail: 'Not found' } });
    if (fault?.kind === 'rate-limited') {
      const headers = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
      return answer({ status: 429, body: { detail: 'Too many requests' }, headers });
    }
    if (fault?.kind === 'server-error') return answer({ status: fault.status ?? 500, body: { detail: 'Internal Server Error' } });

    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') return answer({ status: 401, body: { detail: 'Not authenticated' } });
    if (key !== apiKey) return answer({ status: 403, body: { detail: 'Invalid API key' } });

    if (fault?.kind === 'malformed-json') {
      record.status = 200;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"data": {"hardware": [{"hardware_id": 203, "hardware_na');
      return;
    }

    const logMatch = /^\/deployment\/([^/]+)\/log\/([^/]+)$/.exec(path);
    if (logMatch && method === 'GET') {
      const deployment = store.deployments.get(decodeURIComponent(logMatch[1]!));
      const containerId = decodeURIComponent(logMatch[2]!);
      if (!deployment || !deployment.containerIds.includes(containerId)) return answer({ status: 404, body: { detail: 'Not found' } });
      const stream = url.searchParams.get('stream') ?? 'stdout';
      if (stream !== 'stdout' && stream !== 'stderr') {
        return answer({ status: 422, body: { detail: [{ loc: ['query', 'stream'], msg: "Input should be 'stdout' or 'stderr'", type: 'enum' }] } });
      }
      record.status = 200;
      return streamFakeLogs({ ...logOptions, store, faults }, deployment, containerId, stream, response, { method, path });
    }

    const result = routeFakeApi({ store, faults, publicBase: origin }, { method, path, query: url.searchParams, body });
    answer(result ?? { status: 404, body: { detail: 'Not Found' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  const state: IonetFakeState = {
    deployments: store.deployments,
    requests: store.requests,
    statusOf: (deploymentId) => {
      const deployment = store.deployments.get(deploymentId);
      return deployment ? store.status(deployment) : undefined;
    },
    forceStatus: (deploymentId, status) => {
      const deployment = store.deployments.get(deploymentId);
      if (!deployment) throw new Error(`no fake deployment ${deploymentId}`);
      deployment.forcedStatus = status;
    },
    appendLog: (deploymentId, message, { containerId, stream = 'stdout' } = {}) => {
      const deployment = store.deployments.get(deploymentId);
      if (!deployment) throw new Error(`no fake deployment ${deploymentId}`);
      store.appendLog(deployment, containerId ?? deployment.containerIds[0]!, message, stream);
    },
    clearRequests: () => {
      store.requests.length = 0;
    },
  };

  return {
    url: `${origin}${ionetFakeBasePath}`,
    origin,
    apiKey,
    setFault: (fault) => faults.set(fault),
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, answer: FakeApiAnswer): void {
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...answer.headers });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    record[name] = values.length === 1 ? values[0]! : values;
  }
  return record;
}
