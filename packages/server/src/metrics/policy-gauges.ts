import type { MeterProvider } from '@opentelemetry/api';
import type { PsiField } from '@aurora/router';
import { VERSION } from '../version';
import { policyMetricFamilies } from './policy-metric-families';

type PolicyMetricName = (typeof policyMetricFamilies)[number]['name'];

export type PolicyGaugeValues = {
  /** The Psi-field of the recent learning-policy decisions; null without a learning policy. */
  psi: PsiField | null;
  rolloutPercentage: number | null;
  stateVersion: number | null;
};

/**
 * Registers the policy gauges of `policyMetricFamilies` on `meterProvider` (meter `@aurora/server`);
 * `read` runs once per collection. OpenTelemetry names (`aurora.psi.uplift_low`) become the
 * Prometheus names (`aurora_psi_uplift_low`).
 */
export function observePolicyGauges(meterProvider: MeterProvider, read: () => PolicyGaugeValues): void {
  const meter = meterProvider.getMeter('@aurora/server', VERSION);
  const gauge = (name: PolicyMetricName) => {
    const family = policyMetricFamilies.find((candidate) => candidate.name === name)!;
    return meter.createObservableGauge(openTelemetryName(name), { description: family.help });
  };
  const gauges = {
    rollout: gauge('aurora_ai_rollout_percentage'),
    stateVersion: gauge('aurora_ai_policy_state_version'),
    entropy: gauge('aurora_psi_decision_entropy'),
    exploration: gauge('aurora_psi_exploration_rate'),
    agreement: gauge('aurora_psi_rule_agreement'),
    guarded: gauge('aurora_psi_guarded_share'),
    uplift: gauge('aurora_psi_uplift'),
    upliftLow: gauge('aurora_psi_uplift_low'),
    upliftHigh: gauge('aurora_psi_uplift_high'),
    drift: gauge('aurora_psi_reward_drift'),
  };
  meter.addBatchObservableCallback((result) => {
    const values = read();
    if (values.rolloutPercentage !== null) result.observe(gauges.rollout, values.rolloutPercentage);
    if (values.stateVersion !== null) result.observe(gauges.stateVersion, values.stateVersion);
    const { psi } = values;
    if (!psi || psi.decisions === 0) return;
    result.observe(gauges.entropy, psi.decision_entropy.normalized);
    result.observe(gauges.exploration, psi.exploration_rate);
    result.observe(gauges.agreement, psi.rule_agreement);
    result.observe(gauges.guarded, psi.guarded_share);
    if (psi.uplift_over_rules) {
      result.observe(gauges.uplift, psi.uplift_over_rules.estimate);
      result.observe(gauges.upliftLow, psi.uplift_over_rules.ci[0]);
      result.observe(gauges.upliftHigh, psi.uplift_over_rules.ci[1]);
    }
    if (psi.reward_model_drift) result.observe(gauges.drift, psi.reward_model_drift.page_hinkley);
  }, Object.values(gauges));
}

/** `aurora_psi_uplift_low` -> `aurora.psi.uplift_low`: the exporter maps the dots back to underscores. */
function openTelemetryName(name: string): string {
  return name.replace('_', '.').replace('_', '.');
}
