import { describe, expect, it } from 'vitest';
import { RulePolicy } from '@aurora/router';
import { coreOffPolicyEstimator } from './core-off-policy-estimator';
import { runPolicyExperiment, type MarketInputs, type PolicyFactory } from './policy-experiment';
import { learningPolicyFactory, rulesPolicyFactory } from './policy-factories';

const synthetic: MarketInputs = { catalog: [], traces: [], availability: [] };

describe('runPolicyExperiment', () => {
  it('reports zero difference, exactly, for a treatment that decides like the control (same worlds, same draws)', async () => {
    const copy: PolicyFactory = { id: 'rules-copy', learns: false, create: ({ random }) => new RulePolicy({ random }) };
    const report = await runPolicyExperiment({ market: synthetic, seeds: [1, 2], requests: 120, policies: [rulesPolicyFactory(), copy] });
    const difference = report.differences['rules-copy']!;
    for (const estimate of Object.values(difference)) {
      expect(estimate.per_seed).toEqual([0, 0]);
      expect(estimate.ci95).toEqual([0, 0]);
    }
    expect(report.policies['rules']!.fill_rate.mean).toBeGreaterThan(0.5);
    expect(report.policies['rules']!.fill_rate.n).toBe(2);
  });

  it('runs the learning policy against the rules with off-policy evaluation and leave-one-provider-out, deterministically', async () => {
    const options = {
      market: synthetic,
      seeds: [3, 4],
      requests: 90,
      policies: [rulesPolicyFactory(), learningPolicyFactory()],
      offPolicy: coreOffPolicyEstimator,
      leaveOneProviderOut: true,
    };
    const report = await runPolicyExperiment(options);
    expect(report.control).toBe('rules');
    expect(report.treatments).toEqual(['ai']);
    expect(report.differences['ai']!.fill_rate_pts.per_seed).toHaveLength(2);
    const ope = report.ope!['ai']!;
    expect(Object.keys(ope.estimators)).toEqual(['ips', 'snips', 'dr']);
    expect(Number.isFinite(ope.truth.mean)).toBe(true);
    expect(ope.logged_decisions_per_seed).toBeGreaterThan(20);
    const providers = Object.keys(report.leave_one_provider_out!.providers);
    expect(providers).toEqual(['aethir', 'akash', 'flux', 'ionet', 'render', 'runpod', 'salad', 'vastai']);
    expect(report.leave_one_provider_out!.pooled['ai']!.fill_rate_pts.per_seed).toHaveLength(2);
    expect(await runPolicyExperiment(options)).toEqual(report);
  });

  it('measures the headroom: the hindsight oracle beats every policy, the informed one sits between it and chance', async () => {
    const report = await runPolicyExperiment({ market: synthetic, seeds: [6, 7], requests: 150, policies: [rulesPolicyFactory(), learningPolicyFactory()] });
    const { oracle, over_control: overControl, informed } = report.headroom!;
    expect(oracle.regret_mean.mean).toBe(0);
    for (const id of ['rules', 'ai']) expect(oracle.reward_mean.mean).toBeGreaterThan(report.policies[id]!.reward_mean.mean);
    expect(overControl.reward.per_seed.every((gain) => gain !== null && gain > 0)).toBe(true);
    expect(overControl.fill_rate_pts.mean).toBeGreaterThanOrEqual(0);
    // Knowing the rates is worth less than knowing the draws, and never worse than the rules' guess by much.
    expect(informed!.oracle.reward_mean.mean).toBeLessThan(oracle.reward_mean.mean);
    expect(informed!.oracle.regret_mean.mean).toBeGreaterThan(0);
    expect(informed!.over_control.reward.mean).toBeGreaterThan(-0.05);
  });

  it('hands each seed\'s holdout log and learned state to the caller', async () => {
    const seen: number[] = [];
    await runPolicyExperiment({
      market: synthetic, seeds: [5], requests: 60, policies: [rulesPolicyFactory(), learningPolicyFactory()],
      onSeedArtifacts: (artifacts) => {
        seen.push(artifacts.seed);
        expect(artifacts.holdoutLog.length).toBeGreaterThan(0);
        expect(artifacts.holdoutLogJsonLines.trim().split('\n')).toHaveLength(artifacts.holdoutLog.length);
        expect(artifacts.policyStates.get('ai')).toMatchObject({ format: 'aurora.learning-policy' });
      },
    });
    expect(seen).toEqual([5]);
  });

  it('rejects options that cannot produce an experiment', async () => {
    await expect(runPolicyExperiment({ market: synthetic, seeds: [], requests: 10, policies: [rulesPolicyFactory()] })).rejects.toMatchObject({ code: 'AURORA_ERR_INVALID_ARGUMENT' });
    await expect(runPolicyExperiment({ market: synthetic, seeds: [1], requests: 10, policies: [rulesPolicyFactory()], loggingEpsilon: 0 })).rejects.toMatchObject({ code: 'AURORA_ERR_INVALID_ARGUMENT' });
  });
});
