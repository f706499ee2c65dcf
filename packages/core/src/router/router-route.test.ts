import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdapterCallError, ConflictError, createInMemoryRegistry, createRouter, decisionSchema, deploymentSchema, DeployFailedError, NoEligibleOfferError,
  type Decision, type Deployment, type DeploymentRegistry, type Policy, type RouterEvents, type RoutingRequestInput,
} from '@aurora/router';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';

const request: RoutingRequestInput = { workload_type: 'llm_inference', gpu_type: 'a100' };

function unavailable(adapterId: string, options: { scope?: 'offer' | 'provider'; statusCode?: number; isRetryable?: boolean } = {}) {
  return new AdapterCallError({ message: `${adapterId} has no capacity`, adapterId, operation: 'deploy', statusCode: options.statusCode ?? 503, ...options });
}

/** alpha: a1 (1.00 USD/h), a2 (1.50); beta: b1 (2.00). Same latency, reputation and availability, so price decides. */
function market() {
  const alpha = createMockAdapter({
    name: 'alpha',
    offers: [createOffer({ provider: 'alpha', offer_id: 'a1', price_usd_per_hour: 1 }), createOffer({ provider: 'alpha', offer_id: 'a2', price_usd_per_hour: 1.5 })],
  });
  const beta = createMockAdapter({ name: 'beta', offers: [createOffer({ provider: 'beta', offer_id: 'b1', price_usd_per_hour: 2 })] });
  return { alpha, beta };
}

