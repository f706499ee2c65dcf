import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdapterCallError, ConflictError, createInMemoryRegistry, createRouter, InvalidArgumentError, NotFoundError, PolicyError,
  type Outcome, type Policy, type RoutingRequestInput, type StatusChangeEvent,
} from '@aurora/router';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';

const request: RoutingRequestInput = { workload_type: 'llm_inference', gpu_type: 'a100' };
const start = Date.parse('2026-03-01T00:00:00.000Z');

function setup(options: { runningAfterStatusCalls?: number; observe?: Policy['observe']; observeOutcomes?: boolean } = {}) {
  const alpha = createMockAdapter({
    name: 'alpha',
    offers: [createOffer({ provider: 'alpha', offer_id: 'a1', price_usd_per_hour: 2 })],
    deploy: { runningAfterStatusCalls: options.runningAfterStatusCalls ?? 1, endpoint: 'https://alpha.test/job' },
    logLines: ['booting', 'ready'],
  });
  const registry = createInMemoryRegistry();
  const observed: Outcome[] = [];
  const policy: Policy = {
    id: 'first',
    version: '1',
    decide: (_context, candidates) => ({ index: 0, propensity: 1, scores: candidates.map((candidate) => candidate.score), policy_id: 'first', policy_version: '1', arm: 'rules' }),
    observe: options.observe ?? (async (outcome: Outcome) => void observed.push(outcome)),
  };
  const router = createRouter({ adapters: [alpha], registry, policy, ...(options.observeOutcomes === false ? { observe_outcomes: false } : {}) });
  const changes: StatusChangeEvent[] = [];
  router.on('status-change', (event) => changes.push(event));
  const outcomes: Outcome[] = [];
  router.on('outcome', (outcome) => outcomes.push(outcome));
  return { alpha, registry, router, changes, outcomes, observed };
}

beforeEach(() => {
  vi.useFakeTimers({ now: start });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('router.status', () => {
  it('refreshes a live deployment from its provider and records the change', async () => {
    const { router, registry, changes, alpha } = setup();
    const { deployment } = await router.route(request);
    await vi.advanceTimersByTimeAsync(60_000);

    const running = await router.status(deployment.deployment_id);

    expect(running).toMatchObject({ status: 'running', provider_status: 'mock:running', endpoint: 'https://alpha.test/job', started_at: '2026-03-01T00:01:00.000Z', ended_at: null, cost_usd: 0 });
    expect(changes).toEqual([{ deployment_id: deployment.deployment_id, provider: 'alpha', from: 'provisioning', to: 'running' }]);
    expect(await registry.get(deployment.deployment_id)).toEqual(running);
    expect(alpha.calls.getStatus.map((call) => call.providerDeploymentId)).toEqual(['alpha-dep-1']);
  });

  it('refreshes the deployment the caller knows without reading it first (only the re-read after the provider answers)', async () => {
    const { router, registry } = setup({ runningAfterStatusCalls: 3 });
    const { deployment } = await router.route(request);
    const get = vi.spyOn(registry, 'get');
    await router.status(deployment.deployment_id);
    expect(get).toHaveBeenCalledTimes(2);

    get.mockClear();
    const known = (await registry.get(deployment.deployment_id))!;
    get.mockClear();
    const refreshed = await router.status(deployment.deployment_id, { known });
    expect(get).toHaveBeenCalledTimes(1);
    expect(refreshed).toMatchObject({ deployment_id: deployment.deployment_id, status: 'provisioning' });

    // A record of another deployment is no help: the router reads the one asked for.
    get.mockClear();
    await router.status(deployment.deployment_id, { known: { ...known, deployment_id: 'dep-other' } });
    expect(get).toHaveBeenCalledTimes(2);
    expect(get).toHaveBeenCalledWith(deployment.deployment_id);
  });

  it('accrues cost from the price and the time running', async () => {
    const { router, changes } = setup();
    const { deployment } = await router.route(request);
    await router.status(deployment.deployment_id);
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    const later = await router.status(deployment.deployment_id);
    expect(later.cost_usd).toBe(1); // 2 USD/h for half an hour
    expect(changes).toHaveLength(1);
  });

  it('shares one provider call between concurrent status calls', async () => {
    const { router, alpha, changes } = setup();
    const { deployment } = await router.route(request);
    alpha.setLatency({ getStatus: 100 });
    const both = Promise.all([router.status(deployment.deployment_id), router.status(deployment.deployment_id)]);
    await vi.advanceTimersByTimeAsync(100);
    const [first, second] = await both;
    expect(first).toEqual(second);
    expect(alpha.calls.getStatus).toHaveLength(1);
    expect(changes).toHaveLength(1);
  });

  it('records a provider-side failure with its end time', async () => {
    const { router, alpha, outcomes } = setup();
    const { deployment } = await router.route(request);
    alpha.getStatus = async (id) => ({ provider_deployment_id: id, status: 'failed', provider_status: 'crashed', message: 'image pull failed' });
    const failed = await router.status(deployment.deployment_id);
    expect(failed).toMatchObject({ status: 'failed', error: 'image pull failed', ended_at: '2026-03-01T00:00:00.000Z', started_at: null });
    expect(outcomes).toEqual([expect.objectContaining({ filled: false, failure_reason: 'failed_before_running', deployment_id: deployment.deployment_id })]);
  });

  it('answers an unknown id with NotFoundError', async () => {
    const { router } = setup();
    const error = await router.status('dep-nope').catch((caught: unknown) => caught);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ resource: 'deployment', id: 'dep-nope' });
  });

  it('rejects an invalid status report as invalid provider data', async () => {
    const { router, alpha } = setup();
    const { deployment } = await router.route(request);
    alpha.getStatus = async () => ({ status: 'exploded' }) as never;
    await expect(router.status(deployment.deployment_id)).rejects.toMatchObject({ code: 'AURORA_ERR_INVALID_RESPONSE' });
  });
});

