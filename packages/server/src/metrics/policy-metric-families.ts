/**
 * The server's metrics of the learning policy, its rollout and its Psi-field indicators
 * (docs/psi-field.md), next to the router's `aurora_ai_*` families. Announced with HELP and TYPE
 * even before they have samples (rule-based mode has none).
 */
export const policyMetricFamilies = [
  { name: 'aurora_ai_rollout_percentage', type: 'gauge', help: 'Share of routes (0-100) the ai arm decides now' },
  { name: 'aurora_ai_policy_state_version', type: 'gauge', help: 'Ledger version of the learning-policy state this replica holds' },
  { name: 'aurora_psi_decision_entropy', type: 'gauge', help: 'Mean entropy of the learning policy\'s decisions over ln(candidates): 0 deterministic, 1 uniform' },
  { name: 'aurora_psi_exploration_rate', type: 'gauge', help: 'Mean probability of not taking the intended pick (exploration)' },
  { name: 'aurora_psi_rule_agreement', type: 'gauge', help: 'Share of decisions whose greedy pick is the rule pick' },
  { name: 'aurora_psi_guarded_share', type: 'gauge', help: 'Share of decisions the conservative guard handed to the rules' },
  { name: 'aurora_psi_uplift', type: 'gauge', help: 'Estimated mean reward of the learning policy minus the rules, per decision' },
  { name: 'aurora_psi_uplift_low', type: 'gauge', help: 'Lower end of the uplift interval (95 %)' },
  { name: 'aurora_psi_uplift_high', type: 'gauge', help: 'Upper end of the uplift interval (95 %)' },
  { name: 'aurora_psi_reward_drift', type: 'gauge', help: 'Page-Hinkley statistic of the reward-model residuals; above the threshold means drift' },
] as const;
