import { loadApiKey, loadOptionalSetting, withoutTrailingSlash, type FetchFunction } from '@aurora/adapter-utils';
import { LumenAdapter } from './lumen-adapter';
import { VERSION } from './version';

export type LumenAdapterSettings = {
  /** Default: `LUMEN_BASE_URL`, else `https://api.lumen-gpu.example/v1`. */
  baseURL?: string;
  /** Default: `LUMEN_API_KEY`, or the file named by `LUMEN_API_KEY_FILE`; read at the first call. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** The seam for tests and middleware. */
  fetch?: FetchFunction;
  /** Provider id in offers and metrics. Default `lumen`. */
  name?: string;
  /** Per-request timeout. Default 15 000 ms. */
  timeoutMs?: number;
  /** How often `getLogs({ follow: true })` asks for new lines. Default 2 000 ms. */
  logPollIntervalMs?: number;
};

const defaultBaseURL = 'https://api.lumen-gpu.example/v1';

/**
 * A Lumen GPU Cloud adapter. Construction reads nothing: the API key and base URL load on the
 * first call, so `createLumen()` is safe at import time and a missing key fails that call with
 * `ConfigurationError`.
 */
export function createLumen(settings: LumenAdapterSettings = {}): LumenAdapter {
  return new LumenAdapter({
    name: settings.name ?? 'lumen',
    baseURL: () =>
      withoutTrailingSlash(
        loadOptionalSetting({ value: settings.baseURL, environmentVariableName: 'LUMEN_BASE_URL', description: 'Lumen base URL' }) ?? defaultBaseURL,
      ),
    headers: () => ({
      ...settings.headers,
      authorization: `Bearer ${loadApiKey({ value: settings.apiKey, environmentVariableName: 'LUMEN_API_KEY', description: 'Lumen API key' })}`,
      'user-agent': `aurora-adapter-lumen/${VERSION}`,
    }),
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs ?? 15_000,
    logPollIntervalMs: settings.logPollIntervalMs ?? 2_000,
  });
}

/** A default instance; safe because nothing is read until it is used. */
export const lumen: LumenAdapter = createLumen();
