import type { PolicyContext } from '../policy/policy';
import { DiscountedRidgeModel } from '../policy/learning/discounted-ridge-model';
import { FeatureEncoder, denseFeatureCount, featuresPerCandidate, hashedFeatureCount } from '../policy/learning/feature-encoder';
import { emptyStatistics } from '../policy/learning/ridge-statistics';
import type { ScoredCandidate } from '../schemas/decision';

/** Predicted reward of every candidate of a decision. */
export type RewardModelFunction = (context: PolicyContext, candidates: readonly ScoredCandidate[]) => ArrayLike<number>;

export type RewardSample = { context: PolicyContext; candidates: readonly ScoredCandidate[]; index: number; reward: number };

const hashBuckets = 64;
const ridge = 1;

/**
 * Ridge regression of reward on the learning policy's features (no forgetting, prior mean zero),
 * fitted in one pass and one exact solve: the reward model of the direct and doubly robust
 * estimators when the caller brings none.
 */
export function fitRidgeRewardModel(samples: readonly RewardSample[]): RewardModelFunction {
  const encoder = new FeatureEncoder(hashBuckets);
  const dimension = encoder.dimension;
  const statistics = emptyStatistics(dimension);
  const indices = new Int32Array(featuresPerCandidate);
  const values = new Float64Array(featuresPerCandidate);
  for (const sample of samples) {
    const length = encoder.encodeOne(sample.context, sample.candidates, sample.index, indices, values);
    for (let k = 0; k < length; k++) {
      const offset = indices[k]! * dimension;
      for (let l = 0; l < length; l++) statistics.xx[offset + indices[l]!]! += values[k]! * values[l]!;
      statistics.xr[indices[k]!]! += values[k]! * sample.reward;
    }
    statistics.weight += 1;
    statistics.observations += 1;
    statistics.rewardSum += sample.reward;
    statistics.rewardSquareSum += sample.reward * sample.reward;
  }
  const model = new DiscountedRidgeModel({ dimension, ridge, halfLifeMs: Infinity, priorMean: new Float64Array(dimension) }, statistics);
  const theta = model.theta;
  return (context, candidates) => {
    const batch = encoder.encode(context, candidates);
    const predictions = new Float64Array(batch.count);
    for (let row = 0; row < batch.count; row++) {
      let prediction = 0;
      for (let feature = 0; feature < denseFeatureCount; feature++) prediction += theta[feature]! * batch.dense[row * denseFeatureCount + feature]!;
      for (let feature = 0; feature < hashedFeatureCount; feature++) prediction += theta[batch.slots[row * hashedFeatureCount + feature]!]!;
      predictions[row] = prediction;
    }
    return predictions;
  };
}
