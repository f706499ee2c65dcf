import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterCallError, AuroraError, ConfigurationError, InvalidResponseDataError } from '@aurora/router';
import { fetchJson } from './fetch-json';
import { closedPort, sendJson, startLocalHttpServer, type LocalHttpServer } from './__fixtures__/local-http-server';

const offersSchema = z.object({ offers: z.array(z.object({ id: z.string(), price: z.number() })) });

let server: LocalHttpServer;

beforeAll(async () => {
  server = await startLocalHttpServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const path = url.pathname;
    if (path === '/offers') return sendJson(response, 200, { offers: [{ id: 'o-1', price: 1.5 }] });
    if (path === '/echo') return sendJson(response, 200, { method: request.method, headers: request.headers, body: request.body });
    if (path.startsWith('/status/')) {
      const status = Number(path.slice('/status/'.length));
      const headers: Record<string, string> = {};
      for (const name of ['retry-after', 'retry-after-ms']) {
        const value = url.searchParams.get(name);
        if (value !== null) headers[name] = value;
      }
      return sendJson(response, status, { error: { message: `status ${status}` } }, headers);
    }
    if (path === '/long-error') return sendJson(response, 500, { error: 'x'.repeat(5_000) });
    if (path === '/malformed') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end('{"offers": [ {"id": "o-1"');
    }
    if (path === '/html-error') {
      response.writeHead(502, { 'content-type': 'text/html' });
      return response.end('<html><body>Bad gateway</body></html>');
    }
    if (path === '/wrong-shape') return sendJson(response, 200, { offers: [{ id: 7 }] });
    if (path === '/empty') {
      response.writeHead(204);
      return response.end();
    }
    if (path === '/hang') return; // never answers
    if (path === '/stall-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"offers": [');
      return; // headers sent, body never finishes
    }
    sendJson(response, 404, { error: 'no such route' });
  });
});