function collect<Event extends keyof RouterEvents>(router: { on: (event: Event, listener: (...args: RouterEvents[Event]) => void) => unknown }, event: Event) {
  const events: Array<RouterEvents[Event][0]> = [];
  router.on(event, ((payload: RouterEvents[Event][0]) => events.push(payload)) as never);
  return events;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00.000Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('router.route', () => {
  it('deploys the best candidate and returns an explainable decision', async () => {
    const { alpha, beta } = market();
    const router = createRouter({ adapters: [alpha, beta] });
    const { decision, deployment } = await router.route(request, { tenant: 'acme' });

    expect(decision.decision_id).toMatch(/^dec-/);
    expect(decision.chosen).toMatchObject({ provider: 'alpha', offer_id: 'a1' });
    expect(decision.candidates.map((candidate) => candidate.offer.offer_id)).toEqual(['a1', 'a2', 'b1']);
    expect(decision).toMatchObject({ policy: { id: 'rules' }, arm: 'rules', propensity: 1, shadow: null, adapter_failures: [], warnings: [] });
    expect(decision.attempts).toEqual([expect.objectContaining({ attempt: 1, provider: 'alpha', offer_id: 'a1', result: 'deployed' })]);

    expect(deployment).toMatchObject({
      provider: 'alpha',
      offer_id: 'a1',
      provider_deployment_id: 'alpha-dep-1',
      status: 'provisioning',
      price_usd_per_hour: 1,
      tenant: 'acme',
      decision_id: decision.decision_id,
      cost_usd: 0,
      error: null,
    });
    expect(deployment.deployment_id).toMatch(/^dep-/);
    expect(alpha.calls.deploy[0]!.options.idempotency_key).toBe(`${deployment.deployment_id}-1`);
    expect(await router.getDecision(decision.decision_id)).toEqual(decision);
    expect(decisionSchema.safeParse(decision).success).toBe(true);
    expect(deploymentSchema.safeParse(deployment).success).toBe(true);
  });

  it('starts the cost of a prepaid placement at its committed amount, which running time only raises past it', async () => {
    let now = Date.parse('2026-05-01T00:00:00.000Z');
    const clock = { now: () => now };
    const prepaid = createMockAdapter({ name: 'alpha', clock, offers: [createOffer({ provider: 'alpha', offer_id: 'a1', price_usd_per_hour: 2 })], deploy: { committed_cost_usd: 3, initialStatus: 'running' } });
    const router = createRouter({ adapters: [prepaid], clock });
    const { deployment } = await router.route(request);
    expect(deployment.cost_usd).toBe(3);

    now += 30 * 60_000;
    expect((await router.status(deployment.deployment_id)).cost_usd).toBe(3);
    now += 60 * 60_000;
    expect((await router.status(deployment.deployment_id)).cost_usd).toBe(3);
    now += 60 * 60_000;
    expect((await router.status(deployment.deployment_id)).cost_usd).toBe(5);
  });

  it('ignores a committed cost that is not an amount', async () => {
    const adapter = createMockAdapter({ name: 'alpha', deploy: { committed_cost_usd: -1 } });
    const { deployment } = await createRouter({ adapters: [adapter] }).route(request);
    expect(deployment.cost_usd).toBe(0);
  });

  it('uses the id generator when one is given', async () => {
    let counter = 0;
    const router = createRouter({ adapters: [createMockAdapter({ name: 'alpha' })], generateId: (prefix) => (prefix === 'dep' ? `dep-${++counter}` : `${++counter}`) });
    const { decision, deployment } = await router.route(request);
    expect(decision.decision_id).toBe('dec-1');
    expect(deployment.deployment_id).toBe('dep-2');
  });

  it('fails over to the next candidate after a retryable failure, blocking only that offer', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', [unavailable('alpha')]);
    const router = createRouter({ adapters: [alpha, beta] });
    const failovers = collect(router, 'failover');

    const { decision, deployment } = await router.route(request);

    expect(deployment).toMatchObject({ provider: 'alpha', offer_id: 'a2', status: 'provisioning' });
    expect(decision.chosen!.offer_id).toBe('a1');
    expect(decision.attempts.map(({ offer_id, result }) => [offer_id, result])).toEqual([['a1', 'failed'], ['a2', 'deployed']]);
    expect(decision.attempts[0]!.error).toEqual({ code: 'AURORA_ERR_ADAPTER_CALL', message: 'alpha has no capacity', retryable: true });
    expect(failovers).toEqual([expect.objectContaining({ attempt: 1, provider: 'alpha', offer_id: 'a1', blocked: 'offer', next: { provider: 'alpha', offer_id: 'a2' } })]);
    expect(alpha.calls.deploy.map((call) => call.options.idempotency_key)).toEqual([`${deployment.deployment_id}-1`, `${deployment.deployment_id}-2`]);
  });

  it('blocks the whole provider when the error has provider scope', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', [unavailable('alpha', { scope: 'provider' })]);
    const router = createRouter({ adapters: [alpha, beta] });
    const failovers = collect(router, 'failover');
    const { deployment, decision } = await router.route(request);
    expect(deployment).toMatchObject({ provider: 'beta', offer_id: 'b1' });
    expect(alpha.calls.deploy).toHaveLength(1);
    expect(decision.attempts.map((attempt) => attempt.offer_id)).toEqual(['a1', 'b1']);
    expect(failovers[0]).toMatchObject({ blocked: 'provider', next: { provider: 'beta', offer_id: 'b1' } });
  });

  it('stops at a non-retryable failure', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', unavailable('alpha', { statusCode: 400 }));
    const router = createRouter({ adapters: [alpha, beta] });
    const error = await router.route(request).catch((caught: unknown) => caught);
    expect(DeployFailedError.isInstance(error)).toBe(true);
    const failure = error as DeployFailedError;
    expect(failure.reason).toBe('not_retryable');
    expect(failure.errors).toHaveLength(1);
    expect(failure.details).toMatchObject({ reason: 'not_retryable', attempts: 1, decision_id: expect.stringMatching(/^dec-/), deployment_id: expect.stringMatching(/^dep-/) });
    expect(beta.calls.deploy).toHaveLength(0);
  });

  it('bounds the attempts', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', unavailable('alpha'));
    beta.setFailure('deploy', unavailable('beta'));
    const router = createRouter({ adapters: [alpha, beta], limits: { max_deploy_attempts: 2 } });
    const failovers = collect(router, 'failover');
    const error = (await router.route(request).catch((caught: unknown) => caught)) as DeployFailedError;
    expect(error.reason).toBe('max_attempts');
    expect(alpha.calls.deploy.length + beta.calls.deploy.length).toBe(2);
    expect(failovers.at(-1)!.next).toBeNull();
  });

  it('ends with no_candidates_left when every candidate failed', async () => {
    const { alpha, beta } = market();
    for (const adapter of [alpha, beta]) adapter.setFailure('deploy', unavailable(adapter.name));
    const router = createRouter({ adapters: [alpha, beta], limits: { max_deploy_attempts: 10 } });
    const error = (await router.route(request).catch((caught: unknown) => caught)) as DeployFailedError;
    expect(error.reason).toBe('no_candidates_left');
    expect(error.errors).toHaveLength(3);
  });

  it('respects the route deadline: an attempt is cut short and no new one starts', async () => {
    const { alpha, beta } = market();
    alpha.setLatency({ deploy: 3_000 });
    alpha.setFailure('deploy', unavailable('alpha'));
    beta.setLatency({ deploy: 10_000 });
    const router = createRouter({ adapters: [alpha, beta], limits: { route_deadline_ms: 5_000, deploy_timeout_ms: 30_000, max_deploy_attempts: 5 } });
    const routed = router.route({ ...request, region: 'global' }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(5_000);
    const error = (await routed) as DeployFailedError;
    expect(error.reason).toBe('deadline');
    // a1 failed at 3 s; a2 got the 2 s left and was cut at the deadline; b1 never started
    expect(alpha.calls.deploy.map((call) => call.offer.offer_id)).toEqual(['a1', 'a2']);
    expect(beta.calls.deploy).toHaveLength(0);
    expect(alpha.calls.deploy[1]!.options.signal!.aborted).toBe(true);
    expect(error.lastError).toMatchObject({ reason: 'deadline' });
  });

  it('gives each deploy call its own timeout and fails over after it', async () => {
    const { alpha, beta } = market();
    alpha.setLatency({ deploy: 60_000 });
    const router = createRouter({ adapters: [alpha, beta], limits: { deploy_timeout_ms: 1_000, max_deploy_attempts: 3 } });
    const routed = router.route(request);
    await vi.advanceTimersByTimeAsync(2_000);
    const { deployment, decision } = await routed;
    expect(deployment.provider).toBe('beta');
    expect(decision.attempts.map((attempt) => attempt.error?.message ?? 'ok')).toEqual(['alpha.deploy timed out after 1000 ms', 'alpha.deploy timed out after 1000 ms', 'ok']);
  });

  it('stops when the caller aborts during a deploy', async () => {
    const { alpha, beta } = market();
    alpha.setLatency({ deploy: 5_000 });
    const router = createRouter({ adapters: [alpha, beta] });
    const controller = new AbortController();
    const routed = router.route(request, { signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    const error = (await routed) as DeployFailedError;
    expect(error.reason).toBe('aborted');
    expect(beta.calls.deploy).toHaveLength(0);
  });

  it('throws NoEligibleOfferError with counts by reason and provider', async () => {
    const alpha = createMockAdapter({ name: 'alpha', offers: [createOffer({ provider: 'alpha', offer_id: 'x', price_usd_per_hour: 9 }), createOffer({ provider: 'alpha', offer_id: 'y', region: 'eu-west' })] });
    const beta = createMockAdapter({ name: 'beta', offers: [createOffer({ provider: 'beta', offer_id: 'z', price_usd_per_hour: 8 })] });
    const router = createRouter({ adapters: [alpha, beta] });
    const ends = collect(router, 'route-end');
    const error = await router.route({ ...request, region: 'us-west', max_price: 5 }).catch((caught: unknown) => caught);
    expect(NoEligibleOfferError.isInstance(error)).toBe(true);
    expect((error as NoEligibleOfferError).rejections).toEqual({
      total_offers: 3,
      by_reason: { price_above_max: 2, region_mismatch: 1 },
      by_provider: { alpha: 2, beta: 1 },
    });
    expect((error as Error).message).toBe('0 of 3 offers eligible: 2 price_above_max, 1 region_mismatch');
    expect(ends).toEqual([expect.objectContaining({ status: 'no_eligible', deployment_id: null })]);
    expect(alpha.calls.deploy).toHaveLength(0);
  });
});

describe('router.route durable intent', () => {
  function spyRegistry() {
    const inner = createInMemoryRegistry();
    const saves: Deployment[] = [];
    const registry: DeploymentRegistry = {
      get: (id) => inner.get(id),
      save: async (deployment) => {
        saves.push({ ...deployment });
        await inner.save(deployment);
      },
    };
    return { registry, saves, inner };
  }

  it('saves the intent (pending, no provider id) before adapter.deploy, and the provider id right after', async () => {
    const { registry, saves } = spyRegistry();
    const alpha = createMockAdapter({ name: 'alpha' });
    const seenAtDeploy: Deployment[] = [];
    const deploy = alpha.deploy.bind(alpha);
    alpha.deploy = async (...args) => {
      seenAtDeploy.push(...saves.map((save) => ({ ...save })));
      return deploy(...args);
    };
    const router = createRouter({ adapters: [alpha], registry });
    const { deployment } = await router.route(request, { idempotency_key: 'job-7' });

    expect(seenAtDeploy).toEqual([
      expect.objectContaining({ deployment_id: deployment.deployment_id, status: 'pending', provider: 'alpha', offer_id: 'alpha-offer-1', provider_deployment_id: null, idempotency_key: 'job-7' }),
    ]);
    expect(saves).toHaveLength(2);
    expect(saves[1]).toMatchObject({ status: 'provisioning', provider_deployment_id: 'alpha-dep-1' });
    expect(await registry.get(deployment.deployment_id)).toEqual(deployment);
  });

  it('saves a new intent for each failover attempt, and the failure at the end', async () => {
    const { registry, saves } = spyRegistry();
    const { alpha, beta } = market();
    alpha.setFailure('deploy', unavailable('alpha', { scope: 'provider' }));
    beta.setFailure('deploy', unavailable('beta'));
    const router = createRouter({ adapters: [alpha, beta], registry });
    const error = (await router.route(request).catch((caught: unknown) => caught)) as DeployFailedError;
    expect(saves.map(({ status, provider, offer_id, provider_deployment_id }) => [status, provider, offer_id, provider_deployment_id])).toEqual([
      ['pending', 'alpha', 'a1', null],
      ['pending', 'beta', 'b1', null],
      ['failed', 'beta', 'b1', null],
    ]);
    expect(saves[2]!.error).toBe(error.message);
    expect(saves[2]!.ended_at).toBe('2026-03-01T00:00:00.000Z');
    expect(new Set(saves.map((save) => save.deployment_id)).size).toBe(1);
  });

  it('saves the deployed record and its decision in one saveRoute call when the registry has one', async () => {
    const { registry, saves, inner } = spyRegistry();
    const routed: Array<{ deployment: Deployment; decision: Decision }> = [];
    const withSaveRoute: DeploymentRegistry = {
      ...registry,
      saveDecision: async () => {
        throw new Error('saveDecision is not used when saveRoute exists');
      },
      saveRoute: async (deployment, decision) => {
        routed.push({ deployment: { ...deployment }, decision });
        await inner.save(deployment);
      },
    };
    const router = createRouter({ adapters: [createMockAdapter({ name: 'alpha' })], registry: withSaveRoute });
    const { deployment, decision } = await router.route(request);

    expect(saves).toEqual([expect.objectContaining({ status: 'pending', provider_deployment_id: null })]);
    expect(routed).toEqual([{ deployment, decision }]);
    expect(deployment).toMatchObject({ status: 'provisioning', provider_deployment_id: 'alpha-dep-1' });
    expect(decision.warnings).toEqual([]);
    expect(await router.getDecision(decision.decision_id)).toBe(decision);
  });

  it('fails the route with the registry error when saveRoute fails after the deploy', async () => {
    const { registry } = spyRegistry();
    const alpha = createMockAdapter({ name: 'alpha' });
    const failing: DeploymentRegistry = {
      ...registry,
      saveRoute: async () => {
        throw new Error('disk full');
      },
    };
    const router = createRouter({ adapters: [alpha], registry: failing });
    await expect(router.route(request)).rejects.toMatchObject({ code: 'AURORA_ERR_REGISTRY', message: expect.stringContaining('disk full') });
    expect(alpha.calls.deploy).toHaveLength(1);
  });

  it('never calls the provider when the intent cannot be saved', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const registry: DeploymentRegistry = {
      get: async () => undefined,
      save: async () => {
        throw new Error('disk full');
      },
    };
    const router = createRouter({ adapters: [alpha], registry });
    await expect(router.route(request)).rejects.toMatchObject({ code: 'AURORA_ERR_REGISTRY', message: expect.stringContaining('disk full') });
    expect(alpha.calls.deploy).toHaveLength(0);
  });
});

