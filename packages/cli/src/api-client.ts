import { CliError, type CliContext } from './cli-context';

export type ApiClient = {
  readonly baseUrl: string;
  request<T>(method: string, path: string, options?: { body?: unknown; query?: Record<string, string | number | boolean | undefined>; headers?: Record<string, string>; signal?: AbortSignal }): Promise<T>;
  stream(path: string, query: Record<string, string | number | boolean | undefined>, signal: AbortSignal): Promise<Response>;
};

const defaultUrl = 'http://127.0.0.1:8080';

/** A client for the Aurora server at AURORA_URL, authenticated with AURORA_API_KEY when set. */
export function createApiClient(context: CliContext, urlOverride?: string): ApiClient {
  const baseUrl = (urlOverride ?? context.environment.AURORA_URL ?? defaultUrl).replace(/\/+$/, '');
  const apiKey = context.environment.AURORA_API_KEY;
  const headersFor = (extra?: Record<string, string>): Record<string, string> => ({
    accept: 'application/json',
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    ...extra,
  });
  const urlFor = (path: string, query?: Record<string, string | number | boolean | undefined>) => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  };
  const send = async (method: string, url: URL, init: RequestInit): Promise<Response> => {
    try {
      return await context.fetch(url, { method, ...init });
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw new CliError(`cannot reach the Aurora server at ${baseUrl} (${(error as Error).cause ? String((error as Error & { cause: { code?: string } }).cause.code ?? (error as Error).message) : (error as Error).message}); set AURORA_URL or start it with \`aurora serve\``);
    }
  };
  return {
    baseUrl,
    async request<T>(method: string, path: string, options: { body?: unknown; query?: Record<string, string | number | boolean | undefined>; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
      const hasBody = options.body !== undefined;
      const response = await send(method, urlFor(path, options.query), {
        headers: headersFor({ ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers }),
        body: hasBody ? JSON.stringify(options.body) : undefined,
        signal: options.signal,
      });
      const text = await response.text();
      const json = text === '' ? undefined : safeJson(text);
      if (!response.ok) throw new CliError(describeApiError(response.status, json, text));
      return json as T;
    },
    async stream(path, query, signal) {
      const response = await send('GET', urlFor(path, query), { headers: headersFor({ accept: 'text/event-stream' }), signal });
      if (!response.ok) {
        const text = await response.text();
        throw new CliError(describeApiError(response.status, safeJson(text), text));
      }
      return response;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "HTTP 400 AURORA_ERR_INVALID_ARGUMENT: gpu_type: unknown GPU type "x"" on one line. */
export function describeApiError(status: number, json: unknown, text: string): string {
  const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (error?.message) return `HTTP ${status}${error.code ? ` ${error.code}` : ''}: ${error.message.replace(/\s+/g, ' ')}`;
  const body = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  return `HTTP ${status}${body ? `: ${body}` : ''}`;
}
