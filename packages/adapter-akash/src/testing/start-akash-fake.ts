import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleConsoleRequest, type AkashFakeRequest } from './akash-fake-console';
import { AkashFakeFaults, akashErrorBody, type AkashFakeFault } from './akash-fake-faults';
import { defaultAkashFakeProviders, type AkashFakeProvider } from './akash-fake-fixtures';
import { createAkashFakeGateway, type AkashFakeLogConnection } from './akash-fake-gateway';
import { sendJson } from './akash-fake-http';
import { AkashFakeMarket, defaultAkashFakeTiming, type AkashFakeDeployment, type AkashFakeTiming } from './akash-fake-market';
import { AkashFakeTokens, type AkashFakeToken } from './akash-fake-tokens';

export type AkashFakeOptions = {
  /** Console API port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Provider gateway port; 0 (default) picks a free one. */
  gatewayPort?: number;
  /** The `x-api-key` the fake accepts; default `akash-fake-api-key`. */
  apiKey?: string;
  timing?: AkashFakeTiming;
  /** The market; default `defaultAkashFakeProviders()`. Their `hostUri` is the fake gateway. */
  providers?: AkashFakeProvider[];
  /** USD per AKT from GET /v1/market-data; default 2.5. */
  aktUsd?: number;
  /** Lines every new lease's log starts with; `{image}` is replaced by the service image. */
  logLines?: string[];
  /** Faults active from the start. */
  faults?: AkashFakeFault[];
  /** Clock for progressions and token expiry; default `Date.now`. */
  now?: () => number;
};

/** What the fake has seen and holds, for assertions. Live views: they change as calls arrive. */
export type AkashFakeState = {
  readonly deployments: ReadonlyMap<string, AkashFakeDeployment>;
  readonly requests: readonly AkashFakeRequest[];
  readonly tokens: readonly AkashFakeToken[];
  readonly logConnections: readonly AkashFakeLogConnection[];
  /** The faults still active. */
  readonly faults: readonly AkashFakeFault[];
};

export type AkashFake = {
  /** Console API base URL, e.g. http://127.0.0.1:41234 (pass as `baseURL`). */
  url: string;
  /** The provider gateway every fake provider's `hostUri` points at. */
  providerGatewayUrl: string;
  apiKey: string;
  /** Replaces the active faults (`null` clears them). */
  setFault(fault: AkashFakeFault | readonly AkashFakeFault[] | null | undefined): void;
  addFault(fault: AkashFakeFault): void;
  clearFaults(): void;
  /** Appends a line to a deployment's lease log (followers get it at once). */
  writeLog(dseq: string, message: string): void;
  state: AkashFakeState;
  close(): Promise<void>;
};

const defaultLogLines = ['Pulling image {image}', 'Container started', 'Service ready'];

/**
 * A contract fake of the Akash Console API plus a provider gateway, over real HTTP and WebSocket
 * on loopback: discovery, deployments, bids, leases, status, JWTs and logs as
 * shared/reference/providers/akash.md describes them, with scripted progressions (`timing`) and
 * faults (`setFault`). Runs in tests and standalone (`aurora fake akash`).
 */
export async function startAkashFake(options: AkashFakeOptions = {}): Promise<AkashFake> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? 'akash-fake-api-key';
  const now = options.now ?? Date.now;
  const owner = 'akash1fakeowner0000000000000000000000000000';
  const providers = options.providers ?? defaultAkashFakeProviders();
  const aktUsd = options.aktUsd ?? 2.5;
  const faults = new AkashFakeFaults();
  faults.set(options.faults ?? []);
  const tokens = new AkashFakeTokens(owner);
  const market = new AkashFakeMarket({
    owner, providers, faults, aktUsd, now,
    timing: { ...defaultAkashFakeTiming, ...definedOnly(options.timing ?? {}) },
    logLines: options.logLines ?? defaultLogLines,
  });
  const requests: AkashFakeRequest[] = [];
  const logConnections: AkashFakeLogConnection[] = [];

  const gateway = createAkashFakeGateway({ market, faults, tokens, connections: logConnections, now, providerAddress: providers[0]?.owner ?? owner });
  const providerGatewayUrl = await listen(gateway.server, options.gatewayPort ?? 0, host);
  const consoleContext = { apiKey, market, faults, tokens, providers, aktUsd, gatewayUrl: () => providerGatewayUrl, requests, now };
  const consoleServer = createServer((request, response) => {
    handleConsoleRequest(consoleContext, request, response).catch((error: unknown) => {
      sendJson(response, 500, akashErrorBody(500, error instanceof Error ? error.message : 'fake failed'));
    });
  });
  const url = await listen(consoleServer, options.port ?? 0, host).catch(async (error: unknown) => {
    await closeServer(gateway.server);
    throw error;
  });

  return {
    url,
    providerGatewayUrl,
    apiKey,
    setFault: (fault) => faults.set(fault === null || fault === undefined ? [] : Array.isArray(fault) ? fault : [fault as AkashFakeFault]),
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.set([]),
    writeLog: (dseq, message) => market.writeLog(dseq, message),
    state: {
      deployments: market.deployments,
      requests,
      tokens: tokens.issued,
      logConnections,
      get faults() {
        return faults.list();
      },
    },
    close: async () => {
      market.close();
      gateway.close();
      await Promise.all([closeServer(consoleServer), closeServer(gateway.server)]);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
