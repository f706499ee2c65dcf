export type { Policy, PolicyChoice, PolicyContext } from './policy';
export { RulePolicy, type RulePolicyOptions } from './rule-policy';
export { HybridPolicy, type HybridArm, type HybridPolicyOptions } from './hybrid-policy';
export { stableHashPercentage, murmurHash3 } from './stable-hash';