describe('router.route idempotency', () => {
  it('shares one route between concurrent calls with the same key, and replays it later', async () => {
    const alpha = createMockAdapter({ name: 'alpha', latencyMs: { deploy: 100 } });
    const router = createRouter({ adapters: [alpha] });
    const first = router.route(request, { idempotency_key: 'job-1' });
    const second = router.route(request, { idempotency_key: 'job-1' });
    await vi.advanceTimersByTimeAsync(100);
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    const later = await router.route(request, { idempotency_key: 'job-1' });
    expect(later).toBe(a);
    expect(alpha.calls.deploy).toHaveLength(1);
  });

  it('keys by tenant too, and refuses a key reused with another request', async () => {
    const alpha = createMockAdapter({ name: 'alpha' });
    const router = createRouter({ adapters: [alpha] });
    const acme = await router.route(request, { idempotency_key: 'job-1', tenant: 'acme' });
    const globex = await router.route(request, { idempotency_key: 'job-1', tenant: 'globex' });
    expect(globex.deployment.deployment_id).not.toBe(acme.deployment.deployment_id);
    const error = await router.route({ ...request, gpu_count: 2 }, { idempotency_key: 'job-1', tenant: 'acme' }).catch((caught: unknown) => caught);
    expect(ConflictError.isInstance(error)).toBe(true);
  });

  it('forgets a failed route so that a retry with the same key routes again', async () => {
    const alpha = createMockAdapter({ name: 'alpha', failures: { deploy: [unavailable('alpha', { statusCode: 400 })] } });
    const router = createRouter({ adapters: [alpha] });
    await expect(router.route(request, { idempotency_key: 'job-2' })).rejects.toMatchObject({ reason: 'not_retryable' });
    const retried = await router.route(request, { idempotency_key: 'job-2' });
    expect(retried.deployment.status).toBe('provisioning');
    expect(alpha.calls.deploy).toHaveLength(2);
  });

  it('replays from the registry across router instances', async () => {
    const registry = createInMemoryRegistry();
    const alpha = createMockAdapter({ name: 'alpha' });
    const original = await createRouter({ adapters: [alpha], registry }).route(request, { idempotency_key: 'job-3', tenant: 'acme' });
    const restarted = createRouter({ adapters: [alpha], registry });
    const replay = await restarted.route(request, { idempotency_key: 'job-3', tenant: 'acme' });
    expect(replay.deployment).toEqual(original.deployment);
    expect(replay.decision).toEqual(original.decision);
    expect(alpha.calls.deploy).toHaveLength(1);
  });

  it('validates the key', async () => {
    const router = createRouter({ adapters: [createMockAdapter()] });
    await expect(router.route(request, { idempotency_key: '' })).rejects.toMatchObject({ issues: [{ field: 'idempotency_key' }] });
  });
});

