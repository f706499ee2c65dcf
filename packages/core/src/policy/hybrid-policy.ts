import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { PolicyError } from '../errors/policy-error';
import type { ScoredCandidate } from '../schemas/decision';
import type { Outcome } from '../schemas/outcome';
import { VERSION } from '../version';
import type { Policy, PolicyChoice, PolicyContext } from './policy';
import { stableHashPercentage } from './stable-hash';

export type HybridPolicyOptions = {
  /** Decides for the control arm, recorded as `rules`. */
  control: Policy;
  /** Decides for the treatment arm, recorded as `ai`. */
  treatment: Policy;
  /** Share of units, 0-100, assigned to the treatment. */
  treatmentPercentage: number;
  /** Also decides on every request; its pick goes to `choice.shadow` and is never deployed. */
  shadow?: Policy;
  /** Mixed into the hash so that separate experiments split units independently. */
  salt?: string;
  /** Called when the shadow policy fails; the decision itself goes on without a shadow pick. */
  onShadowError?: (error: unknown) => void;
};

export type HybridArm = 'rules' | 'ai';

const defaultSalt = 'aurora-ab';

/**
 * A/B split between two policies. The unit is `tenant` + `idempotency_key` (the decision id when
 * there is no key), hashed with the salt to a point in [0, 100): below `treatmentPercentage` it goes
 * to the treatment. The assignment is deterministic per unit, not random, so a retried request
 * stays in its arm; the propensity reported is the arm policy's own propensity for its pick, i.e.
 * conditional on the arm. Raising the percentage only moves units from control to treatment.
 */
export class HybridPolicy implements Policy {
  readonly id = 'hybrid';
  readonly version = VERSION;
  private readonly control: Policy;
  private readonly treatment: Policy;
  private readonly shadow: Policy | undefined;
  private readonly salt: string;
  private readonly onShadowError: ((error: unknown) => void) | undefined;
  private percentage: number;

  constructor(options: HybridPolicyOptions) {
    const issues = validateOptions(options);
    if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid HybridPolicy options: ${describe(issues)}`, issues });
    this.control = options.control;
    this.treatment = options.treatment;
    this.shadow = options.shadow;
    this.salt = options.salt ?? defaultSalt;
    this.onShadowError = options.onShadowError;
    this.percentage = options.treatmentPercentage;
  }

  get treatmentPercentage(): number {
    return this.percentage;
  }

  /** Changes the rollout; takes effect for the next decision. */
  setTreatmentPercentage(percentage: number): void {
    const issue = percentageIssue(percentage);
    if (issue) throw new InvalidArgumentError({ issues: [issue] });
    this.percentage = percentage;
  }

  /** The arm a context falls into under the current percentage. */
  assignArm(context: Pick<PolicyContext, 'decision_id' | 'tenant' | 'idempotency_key'>): HybridArm {
    const unit = `${this.salt}:${context.tenant ?? ''}:${context.idempotency_key ?? context.decision_id}`;
    return stableHashPercentage(unit) < this.percentage ? 'ai' : 'rules';
  }

  async decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): Promise<PolicyChoice> {
    const arm = this.assignArm(context);
    const armPolicy = arm === 'ai' ? this.treatment : this.control;
    const shadowPick = this.shadow ? this.decideShadow(this.shadow, context, candidates) : undefined;
    const choice = await armPolicy.decide(context, candidates);
    const shadow = await shadowPick;
    const { shadow: _innerShadow, ...rest } = choice;
    return shadow ? { ...rest, arm, shadow } : { ...rest, arm };
  }

  /** Forwards the outcome to every inner policy (each once), then reports the first failure. */
  async observe(outcome: Outcome): Promise<void> {
    const policies = [...new Set([this.control, this.treatment, ...(this.shadow ? [this.shadow] : [])])];
    const results = await Promise.allSettled(policies.map(async (policy) => policy.observe?.(outcome)));
    const failureIndex = results.findIndex((result) => result.status === 'rejected');
    if (failureIndex === -1) return;
    const failed = results[failureIndex] as PromiseRejectedResult;
    throw new PolicyError({
      message: `Policy ${policies[failureIndex]!.id} failed to observe outcome of ${outcome.decision_id}`,
      policyId: policies[failureIndex]!.id,
      cause: failed.reason,
    });
  }

  private async decideShadow(
    shadow: Policy,
    context: PolicyContext,
    candidates: readonly ScoredCandidate[],
  ): Promise<PolicyChoice['shadow']> {
    try {
      const choice = await shadow.decide(context, candidates);
      return { policy_id: choice.policy_id, policy_version: choice.policy_version, index: choice.index, propensity: choice.propensity };
    } catch (error) {
      this.onShadowError?.(error);
      return undefined;
    }
  }
}

function validateOptions(options: HybridPolicyOptions | undefined): FieldIssue[] {
  if (options === null || typeof options !== 'object') return [{ field: '(root)', reason: 'options object is required' }];
  const issues: FieldIssue[] = [];
  for (const field of ['control', 'treatment'] as const) {
    if (!isPolicy(options[field])) issues.push({ field, reason: 'must be a Policy with id and decide()' });
  }
  if (options.shadow !== undefined && !isPolicy(options.shadow)) issues.push({ field: 'shadow', reason: 'must be a Policy with id and decide()' });
  const percentage = percentageIssue(options.treatmentPercentage);
  if (percentage) issues.push(percentage);
  if (options.salt !== undefined && typeof options.salt !== 'string') issues.push({ field: 'salt', reason: 'must be a string' });
  if (options.onShadowError !== undefined && typeof options.onShadowError !== 'function') {
    issues.push({ field: 'onShadowError', reason: 'must be a function' });
  }
  return issues;
}

function percentageIssue(value: unknown): FieldIssue | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100) return undefined;
  return { field: 'treatmentPercentage', reason: 'must be a number from 0 to 100' };
}

function isPolicy(value: unknown): value is Policy {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Policy).id === 'string' &&
    typeof (value as Policy).decide === 'function'
  );
}

function describe(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}
