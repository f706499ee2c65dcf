import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { HybridPolicy } from '../policy/hybrid-policy';
import type { Policy } from '../policy/policy';

/** `mode` in router.yaml. */
export const routingModes = ['rule-based', 'ai', 'hybrid', 'shadow'] as const;
export type RoutingMode = (typeof routingModes)[number];

export type PolicyForModeOptions = {
  mode: RoutingMode;
  /** Share (0-100) of units for the ai arm. Required in `hybrid`; must be 0 or absent in `shadow`; ignored otherwise. */
  ai_rollout_percentage?: number;
  rules: Policy;
  /** Required in every mode but `rule-based`. */
  ai?: Policy;
  /** Hash salt of the A/B split (hybrid and shadow). */
  salt?: string;
  /** Told when the shadow policy fails (shadow). */
  onShadowError?: (error: unknown) => void;
};

/**
 * The policy the router runs in a mode:
 * - `rule-based`: `rules`;
 * - `ai`: `ai`;
 * - `hybrid`: A/B, `rules` as control and `ai` as treatment for `ai_rollout_percentage` % of units
 *   (a rollout controller attached to it moves that share);
 * - `shadow`: `rules` deploys every request and `ai` decides alongside, its pick recorded in
 *   `decision.shadow` and never deployed: a HybridPolicy at 0 % with `ai` as treatment and shadow,
 *   so a rollout controller can later raise the share without rebuilding the policy.
 * Bad options throw InvalidArgumentError naming every problem.
 */
export function policyForMode(options: PolicyForModeOptions & { mode: 'hybrid' | 'shadow' }): HybridPolicy;
export function policyForMode(options: PolicyForModeOptions): Policy;
export function policyForMode(options: PolicyForModeOptions): Policy {
  const issues = modeIssues(options);
  if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid routing mode settings: ${describe(issues)}`, issues });
  const { mode, rules, ai } = options;
  const split = {
    ...(options.salt !== undefined ? { salt: options.salt } : {}),
    ...(options.onShadowError !== undefined ? { onShadowError: options.onShadowError } : {}),
  };
  switch (mode) {
    case 'rule-based':
      return rules;
    case 'ai':
      return ai!;
    case 'hybrid':
      return new HybridPolicy({ control: rules, treatment: ai!, treatmentPercentage: options.ai_rollout_percentage!, ...split });
    case 'shadow':
      return new HybridPolicy({ control: rules, treatment: ai!, treatmentPercentage: 0, shadow: ai!, ...split });
  }
}

function modeIssues(options: PolicyForModeOptions): FieldIssue[] {
  if (options === null || typeof options !== 'object') return [{ field: '(root)', reason: 'options object is required' }];
  const issues: FieldIssue[] = [];
  const { mode } = options;
  if (!(routingModes as readonly string[]).includes(mode)) issues.push({ field: 'mode', reason: `must be one of ${routingModes.join(', ')}` });
  if (!isPolicy(options.rules)) issues.push({ field: 'rules', reason: 'must be a Policy with id and decide()' });
  if (mode !== 'rule-based' && !isPolicy(options.ai)) {
    issues.push({ field: 'ai', reason: options.ai === undefined ? `is required in ${mode} mode` : 'must be a Policy with id and decide()' });
  }
  const percentage = options.ai_rollout_percentage;
  const validPercentage = typeof percentage === 'number' && Number.isFinite(percentage) && percentage >= 0 && percentage <= 100;
  if (percentage !== undefined && !validPercentage) {
    issues.push({ field: 'ai_rollout_percentage', reason: 'must be a number from 0 to 100' });
  } else if (mode === 'hybrid' && percentage === undefined) {
    issues.push({ field: 'ai_rollout_percentage', reason: 'is required in hybrid mode' });
  } else if (mode === 'shadow' && percentage !== undefined && percentage !== 0) {
    issues.push({ field: 'ai_rollout_percentage', reason: 'must be 0 in shadow mode: the ai decides alongside, the rules deploy' });
  }
  return issues;
}

function isPolicy(value: unknown): value is Policy {
  return value !== null && typeof value === 'object' && typeof (value as Policy).id === 'string' && typeof (value as Policy).decide === 'function';
}

function describe(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}
