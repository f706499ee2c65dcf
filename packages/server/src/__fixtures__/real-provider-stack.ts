import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAkashFake, type AkashFake, type AkashFakeOptions } from '@aurora/adapter-akash/testing';
import { startIonetFake, type IonetFake, type IonetFakeOptions } from '@aurora/adapter-ionet/testing';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { buildServer } from '../app';
import { loadServerConfig } from '../config/load-server-config';
import { knownProviderIds } from '../providers/known-providers';

export type RealProviderStackOptions = {
  /** router.yaml content, merged over the stack's fast defaults (one level deep). */
  router?: Record<string, Record<string, unknown>>;
  /** providers.yaml entries for akash and ionet, merged over `{ enabled: true, api_url: <fake> }`. */
  providers?: { akash?: Record<string, unknown>; ionet?: Record<string, unknown> };
  /** The credentials and tuning the server gets; default `AKASH_API_KEY` and `IONET_API_KEY`. */
  environment?: (fakes: { akash: AkashFake; ionet: IonetFake; directory: string }) => Record<string, string> | Promise<Record<string, string>>;
  akashFake?: AkashFakeOptions;
  ionetFake?: IonetFakeOptions;
};

export type StackResponse = { status: number; headers: Headers; body: any; text: string };

export type RealProviderStack = {
  akash: AkashFake;
  ionet: IonetFake;
  app: FastifyInstance;
  url: string;
  directory: string;
  /** Every line the server logged (pino JSON). */
  logLines: string[];
  /** Every answer the server gave through `request` and `readEvents`: status line, headers and body. */
  transcript: string[];
  request(method: string, urlPath: string, init?: { body?: unknown; headers?: Record<string, string> }): Promise<StackResponse>;
  /** Reads a Server-Sent Events stream until `enough` says so (or it ends); returns the events read. */
  readEvents(urlPath: string, enough: (events: ServerSentEvent[]) => boolean): Promise<ServerSentEvent[]>;
  close(): Promise<void>;
};

export type ServerSentEvent = { event: string; data: any };

/** Fast timings: the fakes and the Akash adapter step every few tens of milliseconds. */
export const fastAkashFakeTiming = {
  bidsAfterMs: 0, bidsAfterPolls: 0, leaseStatusAfterMs: 0, leaseStatusAfterPolls: 0,
  leaseReadyAfterMs: 0, leaseReadyAfterPolls: 1, logLineIntervalMs: 50,
} as const;
export const fastIonetFakeTiming = { provisioningMs: 100, workerReadyMs: 100, logIntervalMs: 20, logLinesPerContainer: 4, terminationMs: 100 } as const;
export const fastAkashTuning = {
  AKASH_POLL_INTERVAL_MS: '50', AKASH_BID_WINDOW_MS: '0', AKASH_BID_TIMEOUT_MS: '1000', AKASH_LEASE_READY_TIMEOUT_MS: '1000',
} as const;

/** An inference request both real-adapter fakes can place (io.net and Akash offer H100s in eu-central). */
export const inferenceRouteRequest = {
  workload_type: 'llm_inference',
  gpu_type: 'h100',
  region: 'eu-central',
  gpu_hours: 1,
  image: 'ghcr.io/example/inference-worker:1.4.2',
  ports: [8000],
} as const;

/** A key that is easy to search for and appears nowhere else by chance. */
export function uniqueSecret(label: string): string {
  return `${label}-${randomBytes(12).toString('hex')}`;
}

/**
 * Both provider fakes on free loopback ports, and the server built from a config directory whose
 * providers.yaml enables only akash and ionet, pointed at the fakes, with a fresh SQLite ledger.
 * Credentials reach the server the way they do in production: environment or secret files.
 */
export async function startRealProviderStack(options: RealProviderStackOptions = {}): Promise<RealProviderStack> {
  const directory = await mkdtemp(path.join(tmpdir(), 'aurora-real-providers-'));
  const akash = await startAkashFake({ apiKey: uniqueSecret('akash-key'), timing: fastAkashFakeTiming, ...options.akashFake });
  const ionet = await startIonetFake({ apiKey: uniqueSecret('ionet-key'), timing: fastIonetFakeTiming, ...options.ionetFake });
  const closeFakes = () => Promise.all([akash.close(), ionet.close()]);

  const logLines: string[] = [];
  const transcript: string[] = [];
  let app: FastifyInstance;
  try {
    const routerConfig = mergeSections(
      {
        server: { log_level: 'debug', request_logging: true },
        ledger: { sqlite_path: 'ledger.db' },
        limits: { deploy_timeout_ms: 10_000, route_deadline_ms: 20_000, idempotency_wait_ms: 30_000 },
        background: { reconcile_grace_period_ms: 30_000 },
      },
      options.router ?? {},
    );
    const providers: Record<string, unknown> = Object.fromEntries(knownProviderIds.map((id) => [id, { enabled: false }]));
    providers.akash = { enabled: true, api_url: akash.url, ...options.providers?.akash };
    providers.ionet = { enabled: true, api_url: ionet.url, ...options.providers?.ionet };
    await writeFile(path.join(directory, 'router.yaml'), stringify(routerConfig));
    await writeFile(path.join(directory, 'providers.yaml'), stringify({ providers }));

    const environment = (await options.environment?.({ akash, ionet, directory })) ?? {
      AKASH_API_KEY: akash.apiKey,
      IONET_API_KEY: ionet.apiKey,
      ...fastAkashTuning,
    };
    const config = await loadServerConfig({ configDirectory: directory, environment, workingDirectory: directory });
    app = await buildServer({ config, environment, logDestination: { write: (line) => void logLines.push(line) } });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await closeFakes();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const record = (method: string, urlPath: string, response: Response, text: string) => {
    transcript.push(`${method} ${urlPath} -> ${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${text}`);
  };

  let closed = false;
  return {
    akash,
    ionet,
    app,
    url,
    directory,
    logLines,
    transcript,
    async request(method, urlPath, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${urlPath}`, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
      const text = await response.text();
      record(method, urlPath, response, text);
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, headers: response.headers, body, text };
    },
    async readEvents(urlPath, enough) {
      const controller = new AbortController();
      const response = await fetch(`${url}${urlPath}`, { signal: controller.signal });
      const events: ServerSentEvent[] = [];
      let raw = '';
      let buffer = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body!) {
          const text = decoder.decode(chunk, { stream: true });
          raw += text;
          buffer += text;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
          }
          if (enough(events)) break;
        }
      } finally {
        controller.abort();
        record('GET', urlPath, response, raw);
      }
      return events;
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await closeFakes();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function mergeSections(
  base: Record<string, Record<string, unknown>>,
  overrides: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const merged = { ...base };
  for (const [section, values] of Object.entries(overrides)) merged[section] = { ...merged[section], ...values };
  return merged;
}
