import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fastAkashTuning, inferenceRouteRequest as request, startRealProviderStack, type RealProviderStack } from '../__fixtures__/real-provider-stack';


type CredentialCase = {
  name: string;
  providers?: { akash?: Record<string, unknown>; ionet?: Record<string, unknown> };
  environment: (keys: { akash: string; ionet: string }, directory: string) => Promise<Record<string, string>>;
  reasons: { akash: string; ionet: string };
};

async function secretFile(directory: string, name: string, key: string): Promise<string> {
  await mkdir(path.join(directory, 'secrets'), { recursive: true });
  const file = path.join(directory, 'secrets', name);
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return file;
}

const credentialCases: CredentialCase[] = [
  {
    name: '<PROVIDER>_API_KEY',
    environment: async (keys) => ({ AKASH_API_KEY: keys.akash, IONET_API_KEY: keys.ionet }),
    reasons: { akash: 'credentials from the environment', ionet: 'credentials from the environment' },
  },
  {
    name: '<PROVIDER>_API_KEY_FILE',
    environment: async (keys, directory) => ({
      AKASH_API_KEY_FILE: await secretFile(directory, 'akash', keys.akash),
      IONET_API_KEY_FILE: await secretFile(directory, 'ionet', keys.ionet),
    }),
    reasons: { akash: 'credentials from a secret file', ionet: 'credentials from a secret file' },
  },
  {
    name: 'credentials_secret (a variable and a file)',
    providers: { akash: { credentials_secret: 'AKASH_PRODUCTION_KEY' }, ionet: { credentials_secret: './secrets/ionet' } },
    environment: async (keys, directory) => {
      await secretFile(directory, 'ionet', keys.ionet);
      // The default variables hold wrong keys: the configured secret must win over them.
      return { AKASH_PRODUCTION_KEY: keys.akash, AKASH_API_KEY: 'wrong-akash-key', IONET_API_KEY: 'wrong-ionet-key' };
    },
    reasons: { akash: 'credentials from AKASH_PRODUCTION_KEY', ionet: 'credentials from a secret file' },
  },
];

describe('provider credentials on the real adapters', () => {
  let stack: RealProviderStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it.each(credentialCases)('reach both providers from $name, and /providers shows them real', async ({ providers, environment, reasons }) => {
    stack = await startRealProviderStack({
      ...(providers ? { providers } : {}),
      environment: async ({ akash, ionet, directory }) => ({ ...(await environment({ akash: akash.apiKey, ionet: ionet.apiKey }, directory)), ...fastAkashTuning }),
    });

    const messages = stack.logLines.map((line) => JSON.parse(line).msg as string);
    expect(messages).toContain(`provider akash: real (${reasons.akash})`);
    expect(messages).toContain(`provider ionet: real (${reasons.ionet})`);

    await expect.poll(async () => (await stack!.request('GET', '/providers')).body.providers.filter((provider: { healthy: boolean }) => provider.healthy).length).toBe(2);
    const quote = await stack.request('POST', '/quote', { body: request });
    expect(quote.status).toBe(200);
    const { body } = await stack.request('GET', '/providers');
    expect(body.providers).toEqual([
      expect.objectContaining({ provider: 'akash', simulated: false, healthy: true, gpu_types: expect.arrayContaining(['h100']) }),
      expect.objectContaining({ provider: 'ionet', simulated: false, healthy: true, gpu_types: expect.arrayContaining(['h100']) }),
    ]);
    // Deploying needs the key at Akash (its discovery is public); io.net wants it on every call.
    const routed = await stack.request('POST', '/route', { body: request });
    expect(routed.status).toBe(201);
    expect(routed.body.provider).toBe('akash');
    expect((await stack.request('DELETE', `/deployments/${routed.body.deployment_id}`)).status).toBe(200);
    const akashWrites = stack.akash.state.requests.filter((call) => call.method !== 'GET');
    expect(akashWrites.map((call) => `${call.method} ${call.path.replace(/\d+$/, ':dseq')}`)).toEqual(['POST /v1/deployments', 'POST /v1/leases', 'DELETE /v1/deployments/:dseq']);
    expect(akashWrites.every((call) => call.authorized)).toBe(true);
    expect(stack.akash.state.requests.some((call) => call.status === 401 || call.status === 403)).toBe(false);
    expect(stack.ionet.state.requests.length).toBeGreaterThan(0);
    expect(stack.ionet.state.requests.every((call) => call.apiKeySent && call.status !== 401 && call.status !== 403)).toBe(true);
  });

  it('never puts a provider key into an API response or a log line', async () => {
    stack = await startRealProviderStack({ router: { server: { log_level: 'trace', request_logging: true } } });
    const { akash, ionet } = stack;
    const keys = [akash.apiKey, ionet.apiKey];

    // The happy path, end to end.
    for (const urlPath of ['/health', '/ready', '/providers', '/metrics', '/docs/json', '/deployments']) {
      expect((await stack.request('GET', urlPath)).status).toBe(200);
    }
    expect((await stack.request('POST', '/quote', { body: request })).status).toBe(200);
    const routed = await stack.request('POST', '/route', { body: request, headers: { 'idempotency-key': 'leak-check-1' } });
    expect(routed.status).toBe(201);
    const id: string = routed.body.deployment_id;
    expect((await stack.request('POST', '/route', { body: request, headers: { 'idempotency-key': 'leak-check-1' } })).headers.get('idempotent-replayed')).toBe('true');
    expect((await stack.request('GET', `/deployments/${id}`)).status).toBe(200);
    expect((await stack.request('GET', `/deployments/${id}/logs`)).status).toBe(200);
    await stack.readEvents(`/deployments/${id}/logs?follow=true`, (events) => events.length > 0);
    expect((await stack.request('DELETE', `/deployments/${id}`)).status).toBe(200);

    // The failure paths, where errors carry URLs, statuses and provider bodies into answers and logs.
    akash.setFault({ type: 'http-status', status: 401 });
    ionet.setFault({ kind: 'forbidden' });
    const refused = await stack.request('POST', '/route', { body: { ...request, gpu_count: 2 } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.body.error.code).toMatch(/^AURORA_ERR_/);
    const failedQuote = await stack.request('POST', '/quote', { body: { ...request, region: 'us-west' } });
    expect(failedQuote.body.adapter_failures.map((failure: { provider: string }) => failure.provider).sort()).toEqual(['akash', 'ionet']);
    expect((await stack.request('GET', `/deployments/${id}/logs`)).status).toBeGreaterThanOrEqual(200);
    expect((await stack.request('GET', '/deployments/dep-unknown')).status).toBe(404);
    await stack.app.aurora.router.checkHealth();
    expect((await stack.request('GET', '/providers')).body.providers.map((provider: { healthy: boolean }) => provider.healthy)).toEqual([false, false]);

    // Both channels were really captured: the searched text is full of the calls made above.
    const answers = stack.transcript.join('\n');
    const logs = stack.logLines.join('\n');
    expect(answers).toContain(id);
    expect(answers).toContain('AURORA_ERR_');
    expect(logs).toContain(id);
    expect(logs).toMatch(/"level":(40|50)/);
    for (const key of keys) {
      const distinctive = key.slice(key.lastIndexOf('-') + 1);
      expect(answers).not.toContain(distinctive);
      expect(logs).not.toContain(distinctive);
    }
  });
});
