import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { planFaultResponse, type AdapterFault } from '@aurora/router/testkit';
import machinesFixture from '../__fixtures__/lumen-machines.json' with { type: 'json' };

export type FakeLumenServerOptions = {
  /** The key every request must carry as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Make every request misbehave (status, slow, malformed). */
  fault?: AdapterFault;
  /** Called for every request received, before anything else. */
  onRequest?: (call: { method: string; url: string }) => void;
  /** Machines `GET /machines` knows; default the recorded fixture. */
  machines?: readonly Record<string, unknown>[];
  /** Machines someone else rents first: creating on them answers 409 `machine_taken`. */
  takenMachineIds?: readonly string[];
  /** `GET /instances/:id` reports `active` from this poll on (queued, booting before). Default 2. */
  activeAfterPolls?: number;
};

export type FakeLumenServer = {
  /** Base URL of the API, `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** Every request received, in order. */
  requests: Array<{ method: string; path: string; body: unknown }>;
  close(): Promise<void>;
};

type FakeInstance = { id: string; machineId: string; state: string; polls: number; startedAt?: string };

const logLines = [
  { ts: '2026-01-01T00:00:01.000Z', stream: 'system', text: 'container started' },
  { ts: '2026-01-01T00:00:02.000Z', stream: 'out', text: 'loading model weights' },
  { ts: '2026-01-01T00:00:03.000Z', stream: 'err', text: 'warning: falling back to fp16' },
];

/**
 * A contract fake of the Lumen GPU Cloud API on 127.0.0.1: machines, instances with a state
 * progression, logs with a cursor, terminate, health, bearer auth, and faults on request.
 */
export async function startFakeLumenServer(options: FakeLumenServerOptions): Promise<FakeLumenServer> {
  const machines = options.machines ?? (machinesFixture.machines as Record<string, unknown>[]);
  const taken = new Set(options.takenMachineIds ?? []);
  const activeAfterPolls = options.activeAfterPolls ?? 2;
  const instances = new Map<string, FakeInstance>();
  const byClientToken = new Map<string, FakeInstance>();
  const requests: FakeLumenServer['requests'] = [];
  let instanceCount = 0;

  const handle = (method: string, url: URL, body: unknown, authorization: string | undefined, response: ServerResponse): void => {
    if (authorization !== `Bearer ${options.apiKey}`) return send(response, 401, { error: { code: 'unauthorized', message: 'invalid API key' } });
    const path = url.pathname.replace(/^\/v1/, '');
    if (method === 'GET' && path === '/health') return send(response, 200, { status: 'ok' });
    if (method === 'GET' && path === '/machines') {
      const gpu = (url.searchParams.get('gpu') ?? '').toLowerCase();
      const minimum = Number(url.searchParams.get('min_gpus') ?? '1');
      const matching = machines.filter(
        (machine) => String(machine.gpu_model).toLowerCase().includes(gpu) && Number(machine.gpu_count) >= minimum,
      );
      return send(response, 200, { machines: matching });
    }
    if (method === 'POST' && path === '/instances') {
      const request = body as { machine_id?: string; client_token?: string };
      const existing = request.client_token ? byClientToken.get(request.client_token) : undefined;
      if (existing) return send(response, 200, { instance: view(existing) });
      if (!machines.some((machine) => machine.id === request.machine_id)) return send(response, 404, { error: { code: 'machine_not_found' } });
      if (taken.has(String(request.machine_id))) return send(response, 409, { error: { code: 'machine_taken', message: 'machine already rented' } });
      instanceCount += 1;
      const instance: FakeInstance = { id: `inst-${instanceCount}`, machineId: String(request.machine_id), state: 'queued', polls: 0 };
      instances.set(instance.id, instance);
      if (request.client_token) byClientToken.set(request.client_token, instance);
      return send(response, 201, { instance: view(instance) });
    }
    const match = path.match(/^\/instances\/([^/]+)(\/logs)?$/);
    const instance = match ? instances.get(decodeURIComponent(match[1]!)) : undefined;
    if (match && !instance) return send(response, 404, { error: { code: 'instance_not_found' } });
    if (instance && method === 'GET' && !match![2]) {
      advance(instance, activeAfterPolls);
      return send(response, 200, { instance: view(instance) });
    }
    if (instance && method === 'GET' && match![2]) {
      const visible = instance.state === 'queued' || instance.state === 'booting' ? [] : logLines;
      const after = url.searchParams.get('after');
      const tail = url.searchParams.get('tail');
      const start = after !== null ? Number(after) : tail !== null ? Math.max(0, visible.length - Number(tail)) : 0;
      return send(response, 200, {
        lines: visible.slice(start),
        next_cursor: String(Math.max(start, visible.length)),
        ended: instance.state === 'stopped' || instance.state === 'exited' || instance.state === 'error',
      });
    }
    if (instance && method === 'DELETE') {
      if (instance.state !== 'stopped') instance.state = 'stopping';
      return send(response, 200, { instance: view(instance) });
    }
    send(response, 404, { error: { code: 'route_not_found' } });
  };

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const method = incoming.method ?? 'GET';
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return send(response, 400, { error: { code: 'invalid_json' } });
      }
      requests.push({ method, path: url.pathname, body });
      options.onRequest?.({ method, url: url.toString() });

      const plan = planFaultResponse(options.fault);
      const answer = () => {
        if (plan.response) {
          response.writeHead(plan.response.status, plan.response.headers);
          response.end(plan.response.body);
          return;
        }
        handle(method, url, body, incoming.headers.authorization, response);
      };
      if (plan.delayMs <= 0) return answer();
      const timer = setTimeout(answer, plan.delayMs);
      // The client gave up (aborted): do not answer into a closed socket.
      response.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function advance(instance: FakeInstance, activeAfterPolls: number): void {
  instance.polls += 1;
  if (instance.state === 'stopping') instance.state = 'stopped';
  else if (instance.state === 'queued' || instance.state === 'booting') {
    if (instance.polls >= activeAfterPolls) {
      instance.state = 'active';
      instance.startedAt = '2026-01-01T00:00:00.000Z';
    } else instance.state = 'booting';
  }
}

function view(instance: FakeInstance) {
  return {
    id: instance.id,
    state: instance.state,
    public_url: instance.state === 'active' ? `https://${instance.id}.lumen-gpu.example` : null,
    started_at: instance.startedAt ?? null,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
