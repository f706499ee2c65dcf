import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { PolicyError } from '../errors/policy-error';
import type { ScoredCandidate } from '../schemas/decision';
import { VERSION } from '../version';
import type { Policy, PolicyChoice, PolicyContext } from './policy';

export type RulePolicyOptions = {
  /**
   * Probability in [0, 1) of exploring: picking a candidate uniformly at random instead of the
   * top one. 0 (the default) always picks the scorer's best. A small value makes the decision log
   * usable for off-policy evaluation of other policies.
   */
  epsilon?: number;
  /** Uniform random numbers in [0, 1); injectable for reproducible runs. Defaults to Math.random. */
  random?: () => number;
};

/**
 * The scorer's argmax: candidates arrive ranked, so it picks index 0. With `epsilon`, it is
 * epsilon-greedy and reports the exact propensity of its pick: (1 - epsilon) + epsilon / n for the
 * top candidate and epsilon / n for each other.
 */
export class RulePolicy implements Policy {
  readonly id = 'rules';
  readonly version = VERSION;
  readonly epsilon: number;
  private readonly random: () => number;

  constructor(options: RulePolicyOptions = {}) {
    const epsilon = options.epsilon ?? 0;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0 || epsilon >= 1) {
      throw new InvalidArgumentError({ issues: [{ field: 'epsilon', reason: 'must be a number in [0, 1)' }] });
    }
    if (options.random !== undefined && typeof options.random !== 'function') {
      throw new InvalidArgumentError({ issues: [{ field: 'random', reason: 'must be a function returning [0, 1)' }] });
    }
    this.epsilon = epsilon;
    this.random = options.random ?? Math.random;
  }

  decide(_context: PolicyContext, candidates: readonly ScoredCandidate[]): PolicyChoice {
    const count = candidates.length;
    if (count === 0) throw new PolicyError({ message: 'RulePolicy.decide needs at least one candidate', policyId: this.id });
    const index = this.pickIndex(count);
    return {
      index,
      propensity: this.propensityOf(index, count),
      scores: candidates.map((candidate) => candidate.score),
      policy_id: this.id,
      policy_version: this.version,
      arm: 'rules',
    };
  }

  /** Probability that this policy picks candidate `index` out of `count`. */
  propensityOf(index: number, count: number): number {
    const explore = this.epsilon / count;
    return index === 0 ? 1 - this.epsilon + explore : explore;
  }

  private pickIndex(count: number): number {
    if (this.epsilon === 0 || count === 1) return 0;
    if (this.random() >= this.epsilon) return 0;
    return Math.min(count - 1, Math.floor(this.random() * count));
  }
}
