import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProviderAdapter } from '@aurora/router';
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from '../app';
import type { Environment } from '../config/environment-overrides';
import { resolveServerConfig } from '../config/resolve-server-config';
import type { ServerConfig } from '../config/server-config';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';

export type TestServerOptions = {
  /** router.yaml content (as parsed YAML). Background loops are off unless it turns them on. */
  router?: Record<string, unknown>;
  providersConfig?: Record<string, unknown>;
  environment?: Environment;
  adapters?: ProviderAdapter[];
  /** A ledger to use (not closed by the server); default a fresh SQLite file in a temp dir. */
  store?: DeploymentStore;
  directory?: string;
  clock?: { now(): number };
  startBackground?: boolean;
  buildOptions?: Partial<BuildServerOptions>;
};

export type TestServer = {
  app: FastifyInstance;
  url: string;
  config: ServerConfig;
  store: DeploymentStore;
  directory: string;
  request(method: string, urlPath: string, init?: { body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
};

export type TestResponse = { status: number; headers: Headers; body: any; text: string };

/** A server on a free loopback port with its own SQLite ledger in a temp directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), 'aurora-server-test-')));
  const ownsDirectory = options.directory === undefined;
  const router = { background: { enabled: false }, server: { log_level: 'silent' }, ...options.router };
  const config = resolveServerConfig({
    router: { content: router, name: 'router.yaml' },
    ...(options.providersConfig ? { providers: { content: options.providersConfig, name: 'providers.yaml' } } : {}),
    environment: options.environment ?? {},
    workingDirectory: directory,
  });
  const store = options.store ?? createSqliteStore({ path: path.join(directory, 'ledger.db') });
  const app = await buildServer({
    config,
    environment: options.environment ?? {},
    store,
    logger: false,
    ...(options.adapters ? { providers: options.adapters } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.startBackground !== undefined ? { startBackground: options.startBackground } : {}),
    ...options.buildOptions,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  let closed = false;
  return {
    app,
    url,
    config,
    store,
    directory,
    async request(method, urlPath, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${urlPath}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (!options.store) await store.close();
      if (ownsDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The example request. */
export const exampleRouteRequest = {
  workload_type: 'llm_inference',
  gpu_type: 'a100',
  region: 'us-west',
  gpu_hours: 2,
  max_price: 3,
} as const;