describe('router.route policy', () => {
  const pickSecond: Policy = {
    id: 'pick-second',
    version: '2.0.0',
    decide: (_context, candidates) => ({
      index: 1,
      propensity: 0.25,
      scores: candidates.map((candidate) => candidate.score),
      policy_id: 'pick-second',
      policy_version: '2.0.0',
      arm: 'ai',
      shadow: { policy_id: 'shadow-first', policy_version: '0.1', index: 0, propensity: 1 },
    }),
  };

  it("deploys the policy's pick first and records its propensity, arm and shadow", async () => {
    const { alpha, beta } = market();
    const decide = vi.spyOn(pickSecond, 'decide');
    const router = createRouter({ adapters: [alpha, beta], policy: pickSecond });
    const { decision, deployment } = await router.route(request, { tenant: 'acme', idempotency_key: 'k' });
    expect(deployment.offer_id).toBe('a2');
    expect(decision).toMatchObject({
      chosen: { offer_id: 'a2' },
      policy: { id: 'pick-second', version: '2.0.0' },
      arm: 'ai',
      propensity: 0.25,
      shadow: { policy: { id: 'shadow-first', version: '0.1' }, offer_id: 'a1', propensity: 1 },
    });
    expect(decide.mock.calls[0]![0]).toMatchObject({ decision_id: decision.decision_id, tenant: 'acme', idempotency_key: 'k', now: Date.parse('2026-03-01T00:00:00.000Z') });
    decide.mockRestore();
  });

  it('after a failure of the pick, fails over in scorer order', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', [unavailable('alpha')]);
    const { decision } = await createRouter({ adapters: [alpha, beta], policy: pickSecond }).route(request);
    expect(decision.attempts.map((attempt) => attempt.offer_id)).toEqual(['a2', 'a1']);
  });

  it.each([
    ['throws', () => { throw new Error('model server down'); }, /Policy broken failed: model server down/],
    ['answers an index out of range', () => ({ index: 7, propensity: 1, scores: [], policy_id: 'broken', policy_version: '1', arm: 'ai' }), /index 7 is not in 0\.\.2/],
    ['answers a zero propensity', () => ({ index: 0, propensity: 0, scores: [], policy_id: 'broken', policy_version: '1', arm: 'ai' }), /propensity 0 is not in \(0, 1\]/],
  ])('falls back to the rule policy when the policy %s', async (_name, decide, warning) => {
    const { alpha, beta } = market();
    const router = createRouter({ adapters: [alpha, beta], policy: { id: 'broken', version: '1', decide: decide as Policy['decide'] } });
    const { decision, deployment } = await router.route(request);
    expect(deployment.offer_id).toBe('a1');
    expect(decision).toMatchObject({ policy: { id: 'rules' }, arm: 'rules', propensity: 1 });
    expect(decision.warnings).toEqual([expect.stringMatching(warning)]);
    expect(decision.warnings[0]).toMatch(/the rule policy decided instead$/);
  });
});