describe('router.terminate', () => {
  it('goes terminating -> terminated with the end time and final cost, and is idempotent', async () => {
    const { router, alpha, changes, registry } = setup();
    const { deployment } = await router.route(request);
    await router.status(deployment.deployment_id);
    await vi.advanceTimersByTimeAsync(60 * 60_000);

    const terminated = await router.terminate(deployment.deployment_id);
    expect(terminated).toMatchObject({ status: 'terminated', ended_at: '2026-03-01T01:00:00.000Z', cost_usd: 2 });
    expect(changes.map(({ from, to }) => `${from}->${to}`)).toEqual(['provisioning->running', 'running->terminating', 'terminating->terminated']);
    expect(await registry.get(deployment.deployment_id)).toEqual(terminated);

    await vi.advanceTimersByTimeAsync(60 * 60_000);
    const again = await router.terminate(deployment.deployment_id);
    expect(again).toEqual(terminated);
    expect(await router.status(deployment.deployment_id)).toEqual(terminated);
    expect(alpha.calls.terminate).toHaveLength(1);
    expect(alpha.calls.getStatus).toHaveLength(1);
  });

  it('shares one termination between concurrent calls', async () => {
    const { router, alpha } = setup();
    const { deployment } = await router.route(request);
    alpha.setLatency({ terminate: 500 });
    const both = Promise.all([router.terminate(deployment.deployment_id), router.terminate(deployment.deployment_id)]);
    await vi.advanceTimersByTimeAsync(500);
    const [first, second] = await both;
    expect(first).toBe(second);
    expect(alpha.calls.terminate).toHaveLength(1);
  });

  it('stays terminating when the provider call fails, and a retry finishes it', async () => {
    const { router, alpha, registry } = setup();
    const { deployment } = await router.route(request);
    alpha.setFailure('terminate', [new AdapterCallError({ message: 'upstream 502', adapterId: 'alpha', operation: 'terminate', statusCode: 502 })]);
    await expect(router.terminate(deployment.deployment_id)).rejects.toMatchObject({ message: 'upstream 502' });
    expect((await registry.get(deployment.deployment_id))!.status).toBe('terminating');
    await expect(router.terminate(deployment.deployment_id)).resolves.toMatchObject({ status: 'terminated' });
  });

  it('waits for a route still deploying, then terminates what it deployed', async () => {
    const { router, alpha } = setup();
    alpha.setLatency({ listOffers: 500, deploy: 1_000 });
    let terminating: Promise<unknown> | undefined;
    // Called before the quote, while no record exists yet.
    router.once('route-start', (event) => (terminating = router.terminate(event.deployment_id)));
    const routed = router.route(request);
    await vi.advanceTimersByTimeAsync(1_500);
    await routed;
    await expect(terminating).resolves.toMatchObject({ status: 'terminated', provider_deployment_id: 'alpha-dep-1' });
    expect(alpha.calls.terminate.map((call) => call.providerDeploymentId)).toEqual(['alpha-dep-1']);
  });

  it('refuses to terminate a pending record nobody is deploying', async () => {
    const { router, registry } = setup();
    const { deployment } = await router.route(request);
    await registry.save({ ...deployment, status: 'pending', provider_deployment_id: null });
    const error = await router.terminate(deployment.deployment_id).catch((caught: unknown) => caught);
    expect(ConflictError.isInstance(error)).toBe(true);
  });

  it('answers an unknown id with NotFoundError', async () => {
    const { router } = setup();
    await expect(router.terminate('dep-nope')).rejects.toMatchObject({ code: 'AURORA_ERR_NOT_FOUND' });
  });
});

