import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { parseOrThrow } from '../../schemas/parse';
import { learningPolicyStateSchema, stateIdOf, type LearningPolicyState } from './learning-policy-state';
import { combineStatistics, deserializeStatistics, serializeStatistics, type RidgeStatistics } from './ridge-statistics';

/**
 * Combines two learning-policy states (from `toJSON()`) into one holding the evidence of both.
 *
 * A state is its base (the state it was loaded from with `fromJSON`, or nothing) plus the
 * evidence it gathered since. The model's statistics are sums over observations, each weighted by
 * 2^-(age / half-life), so after bringing every state to the same time the merge is plain
 * arithmetic: `a + b - base`. That is exact, commutative and associative (merging sibling
 * replicas one by one gives the same result in any order), and what one learner would hold had it
 * seen all observations. The cases:
 *
 * - same `state_id`: the same state twice; returns it unchanged (merging is idempotent).
 * - same base: siblings forked from one state: `a + b - base`, keeping that base.
 * - one's base is the other (a replica vs the state it loaded): the replica's statistics.
 * - neither has a base: independent learners, `a + b`.
 * - anything else would count shared evidence twice and throws `InvalidArgumentError`.
 *
 * The feature layout and the half-life must match; the result keeps `a`'s options.
 */
export function mergeStates(a: unknown, b: unknown): LearningPolicyState {
  const left = parseOrThrow(learningPolicyStateSchema, a, 'learning policy state a');
  const right = parseOrThrow(learningPolicyStateSchema, b, 'learning policy state b');
  assertMergeable(left, right);
  if (left.state_id === right.state_id) return left;

  const dimension = left.features.dimension;
  const halfLifeMs = left.options.half_life_ms ?? Infinity;
  const statisticsOf = (state: LearningPolicyState) => deserializeStatistics(state.statistics, dimension);
  let base: RidgeStatistics | undefined;
  let resultBase: LearningPolicyState['base'];
  if (left.base && right.base && left.base.state_id === right.base.state_id) {
    base = deserializeStatistics(left.base.statistics, dimension);
    resultBase = left.base;
  } else if (right.base?.state_id === left.state_id) {
    base = statisticsOf(left);
    resultBase = right.base;
  } else if (left.base?.state_id === right.state_id) {
    base = statisticsOf(right);
    resultBase = left.base;
  } else if (!left.base && !right.base) {
    base = undefined;
    resultBase = null;
  } else {
    throw new InvalidArgumentError({
      message:
        `Cannot merge learning policy states ${left.state_id} and ${right.state_id}: they descend from different bases ` +
        `(${left.base?.state_id ?? 'none'} and ${right.base?.state_id ?? 'none'}), so shared evidence would count twice`,
      issues: [{ field: 'base', reason: 'states must share a base, or one must be the base of the other, or neither may have one' }],
    });
  }
  const merged = combineStatistics(statisticsOf(left), statisticsOf(right), base, halfLifeMs);
  const statistics = serializeStatistics(merged, dimension);
  return { ...left, state_id: stateIdOf(statistics), statistics, base: resultBase };
}

function assertMergeable(left: LearningPolicyState, right: LearningPolicyState): void {
  const issues: { field: string; reason: string }[] = [];
  const a = left.features;
  const b = right.features;
  if (
    a.dimension !== b.dimension ||
    a.hash_buckets !== b.hash_buckets ||
    a.hash_seed !== b.hash_seed ||
    a.dense.join(',') !== b.dense.join(',') ||
    a.hashed.join(',') !== b.hashed.join(',')
  ) {
    issues.push({ field: 'features', reason: 'the two states encode features differently' });
  }
  if (left.options.half_life_ms !== right.options.half_life_ms) {
    issues.push({ field: 'options.half_life_ms', reason: 'the two states forget at different rates' });
  }
  if (issues.length > 0) {
    throw new InvalidArgumentError({ message: `Cannot merge learning policy states: ${issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ')}`, issues });
  }
}
