import { PolicyError } from '../errors/policy-error';
import type { Policy, PolicyChoice, PolicyContext } from '../policy/policy';
import { arms, type ScoredCandidate } from '../schemas/decision';

export type PolicyDecision = {
  choice: PolicyChoice;
  /** Set when the configured policy failed and the fallback decided instead. */
  policyError: PolicyError | undefined;
  warnings: string[];
};

/**
 * Asks the policy, and checks its answer: an index into the candidates, a propensity in (0, 1],
 * a known arm. A policy that throws or answers nonsense is replaced by `fallback` (the rule
 * policy) for this decision, with a warning; the error is returned for the record.
 */
export async function decideWithPolicy(
  policy: Policy,
  fallback: Policy,
  context: PolicyContext,
  candidates: readonly ScoredCandidate[],
): Promise<PolicyDecision> {
  const warnings: string[] = [];
  try {
    const choice = await policy.decide(context, candidates);
    const problem = describeInvalidChoice(choice, candidates.length);
    if (problem) throw new PolicyError({ message: `Policy ${policy.id} returned an invalid choice: ${problem}`, policyId: policy.id });
    if (choice.shadow && describeInvalidChoice({ ...choice, ...choice.shadow }, candidates.length)) {
      warnings.push(`policy ${policy.id}: ignored an invalid shadow pick`);
      const { shadow: _ignored, ...withoutShadow } = choice;
      return { choice: withoutShadow, policyError: undefined, warnings };
    }
    return { choice, policyError: undefined, warnings };
  } catch (error) {
    const policyError = PolicyError.isInstance(error)
      ? error
      : new PolicyError({ message: `Policy ${policy.id} failed: ${error instanceof Error ? error.message : String(error)}`, policyId: policy.id, cause: error });
    if (policy === fallback) throw policyError;
    warnings.push(`${policyError.message}; the rule policy decided instead`);
    const choice = await fallback.decide(context, candidates);
    return { choice, policyError, warnings };
  }
}

function describeInvalidChoice(choice: Partial<PolicyChoice> | null | undefined, count: number): string | undefined {
  if (choice === null || typeof choice !== 'object') return 'not an object';
  const { index, propensity } = choice;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) return `index ${String(index)} is not in 0..${count - 1}`;
  if (typeof propensity !== 'number' || !(propensity > 0 && propensity <= 1)) return `propensity ${String(propensity)} is not in (0, 1]`;
  if (choice.arm !== undefined && !(arms as readonly string[]).includes(choice.arm)) return `unknown arm ${String(choice.arm)}`;
  return undefined;
}