describe('router.logs', () => {
  it('streams the provider log lines with tail and follow', async () => {
    const { router } = setup();
    const { deployment } = await router.route(request);
    const tailed: string[] = [];
    for await (const line of router.logs(deployment.deployment_id, { tail: 1 })) tailed.push(line.message);
    expect(tailed).toEqual(['ready']);

    const followed: string[] = [];
    const following = (async () => {
      for await (const line of router.logs(deployment.deployment_id, { follow: true })) followed.push(line.message);
    })();
    await vi.advanceTimersByTimeAsync(0);
    expect(followed).toEqual(['booting', 'ready']);
    await router.terminate(deployment.deployment_id);
    await following;
  });

  it('fails the iteration with NotFoundError for an unknown id', async () => {
    const { router } = setup();
    const iterator = router.logs('dep-nope')[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'AURORA_ERR_NOT_FOUND' });
  });
});

describe('outcomes', () => {
  it('feeds the policy when a deployment first runs, with the time to running', async () => {
    const { router, outcomes, observed } = setup();
    const { deployment, decision } = await router.route(request);
    await vi.advanceTimersByTimeAsync(90_000);
    await router.status(deployment.deployment_id);
    await router.status(deployment.deployment_id);
    await vi.advanceTimersByTimeAsync(0);
    const expected = { decision_id: decision.decision_id, deployment_id: deployment.deployment_id, provider: 'alpha', offer_id: 'a1', filled: true, time_to_running_ms: 90_000 };
    expect(outcomes).toEqual([expect.objectContaining(expected)]);
    expect(observed).toEqual([expect.objectContaining(expected)]);
  });

  it('reports a failed route as not filled', async () => {
    const { router, alpha, outcomes } = setup();
    alpha.setFailure('deploy', new AdapterCallError({ message: 'bad image', adapterId: 'alpha', operation: 'deploy', statusCode: 400 }));
    await expect(router.route(request)).rejects.toMatchObject({ code: 'AURORA_ERR_DEPLOY_FAILED' });
    expect(outcomes).toEqual([expect.objectContaining({ filled: false, failure_reason: 'not_retryable', provider: 'alpha', offer_id: 'a1' })]);
  });

  it('can be turned off', async () => {
    const { router, outcomes } = setup({ observeOutcomes: false });
    const { deployment } = await router.route(request);
    await router.status(deployment.deployment_id);
    expect(outcomes).toEqual([]);
  });

  it('recordOutcome validates, emits and passes the outcome to the policy', async () => {
    const { router, observed, outcomes } = setup({ observeOutcomes: false });
    const input = { decision_id: 'dec-1', provider: 'alpha', offer_id: 'a1', filled: true, observed_at: '2026-03-01T00:00:00.000Z' };
    await expect(router.recordOutcome(input)).resolves.toEqual(input);
    expect(observed).toEqual([input]);
    expect(outcomes).toEqual([input]);
    const error = await router.recordOutcome({ ...input, filled: 'yes' } as never).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).issues).toEqual([expect.objectContaining({ field: 'filled' })]);
  });

  it('recordOutcome reports a failing policy as PolicyError', async () => {
    const { router } = setup({
      observeOutcomes: false,
      observe: async () => {
        throw new Error('bandit store offline');
      },
    });
    const error = await router.recordOutcome({ decision_id: 'dec-1', provider: 'alpha', offer_id: 'a1', filled: true, observed_at: 'now' }).catch((caught: unknown) => caught);
    expect(PolicyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('bandit store offline');
  });
});

