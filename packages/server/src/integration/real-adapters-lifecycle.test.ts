import { afterEach, describe, expect, it } from 'vitest';
import { fastAkashTuning, startRealProviderStack, type RealProviderStack, type StackResponse } from '../__fixtures__/real-provider-stack';

const image = 'ghcr.io/example/inference-worker:1.4.2';

/** An H100 in eu-central: Akash (Fake Europe) and io.net (DE) both sell it; Akash is cheaper. */
const h100Request = {
  workload_type: 'llm_inference',
  gpu_type: 'h100',
  region: 'eu-central',
  gpu_hours: 1,
  image,
  ports: [8000],
  weights: { price: 1, latency: 0, reputation: 0, availability: 0 },
} as const;

type LogLine = { message: string; stream: string; timestamp: string };

/** GET until running, read the logs (JSON and SSE follow), DELETE, GET until terminated. */
async function runThroughLife(stack: RealProviderStack, routed: StackResponse): Promise<{ logs: LogLine[]; followed: LogLine[] }> {
  const id: string = routed.body.deployment_id;
  await expect.poll(async () => (await stack.request('GET', `/deployments/${id}`)).body.status).toBe('running');

  const logs = await stack.request('GET', `/deployments/${id}/logs?tail=50`);
  expect(logs.status).toBe(200);
  const events = await stack.readEvents(`/deployments/${id}/logs?follow=true`, (read) => read.filter((event) => event.event === 'log').length >= 2);
  const followed = events.filter((event) => event.event === 'log').map((event) => event.data as LogLine);
  expect(followed.length).toBeGreaterThanOrEqual(2);
  for (const line of followed) expect(line).toMatchObject({ message: expect.any(String), timestamp: expect.any(String) });

  const deleted = await stack.request('DELETE', `/deployments/${id}`);
  expect(deleted.status).toBe(200);
  expect(['terminating', 'terminated']).toContain(deleted.body.status);
  await expect.poll(async () => (await stack.request('GET', `/deployments/${id}`)).body.status).toBe('terminated');
  return { logs: logs.body as LogLine[], followed };
}

describe('the server against the Akash and io.net contract fakes', () => {
  let stack: RealProviderStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('runs an Akash deployment through its life: route -> running -> logs -> terminate, closed at the provider', async () => {
    stack = await startRealProviderStack();
    const { akash } = stack;

    const routed = await stack.request('POST', '/route', { body: h100Request });
    expect(routed.status).toBe(201);
    expect(routed.body).toMatchObject({ provider: 'akash', gpu_type: 'h100', region: 'eu-central' });
    const quoted = new Set(routed.body.decision.candidates.map((candidate: { offer: { provider: string } }) => candidate.offer.provider));
    expect(quoted).toEqual(new Set(['akash', 'ionet']));
    const dseq: string = routed.body.provider_deployment_id;
    expect(akash.state.deployments.get(dseq)?.state).toBe('active');

    const { logs } = await runThroughLife(stack, routed);
    expect(logs.map((line) => line.message)).toEqual(expect.arrayContaining([`Pulling image ${image}`, 'Container started']));
    expect(akash.state.deployments.get(dseq)?.state).toBe('closed');
    expect(akash.state.requests.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/v1/deployments/${dseq}`]);
  });

  it.each([
    { name: 'no bids', fault: 'no-bids', reason: /no provider bid on deployment \d+ within 1 s/ },
    { name: 'lease never ready', fault: 'lease-never-ready', reason: /lease of deployment \d+ .* was not ready within 1 s/ },
    // The router's deploy timeout cuts the adapter's own, longer wait: the adapter still closes.
    {
      name: 'cut by the deploy timeout',
      fault: 'no-bids',
      reason: /akash\.deploy timed out after 1500 ms/,
      router: { limits: { deploy_timeout_ms: 1_500 } },
      environment: { AKASH_BID_TIMEOUT_MS: '60000' },
    },
  ] as const)('fails over from a failing Akash ($name) to io.net and closes the half-made Akash deployment', async (scenario) => {
    stack = await startRealProviderStack({
      ...('router' in scenario ? { router: scenario.router } : {}),
      environment: ({ akash, ionet }) => ({
        AKASH_API_KEY: akash.apiKey,
        IONET_API_KEY: ionet.apiKey,
        ...fastAkashTuning,
        ...('environment' in scenario ? scenario.environment : {}),
      }),
    });
    const { akash, ionet } = stack;
    akash.setFault({ type: scenario.fault });

    const routed = await stack.request('POST', '/route', { body: h100Request, headers: { 'idempotency-key': `failover-${scenario.fault}` } });
    expect(routed.status).toBe(201);
    expect(routed.body.decision.chosen).toMatchObject({ provider: 'akash' });
    expect(routed.body.decision.attempts).toEqual([
      expect.objectContaining({
        attempt: 1, provider: 'akash', result: 'failed',
        error: expect.objectContaining({ code: 'AURORA_ERR_ADAPTER_CALL', message: expect.stringMatching(scenario.reason), retryable: true }),
      }),
      expect.objectContaining({ attempt: 2, provider: 'ionet', result: 'deployed' }),
    ]);
    expect(routed.body).toMatchObject({ provider: 'ionet', provider_deployment_id: expect.stringMatching(/^ionet:/) });
    expect(ionet.state.deployments.size).toBe(1);

    // The deployment the failed attempt created at Akash is closed, not left open and billing.
    const created = [...akash.state.deployments.values()];
    expect(created).toHaveLength(1);
    await expect.poll(() => created[0]!.state).toBe('closed');
    expect(akash.state.requests.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/v1/deployments/${created[0]!.dseq}`]);
  });

  it('runs the io.net deployment it failed over to through its life, deleted at the provider', async () => {
    stack = await startRealProviderStack();
    const { akash, ionet } = stack;
    akash.setFault({ type: 'no-bids' });
    const routed = await stack.request('POST', '/route', { body: h100Request });
    expect(routed.body).toMatchObject({ provider: 'ionet' });
    const ionetId = (routed.body.provider_deployment_id as string).replace(/^ionet:/, '');

    const { logs } = await runThroughLife(stack, routed);
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stream: 'system', message: `Pulling image ${image}` }),
        expect.objectContaining({ stream: 'stdout', message: expect.stringMatching(/^line 1 from /) }),
      ]),
    );
    expect(ionet.state.requests.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([`/deployment/${ionetId}`]);
    expect(['termination requested', 'destroyed']).toContain(ionet.state.statusOf(ionetId));
  });
});