describe('router.route events', () => {
  it('emits route-start, offer-rejected, failover, route-end in order', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', [unavailable('alpha', { scope: 'provider' })]);
    const extra = createMockAdapter({ name: 'gamma', offers: [createOffer({ provider: 'gamma', offer_id: 'g1', region: 'eu-west' })] });
    const router = createRouter({ adapters: [alpha, beta, extra] });
    const order: string[] = [];
    for (const event of ['route-start', 'offer-rejected', 'failover', 'deploy-failed', 'route-end'] as const) router.on(event, () => order.push(event));
    const rejected = collect(router, 'offer-rejected');
    const ends = collect(router, 'route-end');
    const starts = collect(router, 'route-start');

    const { decision, deployment } = await router.route({ ...request, region: 'us-west' });

    expect(order).toEqual(['route-start', 'offer-rejected', 'failover', 'route-end']);
    expect(starts[0]).toMatchObject({ decision_id: decision.decision_id, deployment_id: deployment.deployment_id, tenant: null, idempotency_key: null });
    expect(rejected).toEqual([expect.objectContaining({ provider: 'gamma', offer_id: 'g1', reason: 'region_mismatch', decision_id: decision.decision_id })]);
    expect(ends).toEqual([expect.objectContaining({ status: 'deployed', provider: 'beta', attempts: 2, error: null, deployment_id: deployment.deployment_id })]);
  });

  it('emits deploy-failed and route-end failed when every attempt fails', async () => {
    const alpha = createMockAdapter({ name: 'alpha', failures: { deploy: unavailable('alpha') } });
    const router = createRouter({ adapters: [alpha] });
    const failed = collect(router, 'deploy-failed');
    const ends = collect(router, 'route-end');
    const error = await router.route(request).catch((caught: unknown) => caught);
    expect(failed).toEqual([expect.objectContaining({ error, attempts: [expect.objectContaining({ result: 'failed' })] })]);
    expect(ends).toEqual([expect.objectContaining({ status: 'failed', provider: 'alpha', error })]);
  });

  it('survives a listener that throws', async () => {
    const router = createRouter({ adapters: [createMockAdapter()] });
    router.on('route-start', () => {
      throw new Error('listener bug');
    });
    await expect(router.route(request)).resolves.toMatchObject({ deployment: { status: 'provisioning' } });
  });
});

