import type { z } from 'zod';
import { ConfigurationError } from '@aurora/router';
import { fetchJson, type FetchFunction, type FetchJsonOptions, type FetchJsonResult } from './fetch-json';

export type JsonClientSettings = {
  adapterId: string;
  baseURL: string;
  /** Called per request, so API keys load lazily and can rotate. */
  headers?: () => Record<string, string | undefined>;
  fetch?: FetchFunction;
  timeoutMs?: number;
};

type CallOptions<Schema extends z.ZodType> = Omit<FetchJsonOptions<Schema>, 'adapterId' | 'url' | 'method' | 'schema' | 'body' | 'fetch'> & {
  query?: Record<string, string | number | boolean | undefined>;
};

export type JsonClient = {
  get<Schema extends z.ZodType>(path: string, schema: Schema, options: CallOptions<Schema>): Promise<FetchJsonResult<z.output<Schema>>>;
  post<Schema extends z.ZodType>(path: string, body: unknown, schema: Schema, options: CallOptions<Schema>): Promise<FetchJsonResult<z.output<Schema>>>;
  put<Schema extends z.ZodType>(path: string, body: unknown, schema: Schema, options: CallOptions<Schema>): Promise<FetchJsonResult<z.output<Schema>>>;
  delete<Schema extends z.ZodType>(path: string, schema: Schema, options: CallOptions<Schema>): Promise<FetchJsonResult<z.output<Schema>>>;
  url(path: string, query?: CallOptions<z.ZodType>['query']): string;
};

/** A small JSON client bound to one provider's base URL and auth headers. */
export function createJsonClient(settings: JsonClientSettings): JsonClient {
  const base = withoutTrailingSlash(settings.baseURL);
  const url = (path: string, query?: CallOptions<z.ZodType>['query']) => {
    const target = parseUrl(`${base}${path.startsWith('/') ? path : `/${path}`}`, settings.adapterId);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(name, String(value));
    return target.toString();
  };
  // async, so a missing API key (thrown by `headers()`) or a bad base URL rejects instead of throwing.
  const call = async <Schema extends z.ZodType>(method: FetchJsonOptions<Schema>['method'], path: string, body: unknown, schema: Schema, options: CallOptions<Schema>) =>
    fetchJson({
      ...options,
      adapterId: settings.adapterId,
      method,
      url: url(path, options.query),
      body,
      schema,
      headers: { ...settings.headers?.(), ...options.headers },
      timeoutMs: options.timeoutMs ?? settings.timeoutMs,
      fetch: settings.fetch,
    });
  return {
    get: (path, schema, options) => call('GET', path, undefined, schema, options),
    post: (path, body, schema, options) => call('POST', path, body, schema, options),
    put: (path, body, schema, options) => call('PUT', path, body, schema, options),
    delete: (path, schema, options) => call('DELETE', path, undefined, schema, options),
    url,
  };
}

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseUrl(url: string, adapterId: string): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw new ConfigurationError({ message: `${adapterId}: "${url}" is not a valid URL; check the baseURL setting`, setting: 'baseURL', cause: error });
  }
}
