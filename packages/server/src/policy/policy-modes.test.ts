import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../__fixtures__/test-server';
import { routeResponseSchema } from '../schemas/api-schemas';
import { policyRouteRequest, routeMany, startPolicyTestServer } from './__fixtures__/policy-test-server';
import { policyStatusSchema } from './policy-status-schema';

// Each routing mode over real HTTP: the server on a free port, a SQLite ledger in a temp dir, two
// mock providers whose deployments run at once (so every route also produces a filled outcome).

describe('routing modes', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('rule-based: the scorer decides (arm rules), logged with its exact distribution; /policy has no model', async () => {
    server = await startPolicyTestServer({ router: { mode: 'rule-based' } });
    const [body] = await routeMany(server, 1, 'rules');
    const route = routeResponseSchema.parse(body);
    expect(route.decision).toMatchObject({ arm: 'rules', policy: { id: 'rules' }, propensity: 1, shadow: null });
    expect(route.offer_id).toBe(route.decision.candidates[0]!.offer.offer_id);

    const stored = await server.store.getDecision(route.decision_id);
    expect(stored?.log).toMatchObject({ decision_id: route.decision_id, arm: 'rules', policy_id: 'rules', chosen_index: 0, propensity: 1 });
    expect(stored?.log?.candidates).toHaveLength(6);
    expect(stored?.log?.probabilities).toEqual([1, 0, 0, 0, 0, 0]);

    const status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    expect(status).toMatchObject({ mode: 'rule-based', ai_percentage: 0, rollout: null, model: null, ope: null, psi: null });
    expect(status.arms.rules).toMatchObject({ share: 100, decisions: 1 });
    expect(status.arms.ai).toMatchObject({ share: 0, decisions: 0 });
  });

  it('ai: the learning policy decides every route (arm ai) and reports its model version', async () => {
    server = await startPolicyTestServer({ router: { mode: 'ai' } });
    const bodies = await routeMany(server, 5, 'ai');
    for (const body of bodies) {
      const route = routeResponseSchema.parse(body);
      expect(route.decision.arm).toBe('ai');
      expect(route.decision.policy.id).toBe('learning');
      expect(route.decision.policy.version).toMatch(/\+state\.0$/);
      expect(route.decision.propensity).toBeGreaterThan(0);
      const log = (await server.store.getDecision(route.decision_id))?.log;
      expect(log?.probabilities?.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
      expect(log?.probabilities?.[log.chosen_index]).toBeCloseTo(route.decision.propensity, 12);
      expect(log?.guarded).toBe(true);
    }

    await server.app.aurora.policy.flush();
    const status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    expect(status).toMatchObject({ mode: 'ai', ai_percentage: 100, rollout: null, policy: { id: 'learning' } });
    expect(status.arms.ai.decisions).toBe(5);
    expect(status.model).toMatchObject({ policy_id: 'learning', state: { version: 0 }, observations: 5, pending_decisions: 5 });
    expect(status.psi?.decisions).toBe(5);
    // Untrained and guarded, the learner follows the rules: its greedy pick is the rule pick.
    expect(status.psi?.rule_agreement).toBe(1);
    expect(status.psi?.guarded_share).toBe(1);
  });

  it('counts a deployment once in the learner and the A/B metrics, although the router reports it when it runs and when it ends', async () => {
    server = await startPolicyTestServer({ router: { mode: 'ai' } });
    const [body] = await routeMany(server, 1, 'twice');
    const runtime = server.app.aurora.policy;
    await runtime.flush();
    expect(runtime.learner!.learner.diagnostics().observations).toBe(1);

    const ended = await server.request('DELETE', `/deployments/${body.deployment_id}`);
    expect(ended.body.status).toBe('terminated');
    await server.app.aurora.outcomes.flush();
    await runtime.flush();
    const diagnostics = runtime.learner!.learner.diagnostics();
    expect(diagnostics).toMatchObject({ observations: 1, unmatched_outcomes: 0 });
    expect((await server.store.getDecision(body.decision_id))?.outcome).toMatchObject({ cost_usd: expect.any(Number), gpu_hours_delivered: expect.any(Number) });

    await runtime.updateMetrics();
    const status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    expect(status.ab_metrics.arms.ai).toMatchObject({ outcomes: 1, fill_rate: { count: 1 }, cost_per_gpu_hour: { count: 1 } });
  });

  it('hybrid: the ai arm gets about ai_rollout_percentage of the distinct idempotency keys, and a replay keeps its arm', async () => {
    server = await startPolicyTestServer({ router: { mode: 'hybrid', ai_rollout_percentage: 30 } });
    const bodies = await routeMany(server, 400, 'split');
    const ai = bodies.filter((body) => body.decision.arm === 'ai').length;
    expect(bodies.every((body) => ['rules', 'ai'].includes(body.decision.arm))).toBe(true);
    // Binomial(400, 0.3): mean 120, standard deviation 9.2; the split is a hash, so this is exact per key set.
    expect(ai).toBeGreaterThan(120 - 4 * 9.2);
    expect(ai).toBeLessThan(120 + 4 * 9.2);
    for (const body of bodies) expect(body.decision.policy.id).toBe(body.decision.arm === 'ai' ? 'learning' : 'rules');

    const replay = await server.request('POST', '/route', { body: policyRouteRequest, headers: { 'idempotency-key': 'split-7' } });
    expect(replay.body.decision.arm).toBe(bodies[7].decision.arm);

    const status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    expect(status.ai_percentage).toBe(30);
    expect(status.arms.ai).toMatchObject({ share: 30, decisions: ai });
    expect(status.arms.rules).toMatchObject({ share: 70, decisions: 400 - ai });
  });

  it('shadow: the rules deploy every route; the learner\'s pick is recorded beside it and never deployed', async () => {
    server = await startPolicyTestServer({ router: { mode: 'shadow', policy: { rule_epsilon: 0 } } });
    const bodies = await routeMany(server, 20, 'shadow');
    for (const body of bodies) {
      const route = routeResponseSchema.parse(body);
      expect(route.decision.arm).toBe('rules');
      expect(route.decision.policy.id).toBe('rules');
      expect(route.decision.shadow).toMatchObject({ policy: { id: 'learning' } });
      expect(route.decision.candidates.map((candidate) => candidate.offer.offer_id)).toContain(route.decision.shadow!.offer_id);
      expect(route.offer_id).toBe(route.decision.candidates[0]!.offer.offer_id);
      const log = (await server.store.getDecision(route.decision_id))?.log;
      expect(log?.shadow).toMatchObject({ policy_id: 'learning' });
      expect(log?.candidates[log.shadow!.index]!.offer.offer_id).toBe(route.decision.shadow!.offer_id);
    }
    await server.app.aurora.policy.flush();
    const status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    expect(status).toMatchObject({ mode: 'shadow', ai_percentage: 0 });
    expect(status.arms.rules.decisions).toBe(20);
    // The learner decided alongside every route and learned from every outcome.
    expect(status.psi?.decisions).toBe(20);
    expect(status.model?.observations).toBe(20);
    expect(status.model?.unmatched_outcomes).toBe(0);
  });
});