describe('router.providers and checkHealth', () => {
  it('reports health, latency, circuit and the simulated flag', async () => {
    const alpha = createMockAdapter({ name: 'alpha', health: { healthy: true, latency_ms: 12 } });
    const beta = createMockAdapter({ name: 'beta', simulated: false, health: { healthy: false, message: 'maintenance' } });
    const router = createRouter({ adapters: [alpha, beta] });
    expect(router.providers()).toEqual([
      { provider: 'alpha', healthy: true, circuit: 'closed', latency_ms: null, checked_at: null, consecutive_failures: 0, message: null, simulated: true },
      { provider: 'beta', healthy: true, circuit: 'closed', latency_ms: null, checked_at: null, consecutive_failures: 0, message: null, simulated: false },
    ]);
    const checked = await router.checkHealth();
    expect(checked).toEqual([
      { provider: 'alpha', healthy: true, circuit: 'closed', latency_ms: 12, checked_at: '2026-03-01T00:00:00.000Z', consecutive_failures: 0, message: null, simulated: true },
      expect.objectContaining({ provider: 'beta', healthy: false, consecutive_failures: 1, message: 'maintenance' }),
    ]);
    expect(router.providers()).toEqual(checked);
  });

  it('opens the circuit after failing checks and skips checks while it is open', async () => {
    const alpha = createMockAdapter({ name: 'alpha', failures: { healthCheck: new AdapterCallError({ message: 'down', adapterId: 'alpha', operation: 'health_check', statusCode: 500 }) } });
    const router = createRouter({ adapters: [alpha], limits: { circuit: { consecutive_failures: 2, cooldown_ms: 1_000 } } });
    await router.checkHealth('alpha');
    const [health] = await router.checkHealth('alpha');
    expect(health).toMatchObject({ healthy: false, circuit: 'open', message: 'circuit open until 2026-03-01T00:00:01.000Z' });
    await router.checkHealth('alpha');
    expect(alpha.calls.healthCheck).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    alpha.setFailure('healthCheck', undefined);
    const [recovered] = await router.checkHealth('alpha');
    expect(recovered).toMatchObject({ healthy: true, circuit: 'closed', consecutive_failures: 0 });
  });

  it('answers an unknown provider with NotFoundError', async () => {
    const router = createRouter({ adapters: [createMockAdapter()] });
    await expect(router.checkHealth('nope')).rejects.toMatchObject({ code: 'AURORA_ERR_NOT_FOUND', resource: 'provider' });
  });

  it('close() closes the adapters', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    await createRouter({ adapters: [alpha] }).close();
    expect(alpha.calls.close).toBe(1);
  });
});
