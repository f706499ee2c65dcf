import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildServer } from './app';
import { assertListenAllowed } from './config/assert-listen-allowed';
import type { Environment } from './config/environment-overrides';
import { loadServerConfig } from './config/load-server-config';
import type { ServerConfig } from './config/server-config';

export type StartServerOptions = {
  /**
   * Directory with router.yaml and providers.yaml. Default: `AURORA_CONFIG_DIR`, else `./config`
   * when it exists, else the built-in defaults.
   */
  configDirectory?: string;
  /** `AURORA_*` overrides and provider credentials. Default `process.env`. */
  environment?: Environment;
  /** Default the working directory of the process. */
  workingDirectory?: string;
  logger?: FastifyBaseLogger | false;
};

export type RunningServer = {
  app: FastifyInstance;
  config: ServerConfig;
  /** `http://127.0.0.1:8080` */
  url: string;
  /**
   * Graceful shutdown: stops accepting connections, lets requests in flight finish (up to
   * `server.shutdown_timeout_ms`, then cuts them), stops the background loops, closes the ledger
   * and the adapters. Idempotent.
   */
  close(): Promise<void>;
};

/** Loads the configuration, builds the server and listens. Used by `aurora serve` and `pnpm start`. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const environment = options.environment ?? process.env;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const configDirectory = options.configDirectory ?? (await defaultConfigDirectory(environment, workingDirectory));
  const config = await loadServerConfig({
    environment,
    workingDirectory,
    ...(configDirectory !== undefined ? { configDirectory } : {}),
  });
  const { host, port } = config.router.server;
  assertListenAllowed(host, config.apiKeys.length);

  const app = await buildServer({ config, environment, ...(options.logger !== undefined ? { logger: options.logger } : {}) });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  app.log.info({ url, ledger: config.databaseUrl ? 'postgres' : config.sqlitePath, auth: config.apiKeys.length > 0 }, 'aurora server listening');

  let closing: Promise<void> | undefined;
  return {
    app,
    config,
    url,
    close() {
      closing ??= closeGracefully(app, config.router.server.shutdown_timeout_ms);
      return closing;
    },
  };
}

async function closeGracefully(app: FastifyInstance, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => {
    app.log.warn(`requests still running after ${timeoutMs} ms; closing their connections`);
    app.server.closeAllConnections();
  }, timeoutMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

async function defaultConfigDirectory(environment: Environment, workingDirectory: string): Promise<string | undefined> {
  const named = environment.AURORA_CONFIG_DIR?.trim();
  if (named) return named;
  const candidate = path.join(workingDirectory, 'config');
  const stats = await stat(candidate).catch(() => undefined);
  return stats?.isDirectory() ? candidate : undefined;
}