describe('router.route and the circuit breaker', () => {
  it('opens the provider circuit at once on a 429 with Retry-After and emits circuit-open', async () => {
    const { alpha, beta } = market();
    alpha.setFailure('deploy', [new AdapterCallError({ message: 'slow down', adapterId: 'alpha', operation: 'deploy', statusCode: 429, retryAfterMs: 10_000 })]);
    const router = createRouter({ adapters: [alpha, beta] });
    const opened = collect(router, 'circuit-open');
    const { deployment } = await router.route(request);
    expect(deployment.provider).toBe('beta');
    expect(opened).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'alpha', gpu_type: null, reason: 'rate_limited' })]));
    const quote = await router.quote(request);
    expect(quote.rejections.filter((rejection) => rejection.reason === 'circuit_open').map((rejection) => rejection.offer_id)).toEqual(['a1', 'a2']);
  });

  it('opens the provider + GPU type circuit after repeated deploy failures of its offers', async () => {
    const alpha = createMockAdapter({
      name: 'alpha',
      offers: [createOffer({ provider: 'alpha', offer_id: 'a100-offer' }), createOffer({ provider: 'alpha', offer_id: 'h100-offer', gpu_type: 'h100' })],
      failures: { deploy: (call) => (call <= 2 ? unavailable('alpha') : undefined) },
    });
    const router = createRouter({ adapters: [alpha], limits: { circuit: { consecutive_failures: 2 }, max_deploy_attempts: 1 } });
    await expect(router.route(request)).rejects.toMatchObject({ reason: 'max_attempts' });
    await expect(router.route(request)).rejects.toMatchObject({ reason: 'max_attempts' });
    await expect(router.route(request)).rejects.toMatchObject({ code: 'AURORA_ERR_NO_ELIGIBLE_OFFER', rejections: { by_reason: { circuit_open: 1, gpu_type_mismatch: 1 } } });
    const h100 = await router.route({ ...request, gpu_type: 'h100' });
    expect(h100.deployment.offer_id).toBe('h100-offer');
    expect(router.providers()[0]!.circuit).toBe('closed');
  });
});