afterAll(async () => {
  await server.close();
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}

const base = { adapterId: 'lumen', operation: 'list_offers' };

describe('fetchJson', () => {
  it('parses a JSON answer with the schema and returns status and headers', async () => {
    const result = await fetchJson({ ...base, url: `${server.url}/offers`, schema: offersSchema });
    expect(result.value).toEqual({ offers: [{ id: 'o-1', price: 1.5 }] });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json');
  });

  it('sends the method, JSON body, accept header and custom headers, dropping undefined ones', async () => {
    const echo = z.object({ method: z.string(), headers: z.record(z.string(), z.string()), body: z.string() });
    const { value } = await fetchJson({
      ...base,
      operation: 'deploy',
      url: `${server.url}/echo`,
      method: 'POST',
      body: { image: 'vllm', gpus: 2 },
      headers: { authorization: 'Bearer k', 'x-absent': undefined },
      schema: echo,
    });
    expect(value.method).toBe('POST');
    expect(JSON.parse(value.body)).toEqual({ image: 'vllm', gpus: 2 });
    expect(value.headers['content-type']).toBe('application/json');
    expect(value.headers.accept).toBe('application/json');
    expect(value.headers.authorization).toBe('Bearer k');
    expect(value.headers).not.toHaveProperty('x-absent');
  });

  it('sends no body and no content-type on a GET', async () => {
    await fetchJson({ ...base, url: `${server.url}/echo`, schema: z.unknown() });
    const request = server.requests.at(-1)!;
    expect(request.body).toBe('');
    expect(request.headers['content-type']).toBeUndefined();
  });

  it.each([
    [400, false], [401, false], [403, false], [404, false], [422, false],
    [408, true], [409, true], [425, true], [429, true], [500, true], [502, true], [503, true], [504, true],
  ])('HTTP %i -> AdapterCallError with isRetryable %s', async (status, retryable) => {
    const url = `${server.url}/status/${status}`;
    const error = await rejectionOf(fetchJson({ ...base, url, schema: z.unknown() }));
    expect(AdapterCallError.isInstance(error)).toBe(true);
    const callError = error as AdapterCallError;
    expect(callError.statusCode).toBe(status);
    expect(callError.isRetryable).toBe(retryable);
    expect(callError.url).toBe(url);
    expect(callError.adapterId).toBe('lumen');
    expect(callError.operation).toBe('list_offers');
    expect(callError.reason).toBe(`http_${status}`);
    expect(callError.responseBody).toContain(`status ${status}`);
    expect(callError.message).toContain(`HTTP ${status}`);
    expect(callError.code).toBe('AURORA_ERR_ADAPTER_CALL');
  });

  it('keeps only the first 2000 characters of a long error body', async () => {
    const error = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/long-error`, schema: z.unknown() }))) as AdapterCallError;
    expect(error.responseBody).toHaveLength(2_000);
    expect(error.message.length).toBeLessThan(400);
  });

  it('reports a non-JSON error page as an AdapterCallError with its status', async () => {
    const error = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/html-error`, schema: z.unknown() }))) as AdapterCallError;
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error.statusCode).toBe(502);
    expect(error.isRetryable).toBe(true);
    expect(error.responseBody).toContain('Bad gateway');
  });

  describe('Retry-After', () => {
    it('reads Retry-After in seconds', async () => {
      const error = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/status/429?retry-after=7`, schema: z.unknown() }))) as AdapterCallError;
      expect(error.retryAfterMs).toBe(7_000);
      expect(error.details.retry_after_ms).toBe(7_000);
    });

    it('reads Retry-After as an HTTP date', async () => {
      const date = new Date(Date.now() + 60_000).toUTCString();
      const url = `${server.url}/status/503?retry-after=${encodeURIComponent(date)}`;
      const error = (await rejectionOf(fetchJson({ ...base, url, schema: z.unknown() }))) as AdapterCallError;
      // HTTP dates have one-second resolution and the clock moves between the two calls.
      expect(error.retryAfterMs).toBeGreaterThan(55_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('prefers retry-after-ms over retry-after', async () => {
      const url = `${server.url}/status/429?retry-after=7&retry-after-ms=1500`;
      const error = (await rejectionOf(fetchJson({ ...base, url, schema: z.unknown() }))) as AdapterCallError;
      expect(error.retryAfterMs).toBe(1_500);
    });

    it('leaves retryAfterMs undefined without the header', async () => {
      const error = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/status/429`, schema: z.unknown() }))) as AdapterCallError;
      expect(error.retryAfterMs).toBeUndefined();
    });
  });

  describe('failover scope', () => {
    it('blocks the whole provider on 429 and only the offer on 503 by default', async () => {
      const rateLimited = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/status/429`, schema: z.unknown() }))) as AdapterCallError;
      const unavailable = (await rejectionOf(fetchJson({ ...base, url: `${server.url}/status/503`, schema: z.unknown() }))) as AdapterCallError;
      expect(rateLimited.scope).toBe('provider');
      expect(unavailable.scope).toBe('offer');
    });

    it('lets the adapter choose the scope per status', async () => {
      const error = (await rejectionOf(
        fetchJson({ ...base, url: `${server.url}/status/503`, schema: z.unknown(), scopeForStatus: (status) => (status === 503 ? 'provider' : undefined) }),
      )) as AdapterCallError;
      expect(error.scope).toBe('provider');
    });
  });

  it('accepts listed non-2xx statuses and parses their body', async () => {
    const result = await fetchJson({ ...base, url: `${server.url}/status/404`, schema: z.object({ error: z.object({ message: z.string() }) }), acceptStatuses: [404] });
    expect(result.status).toBe(404);
    expect(result.value.error.message).toBe('status 404');
  });

  describe('malformed answers', () => {
    it('turns a body that is not JSON into InvalidResponseDataError', async () => {
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/malformed`, schema: offersSchema }));
      expect(InvalidResponseDataError.isInstance(error)).toBe(true);
      const invalid = error as InvalidResponseDataError;
      expect(invalid.adapterId).toBe('lumen');
      expect(invalid.issues).toEqual(['body is not valid JSON']);
      expect(invalid.isRetryable).toBe(true);
      expect(invalid.code).toBe('AURORA_ERR_INVALID_RESPONSE');
    });

    it('turns a schema mismatch into InvalidResponseDataError naming the paths', async () => {
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/wrong-shape`, schema: offersSchema }));
      expect(InvalidResponseDataError.isInstance(error)).toBe(true);
      const issues = (error as InvalidResponseDataError).issues;
      expect(issues.some((issue) => issue.startsWith('offers.0.id:'))).toBe(true);
      expect(issues.some((issue) => issue.startsWith('offers.0.price:'))).toBe(true);
    });

    it('parses an empty body as undefined', async () => {
      const result = await fetchJson({ ...base, operation: 'terminate', url: `${server.url}/empty`, schema: z.undefined() });
      expect(result.status).toBe(204);
      expect(result.value).toBeUndefined();
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/empty`, schema: offersSchema }));
      expect(InvalidResponseDataError.isInstance(error)).toBe(true);
    });
  });

  describe('timeouts and cancellation', () => {
    it('times out a provider that never answers: retryable AdapterCallError, reason timeout', async () => {
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/hang`, schema: z.unknown(), timeoutMs: 50 }));
      expect(AdapterCallError.isInstance(error)).toBe(true);
      expect((error as AdapterCallError).reason).toBe('timeout');
      expect((error as AdapterCallError).isRetryable).toBe(true);
      expect((error as AdapterCallError).message).toContain('timed out after 50 ms');
    });

    it('times out a body that stops half-way', async () => {
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/stall-body`, schema: z.unknown(), timeoutMs: 50 }));
      expect(AdapterCallError.isInstance(error)).toBe(true);
      expect((error as AdapterCallError).reason).toBe('timeout');
    });

    it('tells the caller aborting apart from a timeout: not retryable, reason aborted', async () => {
      const controller = new AbortController();
      const call = fetchJson({ ...base, url: `${server.url}/hang`, schema: z.unknown(), timeoutMs: 30_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const error = await rejectionOf(call);
      expect(AdapterCallError.isInstance(error)).toBe(true);
      expect((error as AdapterCallError).reason).toBe('aborted');
      expect((error as AdapterCallError).isRetryable).toBe(false);
    });

    it('rejects at once, without a request, when the signal is already aborted', async () => {
      const before = server.requests.length;
      const error = await rejectionOf(fetchJson({ ...base, url: `${server.url}/offers`, schema: offersSchema, signal: AbortSignal.abort() }));
      expect(AdapterCallError.isInstance(error)).toBe(true);
      expect((error as AdapterCallError).reason).toBe('aborted');
      expect(server.requests.length).toBe(before);
    });

    it('answers normally within the timeout', async () => {
      const result = await fetchJson({ ...base, url: `${server.url}/offers`, schema: offersSchema, timeoutMs: 5_000 });
      expect(result.value.offers).toHaveLength(1);
    });
  });

  it('turns a refused connection into a retryable provider-scoped AdapterCallError', async () => {
    const port = await closedPort();
    const error = await rejectionOf(fetchJson({ ...base, url: `http://127.0.0.1:${port}/offers`, schema: offersSchema, timeoutMs: 5_000 }));
    expect(AdapterCallError.isInstance(error)).toBe(true);
    const callError = error as AdapterCallError;
    expect(callError.reason).toBe('network');
    expect(callError.isRetryable).toBe(true);
    expect(callError.scope).toBe('provider');
    expect(callError.statusCode).toBeUndefined();
  });

  it('calls through an injected fetch', async () => {
    const seen: string[] = [];
    const injected: typeof fetch = async (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return new Response(JSON.stringify({ offers: [] }), { status: 200 });
    };
    const result = await fetchJson({ ...base, url: 'https://lumen.invalid/offers', schema: offersSchema, fetch: injected });
    expect(result.value.offers).toEqual([]);
    expect(seen).toEqual(['GET https://lumen.invalid/offers']);
  });

  it('keeps an Aurora error thrown by an injected fetch (auth middleware) as it is', async () => {
    const missingKey = new ConfigurationError({ message: 'Lumen API key is missing', setting: 'LUMEN_API_KEY' });
    const error = await rejectionOf(fetchJson({ ...base, url: 'https://lumen.invalid/offers', schema: offersSchema, fetch: async () => { throw missingKey; } }));
    expect(error).toBe(missingKey);
  });

  it('wraps whatever an injected fetch throws in an Aurora error', async () => {
    const throwing: typeof fetch = async () => {
      throw 'not even an Error';
    };
    const error = await rejectionOf(fetchJson({ ...base, url: 'https://lumen.invalid/offers', schema: offersSchema, fetch: throwing }));
    expect(AuroraError.isInstance(error)).toBe(true);
    expect((error as AdapterCallError).reason).toBe('network');
  });
});
