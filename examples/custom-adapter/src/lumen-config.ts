import type { FetchFunction } from '@aurora/adapter-utils';

/** What the adapter needs, resolved lazily: `baseURL()` and `headers()` run at call time. */
export type LumenConfig = {
  name: string;
  baseURL: () => string;
  headers: () => Record<string, string | undefined>;
  fetch?: FetchFunction;
  timeoutMs: number;
  logPollIntervalMs: number;
};
