import type { FetchFunction } from '@aurora/adapter-utils';

/** The documented Enterprise CaaS base; `IONET_BASE_URL` or `baseURL` override it (e.g. the contract fake). */
export const defaultIonetBaseURL = 'https://api.io.solutions/enterprise/v1/io-cloud/caas';

export type IonetLogSettings = {
  /** A stream silent this long counts as caught up (non-follow reads end there). Default 2000. */
  idleTimeoutMs?: number;
  /** Wait before reopening a stream that ended or broke while following. Default 1000; doubles per failure up to 30 s. */
  reconnectDelayMs?: number;
  /** Consecutive failed reconnects before following gives up with the last error. Default 5. */
  maxConsecutiveFailures?: number;
  /** Which streams to read per container. Default both. */
  streams?: ReadonlyArray<'stdout' | 'stderr'>;
  /** Emit each container's `container_events` (image pull, start, ...) as `system` lines. Default true. */
  includeContainerEvents?: boolean;
  /** While following, how often to look for containers when none exist yet. Default 5000. */
  workerPollMs?: number;
};

export type IonetAdapterSettings = {
  /** IO Cloud API key (project io-cloud). Default: `IONET_API_KEY`, or the file named by `IONET_API_KEY_FILE`. */
  apiKey?: string;
  /** Default: `IONET_BASE_URL`, else `https://api.io.solutions/enterprise/v1/io-cloud/caas`. */
  baseURL?: string;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** The fetch implementation; the seam for tests and middleware. */
  fetch?: FetchFunction;
  /** Per-call timeout in ms (log streams: until the headers arrive). Default 30000. */
  timeoutMs?: number;
  /** Provider id; default `ionet`. */
  name?: string;
  /** Where env settings are read from, lazily; default `process.env`. */
  environment?: Record<string, string | undefined>;
  /** Reputation (0-100) given to every io.net offer; io.net publishes no per-host score. Default 80. */
  reputation?: number;
  /** `estimated_latency_ms` of every offer; io.net publishes no latency. Default 150. */
  estimatedLatencyMs?: number;
  /** At most this many `/price` calls per `listOffers` (one per hardware x location). Default 12. */
  maxPriceQuotes?: number;
  /** Concurrent discovery calls per `listOffers`. Default 4. */
  quoteConcurrency?: number;
  /** Hours to prepay when the request has no `gpu_hours`. Default 1. */
  defaultDurationHours?: number;
  /** `traffic_port` when the request has no `ports` (io.net requires one HTTP port). Default 8000. */
  defaultTrafficPort?: number;
  /** Image when the request has none; without either, `deploy` rejects the request. */
  defaultImage?: string;
  /** Env variable names sent as `secret_env_variables` (hidden in io.net's answers). Default: names with TOKEN, SECRET, PASSWORD, KEY or CREDENTIAL. */
  secretEnvPattern?: RegExp;
  logs?: IonetLogSettings;
  clock?: { now(): number };
};

export const ionetDefaults = {
  name: 'ionet',
  timeoutMs: 30_000,
  reputation: 80,
  estimatedLatencyMs: 150,
  maxPriceQuotes: 12,
  quoteConcurrency: 4,
  defaultDurationHours: 1,
  defaultTrafficPort: 8000,
  secretEnvPattern: /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i,
  logs: {
    idleTimeoutMs: 2_000,
    reconnectDelayMs: 1_000,
    maxConsecutiveFailures: 5,
    streams: ['stdout', 'stderr'] as ReadonlyArray<'stdout' | 'stderr'>,
    includeContainerEvents: true,
    workerPollMs: 5_000,
  },
} as const;
