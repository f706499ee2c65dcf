import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRouteRequest, startTestServer, type TestServer } from './__fixtures__/test-server';

describe('logs', () => {
  const lines: string[] = [];
  const apiKey = 'secret-api-key-0123456789';
  const providerKey = 'akash-provider-secret-value';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      // The real Akash adapter with a credential, pointed at a closed loopback port: its calls fail.
      providersConfig: { providers: { akash: { api_url: 'http://127.0.0.1:9' } } },
      router: { server: { log_level: 'debug', request_logging: true }, simulator: { api_latency: false, failure_rate_multiplier: 0 } },
      environment: { AURORA_API_KEYS: `${apiKey}:acme:route+read`, AKASH_API_KEY: providerKey },
      buildOptions: { logger: undefined, logDestination: { write: (line) => void lines.push(line) } },
    });
    const auth = { authorization: `Bearer ${apiKey}` };
    await server.request('POST', '/route', { body: exampleRouteRequest, headers: auth });
    await server.request('POST', '/route', { body: { ...exampleRouteRequest, colour: 'red' }, headers: auth });
    await server.request('GET', '/deployments', { headers: { authorization: 'Bearer wrong-key-0123456789' } });
  });
  afterAll(async () => server?.close());

  it('are JSON lines', () => {
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const messages = lines.map((line) => JSON.parse(line).msg as string);
    expect(messages).toContain('request completed');
    expect(messages).toContain('provider akash: real (credentials from the environment)');
  });

  it('never contain API keys, Authorization headers or provider credentials', () => {
    const all = lines.join('\n');
    expect(all).not.toContain(apiKey);
    expect(all).not.toContain('wrong-key-0123456789');
    expect(all).not.toContain(providerKey);
    expect(all).not.toMatch(/Bearer/);
  });
});
