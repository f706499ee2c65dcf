import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../__fixtures__/test-server';
import { designMetricFamilies } from '../metrics/design-metric-families';
import { policyMetricFamilies } from '../metrics/policy-metric-families';
import { routeMany, startPolicyTestServer } from './__fixtures__/policy-test-server';
import { policyStatusSchema, type PolicyStatus } from './policy-status-schema';

/** The value of an unlabelled sample (or of one label set) in a Prometheus exposition. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the aurora_ai_* and aurora_psi_* metrics of a hybrid server', () => {
  let server: TestServer;
  let text: string;
  let status: PolicyStatus;

  beforeAll(async () => {
    server = await startPolicyTestServer({ router: { mode: 'hybrid', ai_rollout_percentage: 50 } });
    await routeMany(server, 120, 'metrics');
    await server.app.aurora.policy.flush();
    await server.app.aurora.policy.updateMetrics();
    await server.app.aurora.policy.refreshEvaluation();
    status = policyStatusSchema.parse((await server.request('GET', '/policy')).body);
    const response = await server.request('GET', '/metrics');
    expect(response.status).toBe(200);
    text = response.text;
  });
  afterAll(async () => server?.close());

  it('announces every aurora_ai_* and aurora_psi_* family', () => {
    const names = [...designMetricFamilies, ...policyMetricFamilies].map((family) => family.name).filter((name) => /^aurora_(ai|psi)_/.test(name));
    expect(names.filter((name) => name.startsWith('aurora_psi_')).length).toBeGreaterThanOrEqual(7);
    for (const name of names) expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter)$`, 'm'));
  });

  it('reports the live values: decisions by mode, reward, fill-rate improvement, rollout share and the Psi-field', () => {
    expect(sample(text, 'aurora_ai_decisions_total', '{mode="ai"}')).toBe(status.arms.ai.decisions);
    expect(status.arms.ai.decisions).toBeGreaterThan(30);
    expect(sample(text, 'aurora_ai_reward')).toBeCloseTo(status.arms.ai.mean_reward!, 9);
    // Every deployment of both arms ran: no difference in fill rate.
    expect(sample(text, 'aurora_ai_fill_rate_improvement')).toBe(0);
    expect(status.ab_metrics.fill_rate_improvement).toBe(0);
    expect(sample(text, 'aurora_ai_rollout_percentage')).toBe(50);
    expect(sample(text, 'aurora_ai_policy_state_version')).toBe(0);

    const psi = status.psi!;
    expect(psi.decisions).toBe(status.arms.ai.decisions);
    expect(sample(text, 'aurora_psi_decision_entropy')).toBeCloseTo(psi.decision_entropy.normalized, 9);
    expect(sample(text, 'aurora_psi_exploration_rate')).toBeCloseTo(psi.exploration_rate, 9);
    expect(sample(text, 'aurora_psi_rule_agreement')).toBeCloseTo(psi.rule_agreement, 9);
    expect(sample(text, 'aurora_psi_guarded_share')).toBeCloseTo(psi.guarded_share, 9);
    // Both arms have enough rewards: the uplift is the live A/B difference with its interval.
    expect(psi.uplift_over_rules?.source).toBe('ab');
    expect(sample(text, 'aurora_psi_uplift')).toBeCloseTo(psi.uplift_over_rules!.estimate, 9);
    expect(sample(text, 'aurora_psi_uplift_low')).toBeCloseTo(psi.uplift_over_rules!.ci[0], 9);
    expect(sample(text, 'aurora_psi_uplift_high')).toBeCloseTo(psi.uplift_over_rules!.ci[1], 9);
    expect(sample(text, 'aurora_psi_reward_drift')).toBeCloseTo(psi.reward_model_drift!.page_hinkley, 9);
    // The exploration floor (5 %) keeps the distribution from collapsing.
    expect(psi.exploration_rate).toBeGreaterThan(0);
    expect(psi.decision_entropy.normalized).toBeGreaterThan(0);
  });

  it('computes off-policy estimates in the background, shown on /policy', () => {
    expect(status.ope).not.toBeNull();
    expect(status.ope!.records).toBe(120);
    expect(status.ope!.estimates!.dr.ci[0]).toBeLessThanOrEqual(status.ope!.estimates!.dr.estimate);
    expect(status.ope!.estimates!.dr.ci[1]).toBeGreaterThanOrEqual(status.ope!.estimates!.dr.estimate);
    expect(status.ope!.logged_mean_reward).toBeCloseTo(
      ((status.arms.ai.mean_reward ?? 0) * status.arms.ai.decisions + (status.arms.rules.mean_reward ?? 0) * status.arms.rules.decisions) / 120,
      9,
    );
    expect(status.ope!.uplift_over_rules).not.toBeNull();
  });

  it('passes promtool check metrics', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (result.error) throw new Error(`promtool is required for this test (apt-get install prometheus): ${result.error.message}`);
    const acceptedLints = new Set(['aurora_provider_latency_ms metric names should not contain abbreviated units']);
    const lints = `${result.stdout}${result.stderr}`.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    expect(lints.filter((line) => !acceptedLints.has(line))).toEqual([]);
    expect([0, 3]).toContain(result.status);
  });
});
