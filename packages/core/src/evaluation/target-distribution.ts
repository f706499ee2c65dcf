import { PolicyError } from '../errors/policy-error';
import type { Policy, PolicyContext } from '../policy/policy';
import { RulePolicy } from '../policy/rule-policy';
import type { ScoredCandidate } from '../schemas/decision';

/**
 * A policy to evaluate. With `probabilities` (the learning policy has it) its distribution is used
 * exactly; so is the rule policy's (from its epsilon). Any other policy is asked to `decide`: a
 * propensity of 1 means it is deterministic in that context (an exact indicator); otherwise only
 * the sampled pick is known, an unbiased but noisier stand-in for its distribution.
 */
export type TargetPolicy = Policy & {
  probabilities?(context: PolicyContext, candidates: readonly ScoredCandidate[]): readonly number[];
};

export type TargetDistribution = { probabilities: Float64Array; exact: boolean };

const sumTolerance = 1e-6;

export async function targetDistribution(
  policy: TargetPolicy,
  context: PolicyContext,
  candidates: readonly ScoredCandidate[],
): Promise<TargetDistribution> {
  const count = candidates.length;
  if (typeof policy.probabilities === 'function') {
    return { probabilities: checked(policy, Float64Array.from(policy.probabilities(context, candidates)), count), exact: true };
  }
  if (policy instanceof RulePolicy) {
    const probabilities = new Float64Array(count);
    for (let index = 0; index < count; index++) probabilities[index] = policy.propensityOf(index, count);
    return { probabilities, exact: true };
  }
  const choice = await policy.decide(context, candidates);
  if (!Number.isInteger(choice.index) || choice.index < 0 || choice.index >= count) {
    throw new PolicyError({ message: `Policy ${policy.id} picked index ${choice.index} of ${count} candidates`, policyId: policy.id });
  }
  const probabilities = new Float64Array(count);
  probabilities[choice.index] = 1;
  return { probabilities, exact: choice.propensity === 1 };
}

function checked(policy: Policy, probabilities: Float64Array, count: number): Float64Array {
  let total = 0;
  let valid = probabilities.length === count;
  for (const value of probabilities) {
    if (!(value >= 0 && value <= 1)) valid = false;
    total += value;
  }
  if (!valid || Math.abs(total - 1) > sumTolerance) {
    throw new PolicyError({
      message: `Policy ${policy.id} returned an invalid distribution over ${count} candidates (length ${probabilities.length}, sum ${total})`,
      policyId: policy.id,
    });
  }
  return probabilities;
}
