import type { StageChange } from '@aurora/router';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../__fixtures__/test-server';
import { routeMany, startPolicyTestServer } from './__fixtures__/policy-test-server';
import { policyStatusSchema } from './policy-status-schema';

// The rollout controller inside the server, over real HTTP: small minimums from router.yaml so a
// stage can pass on a few dozen outcomes, and the evaluation pass (the `policy-ab-metrics` loop)
// run by the test instead of a timer.

const fastRollout = {
  enabled: true,
  minimum_samples_per_stage: 10,
  minimum_samples_for_test: 5,
  minimum_stage_duration_ms: 0,
  guardrails: [{ metric: 'fill_rate', margin: 0.3 }],
};

async function policyStatus(server: TestServer) {
  const response = await server.request('GET', '/policy');
  expect(response.status).toBe(200);
  return policyStatusSchema.parse(response.body);
}

describe('the rollout in the server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('advances 10 -> 50 % once both arms have enough outcomes and no guardrail is breached, and shows it in /policy', async () => {
    server = await startPolicyTestServer({ router: { mode: 'hybrid', rollout: fastRollout } });
    const changes: StageChange[] = [];
    server.app.aurora.policy.on('stage-change', (change) => changes.push(change));

    const before = await policyStatus(server);
    expect(before.ai_percentage).toBe(10);
    expect(before.rollout).toMatchObject({ phase: 'running', stages: [10, 50, 100], stage_index: 0, percentage: 10 });

    const bodies = await routeMany(server, 160, 'stage-one');
    const aiRoutes = bodies.filter((body) => body.decision.arm === 'ai').length;
    expect(aiRoutes).toBeGreaterThanOrEqual(10);
    await server.app.aurora.policy.flush();
    await server.app.aurora.policy.updateMetrics();

    const after = await policyStatus(server);
    expect(after.ai_percentage).toBe(50);
    expect(after.rollout).toMatchObject({ phase: 'running', stage_index: 1, percentage: 50, leader: true, samples: { rules: 0, ai: 0 } });
    expect(after.rollout!.version).toBeGreaterThanOrEqual(1);
    expect(after.rollout!.history).toEqual([expect.objectContaining({ kind: 'advance', from: 10, to: 50, from_stage: 0, to_stage: 1 })]);
    expect(after.rollout!.history[0]!.reason).toMatch(/stage 10 % passed/);
    expect(after.rollout!.last_decision).toMatchObject({ action: 'advance' });
    expect(changes).toEqual([expect.objectContaining({ kind: 'advance', from: 10, to: 50 })]);
    // The decision counts restart with the stage, and so do the A/B metrics (a new stage key).
    expect(after.arms.ai.decisions).toBe(0);
    expect(after.ab_metrics.stage_key).not.toBe(before.ab_metrics.stage_key);

    const next = await routeMany(server, 100, 'stage-two');
    const share = next.filter((body) => body.decision.arm === 'ai').length;
    expect(share).toBeGreaterThan(30);
    expect(share).toBeLessThan(70);
  });

  it('rolls back on its own when the ai arm breaches the fill-rate guardrail; logs, emits, and resumes on request', async () => {
    const lines: string[] = [];
    // Deployments stay provisioning: the only outcomes are the synthetic ones fed below. The
    // mixture scale is set for large effects, so a few dozen outcomes show the breach.
    server = await startPolicyTestServer({
      router: { mode: 'hybrid', rollout: { ...fastRollout, stages: [50, 100], guardrails: [{ metric: 'fill_rate', margin: 0.02, mixture_scale: 0.5 }] }, server: { log_level: 'info' } },
      deploy: { initialStatus: 'provisioning', runningAfterStatusCalls: 1_000 },
      buildOptions: { logger: undefined, logDestination: { write: (line) => void lines.push(line) } },
    });
    const changes: StageChange[] = [];
    server.app.aurora.policy.on('stage-change', (change) => changes.push(change));

    const bodies = await routeMany(server, 60, 'degraded');
    const router = server.app.aurora.router;
    for (const body of bodies) {
      const filled = body.decision.arm === 'rules';
      await router.recordOutcome({
        decision_id: body.decision_id,
        deployment_id: body.deployment_id,
        provider: body.provider,
        offer_id: body.offer_id,
        filled,
        ...(filled ? { time_to_running_ms: 40_000 } : { failure_reason: 'capacity' }),
        observed_at: new Date().toISOString(),
      });
    }
    await server.app.aurora.policy.flush();
    await server.app.aurora.policy.updateMetrics();

    const status = await policyStatus(server);
    expect(status.ai_percentage).toBe(0);
    expect(status.rollout).toMatchObject({ phase: 'rolled_back', stage_index: null, percentage: 0 });
    expect(status.rollout!.history).toEqual([expect.objectContaining({ kind: 'rollback', from: 50, to: 0 })]);
    expect(status.rollout!.history[0]!.reason).toMatch(/fill_rate breached: ai 0 vs rules 1/);
    expect(changes.map((change) => change.kind)).toEqual(['rollback']);
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string; kind?: string });
    expect(logged).toContainEqual(expect.objectContaining({ level: 40, kind: 'rollback', msg: expect.stringMatching(/^rollout rollback: ai share 50 % -> 0 %: fill_rate breached/) }));
    expect(logged.filter((line) => /rollback/.test(line.msg))).toHaveLength(1);

    // Rolled back, every route goes to the rules, and it stays so (sticky) through later passes.
    const after = await routeMany(server, 20, 'after-rollback');
    expect(after.every((body) => body.decision.arm === 'rules')).toBe(true);
    await server.app.aurora.policy.updateMetrics();
    expect((await policyStatus(server)).rollout?.phase).toBe('rolled_back');

    const resumed = await server.request('POST', '/policy/rollout', { body: { action: 'resume', reason: 'capacity fixed' } });
    expect(resumed.status).toBe(200);
    expect(policyStatusSchema.parse(resumed.body)).toMatchObject({ ai_percentage: 50, rollout: { phase: 'running', stage_index: 0, percentage: 50 } });
    expect(changes.map((change) => change.kind)).toEqual(['rollback', 'resume']);
    expect(changes[1]!.reason).toBe('capacity fixed');
  });

  it('evaluates on its own in the background loop, which stops with the server', async () => {
    server = await startPolicyTestServer({
      router: { mode: 'hybrid', rollout: { ...fastRollout, evaluate_interval_ms: 10 }, policy: { state_sync_interval_ms: 10 } },
      startBackground: true,
    });
    await routeMany(server, 160, 'background');
    const runtime = server.app.aurora.policy;
    // Wait for the loops' passes (a condition, not a duration).
    for (let attempt = 0; attempt < 500 && (await policyStatus(server)).ai_percentage !== 50; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    const status = await policyStatus(server);
    expect(status.rollout).toMatchObject({ stage_index: 1, percentage: 50 });
    expect(status.model?.state.version).toBeGreaterThanOrEqual(1);
    expect(runtime.running).toBe(true);
    await server.close();
    server = undefined;
    expect(runtime.running).toBe(false);
  });

  it('refuses rollout actions when the rollout is off, and bad ones', async () => {
    server = await startPolicyTestServer({ router: { mode: 'hybrid', ai_rollout_percentage: 20 } });
    const off = await server.request('POST', '/policy/rollout', { body: { action: 'reset' } });
    expect(off.status).toBe(409);
    expect(off.body.error.message).toMatch(/not enabled/);
    const bad = await server.request('POST', '/policy/rollout', { body: { action: 'jump' } });
    expect(bad.status).toBe(400);
  });
});
