import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterCallError, ConfigurationError } from '@aurora/router';
import { createJsonClient } from './create-json-client';
import { loadApiKey } from './load-setting';
import { sendJson, startLocalHttpServer, type LocalHttpServer } from './__fixtures__/local-http-server';

const echoSchema = z.object({ method: z.string(), url: z.string(), authorization: z.string().nullish(), body: z.string() });

let server: LocalHttpServer;

beforeAll(async () => {
  server = await startLocalHttpServer((request, response) => {
    if (request.url.startsWith('/api/v1/slow')) return; // never answers
    if (request.url.startsWith('/api/v1/missing')) return sendJson(response, 404, { error: 'gone' });
    sendJson(response, 200, { method: request.method, url: request.url, authorization: request.headers.authorization, body: request.body });
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

describe('createJsonClient', () => {
  it('joins the base URL (with a path prefix and trailing slash) and the path, with or without a leading slash', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1/` });
    expect((await client.get('/offers', echoSchema, { operation: 'list_offers' })).value.url).toBe('/api/v1/offers');
    expect((await client.get('offers', echoSchema, { operation: 'list_offers' })).value.url).toBe('/api/v1/offers');
  });

  it('adds query parameters and drops undefined ones', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1` });
    const { value } = await client.get('/offers', echoSchema, { operation: 'list_offers', query: { gpu: 'a100', count: 2, spot: false, region: undefined } });
    expect(value.url).toBe('/api/v1/offers?gpu=a100&count=2&spot=false');
    expect(client.url('/x', { a: 'b c' })).toBe(`${server.url}/api/v1/x?a=b+c`);
  });

  it('sends each method with its body', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1` });
    const posted = await client.post('/deployments', { image: 'vllm' }, echoSchema, { operation: 'deploy' });
    expect(posted.value.method).toBe('POST');
    expect(JSON.parse(posted.value.body)).toEqual({ image: 'vllm' });
    expect((await client.put('/deployments/d1', { replicas: 1 }, echoSchema, { operation: 'update' })).value.method).toBe('PUT');
    expect((await client.delete('/deployments/d1', echoSchema, { operation: 'terminate' })).value.method).toBe('DELETE');
  });

  it('calls headers() at each request, never at construction, so keys load lazily and can rotate', async () => {
    let calls = 0;
    const keys = ['key-1', 'key-2'];
    const client = createJsonClient({
      adapterId: 'lumen',
      baseURL: `${server.url}/api/v1`,
      headers: () => ({ authorization: `Bearer ${keys[calls++]}` }),
    });
    expect(calls).toBe(0);
    expect((await client.get('/a', echoSchema, { operation: 'a' })).value.authorization).toBe('Bearer key-1');
    expect((await client.get('/b', echoSchema, { operation: 'b' })).value.authorization).toBe('Bearer key-2');
  });

  it('lets per-call headers override the client headers', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1`, headers: () => ({ authorization: 'Bearer client' }) });
    const { value } = await client.get('/a', echoSchema, { operation: 'a', headers: { authorization: 'Bearer call' } });
    expect(value.authorization).toBe('Bearer call');
  });

  it('rejects (does not throw synchronously) with ConfigurationError when the API key is missing, without calling the provider', async () => {
    const client = createJsonClient({
      adapterId: 'lumen',
      baseURL: `${server.url}/api/v1`,
      headers: () => ({ authorization: `Bearer ${loadApiKey({ environmentVariableName: 'LUMEN_API_KEY', description: 'Lumen API key', environment: {} })}` }),
    });
    const before = server.requests.length;
    const pending = client.get('/offers', echoSchema, { operation: 'list_offers' });
    expect(pending).toBeInstanceOf(Promise);
    const error = await rejectionOf(pending);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).setting).toBe('LUMEN_API_KEY');
    expect(server.requests.length).toBe(before);
  });

  it('rejects with ConfigurationError for an invalid base URL', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: 'not a url' });
    const error = await rejectionOf(client.get('/offers', echoSchema, { operation: 'list_offers' }));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).setting).toBe('baseURL');
  });

  it('applies the client timeout, which a call can override', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1`, timeoutMs: 50 });
    const error = await rejectionOf(client.get('/slow', echoSchema, { operation: 'list_offers' }));
    expect((error as AdapterCallError).reason).toBe('timeout');
    const overridden = await rejectionOf(client.get('/slow', echoSchema, { operation: 'list_offers', timeoutMs: 30 }));
    expect((overridden as AdapterCallError).message).toContain('30 ms');
  });

  it('passes acceptStatuses through', async () => {
    const client = createJsonClient({ adapterId: 'lumen', baseURL: `${server.url}/api/v1` });
    const result = await client.delete('/missing/d9', z.object({ error: z.string() }), { operation: 'terminate', acceptStatuses: [404] });
    expect(result.status).toBe(404);
  });

  it('calls through the injected fetch', async () => {
    const urls: string[] = [];
    const client = createJsonClient({
      adapterId: 'lumen',
      baseURL: 'https://api.lumen.invalid/v2',
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('{"ok":true}', { status: 200 });
      },
    });
    const { value } = await client.get('/health', z.object({ ok: z.boolean() }), { operation: 'health_check' });
    expect(value.ok).toBe(true);
    expect(urls).toEqual(['https://api.lumen.invalid/v2/health']);
  });
});
