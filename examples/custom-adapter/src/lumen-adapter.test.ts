import { afterEach, describe, expect, it } from 'vitest';
import { AdapterCallError, ConfigurationError, offerSchema } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import { createLumen } from './lumen-provider';
import { mapLumenState } from './map-lumen-state';
import { startFakeLumenServer, type FakeLumenServer } from './testing/fake-lumen-server';

const apiKey = 'lumen-test-key';
const servers: FakeLumenServer[] = [];

async function fakeLumen(options: Partial<Parameters<typeof startFakeLumenServer>[0]> = {}): Promise<FakeLumenServer> {
  const server = await startFakeLumenServer({ apiKey, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('Lumen adapter', () => {
  it('normalises machines into offers and reports the records it skipped', async () => {
    const server = await fakeLumen();
    const adapter = createLumen({ baseURL: server.url, apiKey });
    const result = await adapter.listOffers(createRoutingRequest({ gpu_type: 'a100' }));

    const offers = result.offers.map((offer) => offerSchema.parse(offer));
    expect(offers.map((offer) => offer.offer_id)).toEqual(['lm-a100-sfo-1', 'lm-a100-fra-2']);
    const [sanFrancisco, frankfurt] = offers;
    expect(sanFrancisco).toMatchObject({
      provider: 'lumen', gpu_type: 'a100', gpu_memory_gb: 80, gpu_count: 1, region: 'us-west',
      price_usd_per_hour: 1.79, estimated_latency_ms: 38, reputation: 92, availability: 0.991, capacity: 3, interruptible: false,
    });
    // Missing rating and ping fall back to neutral values; "Frankfurt, DE" is eu-central.
    expect(frankfurt).toMatchObject({ region: 'eu-central', gpu_count: 2, reputation: 50, estimated_latency_ms: 150, interruptible: true });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^machine lm-a100-broken skipped: hourly_usd/),
      'machine lm-a100-mars skipped: unknown location "Olympus Mons"',
    ]);
    expect(server.requests[0]?.path).toBe('/v1/machines');
  });

  it('asks Lumen for the request GPU type and count', async () => {
    const server = await fakeLumen();
    const adapter = createLumen({ baseURL: server.url, apiKey });
    const result = await adapter.listOffers(createRoutingRequest({ gpu_type: 'a100', gpu_count: 2 }));
    expect(result.offers.map((offer) => offer.offer_id)).toEqual(['lm-a100-fra-2']);
  });

  it('passes the idempotency key as client_token, so a retried deploy rents once', async () => {
    const server = await fakeLumen();
    const adapter = createLumen({ baseURL: server.url, apiKey });
    const request = createRoutingRequest({ image: 'vllm/vllm-openai:latest', ports: [8000] });
    const [offer] = (await adapter.listOffers(request)).offers.map((item) => offerSchema.parse(item));
    const first = await adapter.deploy(request, offer!, { idempotency_key: 'idem-1' });
    const second = await adapter.deploy(request, offer!, { idempotency_key: 'idem-1' });
    expect(second.provider_deployment_id).toBe(first.provider_deployment_id);
    expect(first).toMatchObject({ status: 'pending', provider_status: 'queued', endpoint: null });
    expect(server.requests.find((call) => call.method === 'POST')?.body).toMatchObject({
      machine_id: 'lm-a100-sfo-1', image: 'vllm/vllm-openai:latest', ports: [8000], client_token: 'idem-1',
    });
  });

  it('reports a machine rented by someone else as a retryable no_capacity error for that offer', async () => {
    const server = await fakeLumen({ takenMachineIds: ['lm-a100-sfo-1'] });
    const adapter = createLumen({ baseURL: server.url, apiKey });
    const request = createRoutingRequest();
    const [offer] = (await adapter.listOffers(request)).offers.map((item) => offerSchema.parse(item));
    const error = await adapter.deploy(request, offer!, { idempotency_key: 'idem-2' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(AdapterCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 409, reason: 'no_capacity', scope: 'offer', isRetryable: true });
  });

  it('follows logs by polling until the instance stops', async () => {
    const server = await fakeLumen({ activeAfterPolls: 1 });
    const adapter = createLumen({ baseURL: server.url, apiKey, logPollIntervalMs: 5 });
    const request = createRoutingRequest();
    const [offer] = (await adapter.listOffers(request)).offers.map((item) => offerSchema.parse(item));
    const { provider_deployment_id: id } = await adapter.deploy(request, offer!, { idempotency_key: 'idem-3' });
    expect((await adapter.getStatus(id)).status).toBe('running');

    const messages: string[] = [];
    for await (const line of adapter.getLogs(id, { follow: true })) {
      messages.push(`${line.stream}: ${line.message}`);
      if (messages.length === 3) {
        await adapter.terminate(id);
        await adapter.getStatus(id); // stopping -> stopped
      }
    }
    expect(messages).toEqual(['system: container started', 'stdout: loading model weights', 'stderr: warning: falling back to fp16']);
  });

  it('reads LUMEN_API_KEY and LUMEN_BASE_URL at the first call, not at construction', async () => {
    const server = await fakeLumen();
    const adapter = createLumen();
    process.env.LUMEN_API_KEY = apiKey;
    process.env.LUMEN_BASE_URL = server.url;
    try {
      const health = await adapter.healthCheck();
      expect(health.healthy).toBe(true);
    } finally {
      delete process.env.LUMEN_API_KEY;
      delete process.env.LUMEN_BASE_URL;
    }
  });

  it('fails the first call with ConfigurationError naming LUMEN_API_KEY when no key is set', async () => {
    const server = await fakeLumen();
    const adapter = createLumen({ baseURL: server.url, apiKey: undefined });
    const error = await adapter.listOffers(createRoutingRequest()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).setting).toBe('LUMEN_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('maps every Lumen state onto the Aurora lifecycle', () => {
    expect(['queued', 'booting', 'pulling', 'active', 'exited', 'error', 'stopping', 'stopped', 'hibernating'].map(mapLumenState)).toEqual([
      'pending', 'provisioning', 'provisioning', 'running', 'completed', 'failed', 'terminating', 'terminated', 'provisioning',
    ]);
  });
});
