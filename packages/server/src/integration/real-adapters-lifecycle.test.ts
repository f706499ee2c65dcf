import { afterEach, describe, expect, it } from 'vitest';
import { startRealProviderStack, type RealProviderStack } from '../__fixtures__/real-provider-stack';

/** An H100 in eu-central: Akash (Fake Europe) and io.net (DE) both sell it; Akash is cheaper. */
const h100Request = {
  workload_type: 'llm_inference',
  gpu_type: 'h100',
  region: 'eu-central',
  gpu_hours: 1,
  image: 'ghcr.io/example/inference-worker:1.4.2',
  ports: [8000],
  weights: { price: 1, latency: 0, reputation: 0, availability: 0 },
} as const;

describe('the server against the Akash and io.net contract fakes', () => {
  let stack: RealProviderStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('runs a deployment through its life on the real adapter: route -> running -> logs -> terminate', async () => {
    stack = await startRealProviderStack();
    const { akash } = stack;

    const routed = await stack.request('POST', '/route', { body: h100Request });
    expect(routed.status).toBe(201);
    expect(routed.body).toMatchObject({ provider: 'akash', gpu_type: 'h100', region: 'eu-central' });
    const providersQuoted = new Set(routed.body.decision.candidates.map((candidate: { offer: { provider: string } }) => candidate.offer.provider));
    expect(providersQuoted).toEqual(new Set(['akash', 'ionet']));
    const dseq: string = routed.body.provider_deployment_id;
    expect(akash.state.deployments.get(dseq)?.state).toBe('active');

    const id: string = routed.body.deployment_id;
    await expect.poll(async () => (await stack!.request('GET', `/deployments/${id}`)).body.status).toBe('running');

    const logs = await stack.request('GET', `/deployments/${id}/logs?tail=50`);
    expect(logs.status).toBe(200);
    expect(logs.body.map((line: { message: string }) => line.message)).toEqual(
      expect.arrayContaining(['Pulling image ghcr.io/example/inference-worker:1.4.2', 'Container started']),
    );

    const followed = await stack.readEvents(`/deployments/${id}/logs?follow=true`, (events) => events.filter((event) => event.event === 'log').length >= 2);
    expect(followed.filter((event) => event.event === 'log').length).toBeGreaterThanOrEqual(2);
    expect(followed[0]!.data).toMatchObject({ message: expect.any(String), timestamp: expect.any(String) });

    const deleted = await stack.request('DELETE', `/deployments/${id}`);
    expect(deleted.status).toBe(200);
    expect(['terminating', 'terminated']).toContain(deleted.body.status);
    await expect.poll(async () => (await stack!.request('GET', `/deployments/${id}`)).body.status).toBe('terminated');
    expect(akash.state.deployments.get(dseq)?.state).toBe('closed');
    expect(akash.state.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([`/v1/deployments/${dseq}`]);
  });

  it.each([
    { fault: 'no-bids', reason: /no provider bid on deployment \d+ within 1 s/ },
    { fault: 'lease-never-ready', reason: /lease of deployment \d+ .* was not ready within 1 s/ },
  ] as const)('fails over from a failing Akash ($fault) to io.net and closes the half-made Akash deployment', async ({ fault, reason }) => {
    stack = await startRealProviderStack();
    const { akash, ionet } = stack;
    akash.setFault({ type: fault });

    const routed = await stack.request('POST', '/route', { body: h100Request, headers: { 'idempotency-key': `failover-${fault}` } });
    expect(routed.status).toBe(201);
    expect(routed.body.decision.chosen).toMatchObject({ provider: 'akash' });
    expect(routed.body.decision.attempts).toEqual([
      expect.objectContaining({ attempt: 1, provider: 'akash', result: 'failed', error: expect.objectContaining({ code: 'AURORA_ERR_ADAPTER_CALL', message: expect.stringMatching(reason), retryable: true }) }),
      expect.objectContaining({ attempt: 2, provider: 'ionet', result: 'deployed' }),
    ]);
    expect(routed.body).toMatchObject({ provider: 'ionet', provider_deployment_id: expect.stringMatching(/^ionet:/) });

    // The Akash deployment the failed attempt created was closed at the provider, not left billing.
    const created = [...akash.state.deployments.values()];
    expect(created).toHaveLength(1);
    expect(created[0]!.state).toBe('closed');
    expect(akash.state.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([`/v1/deployments/${created[0]!.dseq}`]);
    expect(ionet.state.deployments.size).toBe(1);

    // The io.net deployment runs its life too.
    const id: string = routed.body.deployment_id;
    await expect.poll(async () => (await stack!.request('GET', `/deployments/${id}`)).body.status).toBe('running');
    const ionetId = (routed.body.provider_deployment_id as string).replace(/^ionet:/, '');
    const ionetLogs = await stack.request('GET', `/deployments/${id}/logs`);
    expect(ionetLogs.status).toBe(200);
    expect(ionetLogs.body).toEqual(expect.arrayContaining([
      expect.objectContaining({ stream: 'system', message: 'Pulling image ghcr.io/example/inference-worker:1.4.2' }),
      expect.objectContaining({ stream: 'stdout', message: expect.stringMatching(/^line 1 from /) }),
    ]));
    const followed = await stack.readEvents(`/deployments/${id}/logs?follow=true`, (events) => events.some((event) => event.event === 'log'));
    expect(followed.some((event) => event.event === 'log')).toBe(true);

    const deleted = await stack.request('DELETE', `/deployments/${id}`);
    expect(deleted.status).toBe(200);
    await expect.poll(async () => (await stack!.request('GET', `/deployments/${id}`)).body.status).toBe('terminated');
    expect(['termination requested', 'destroyed']).toContain(ionet.state.statusOf(ionetId));
  });
});
