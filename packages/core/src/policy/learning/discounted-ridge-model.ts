import { invertSymmetricPositiveDefinite, multiplyMatrixVector, shermanMorrisonUpdate } from './linear-algebra';
import { decayFactor, emptyStatistics, scaleStatistics, type RidgeStatistics } from './ridge-statistics';

export type DiscountedRidgeModelOptions = {
  dimension: number;
  /** Strength of the prior, in observations' worth per coordinate. */
  ridge: number;
  /** Half-life of evidence in milliseconds; Infinity keeps every observation at full weight. */
  halfLifeMs: number;
  /** The prior mean of the coefficients (ridge shrinks toward it instead of toward zero). */
  priorMean: Float64Array;
};

/** Updates between exact re-inversions, bounding floating-point drift of the rank-one updates. */
const refreshEvery = 1_000;
/** Pseudo-observations behind the residual variance before data arrive, at variance 0.25. */
const residualPriorWeight = 10;
const residualPriorVariance = 0.25;

/**
 * Ridge regression of reward on features with exponential forgetting:
 *
 *   theta = (p I + sum_i k_i x_i x_i^T)^-1 (p theta_0 + sum_i k_i r_i x_i),  k_i = 2^-(age_i / halfLife)
 *
 * with prior strength p = ridge * priorFactor, priorFactor in [1/2, 1].
 *
 * The statistics are what gets stored and merged. Decay scales the whole matrix, the prior
 * included (its strength is `ridge * priorFactor`), so the cached inverse stays exact under
 * Sherman-Morrison updates in O(d^2) per observation. Once the prior has lost half its strength it
 * is restored and the inverse rebuilt exactly (Cholesky, O(d^3)); the inverse is also rebuilt every
 * 1,000 updates against floating-point drift, and after loading or merging state. Decisions never
 * invert anything.
 */
export class DiscountedRidgeModel {
  readonly dimension: number;
  readonly ridge: number;
  readonly halfLifeMs: number;
  readonly priorMean: Float64Array;
  /** Cached (ridge * priorFactor * I + xx)^-1, exact up to rounding. */
  readonly inverse: Float64Array;
  /** Cached coefficients. */
  readonly theta: Float64Array;
  /** The diagonal of `inverse`, contiguous for the per-candidate confidence widths. */
  readonly inverseDiagonal: Float64Array;
  private statistics: RidgeStatistics;
  private updatesSinceRefresh = 0;
  private readonly scratch: Float64Array;
  private readonly target: Float64Array;

  constructor(options: DiscountedRidgeModelOptions, statistics?: RidgeStatistics) {
    this.dimension = options.dimension;
    this.ridge = options.ridge;
    this.halfLifeMs = options.halfLifeMs;
    this.priorMean = options.priorMean;
    this.inverse = new Float64Array(this.dimension * this.dimension);
    this.theta = new Float64Array(this.dimension);
    this.inverseDiagonal = new Float64Array(this.dimension);
    this.scratch = new Float64Array(this.dimension);
    this.target = new Float64Array(this.dimension);
    this.statistics = statistics ?? emptyStatistics(this.dimension);
    this.refresh();
  }

  /** The exact statistics; do not mutate. */
  get currentStatistics(): RidgeStatistics {
    return this.statistics;
  }

  /** Effective (decayed) number of observations. */
  get evidence(): number {
    return this.statistics.weight;
  }

  /** Weighted mean squared residual, shrunk toward 0.25 while there is little evidence. */
  residualVariance(): number {
    const { residualSquareSum, weight } = this.statistics;
    return (residualSquareSum + residualPriorWeight * residualPriorVariance) / (weight + residualPriorWeight);
  }

  predict(indices: ArrayLike<number>, values: ArrayLike<number>, length: number): number {
    let sum = 0;
    for (let k = 0; k < length; k++) sum += this.theta[indices[k]!]! * values[k]!;
    return sum;
  }

  /**
   * Adds one observation made at `timeMs` and returns its residual against the prediction before
   * the update. Later times decay all earlier evidence; an observation older than the model's time
   * enters with its own decayed weight, so arrival order does not matter.
   */
  update(indices: ArrayLike<number>, values: ArrayLike<number>, length: number, reward: number, timeMs: number): number {
    const statistics = this.statistics;
    let weight = 1;
    let needsRefresh = false;
    if (statistics.asOfMs === null) {
      statistics.asOfMs = timeMs;
    } else if (timeMs > statistics.asOfMs) {
      const factor = decayFactor(timeMs - statistics.asOfMs, this.halfLifeMs);
      statistics.asOfMs = timeMs;
      if (factor !== 1) {
        scaleStatistics(statistics, factor);
        if (statistics.priorFactor < 0.5) {
          statistics.priorFactor = 1;
          needsRefresh = true;
        } else for (let index = 0; index < this.inverse.length; index++) this.inverse[index]! /= factor;
      }
    } else {
      weight = decayFactor(statistics.asOfMs - timeMs, this.halfLifeMs);
    }
    const residual = reward - this.predict(indices, values, length);
    statistics.observations += 1;
    if (weight === 0) return residual;
    const { xx, xr } = statistics;
    const dimension = this.dimension;
    for (let k = 0; k < length; k++) {
      const value = values[k]! * weight;
      if (value === 0) continue;
      const offset = indices[k]! * dimension;
      for (let l = 0; l < length; l++) xx[offset + indices[l]!]! += value * values[l]!;
      xr[indices[k]!]! += value * reward;
    }
    statistics.weight += weight;
    statistics.rewardSum += weight * reward;
    statistics.rewardSquareSum += weight * reward * reward;
    statistics.residualSquareSum += weight * residual * residual;
    this.updatesSinceRefresh += 1;
    if (needsRefresh || this.updatesSinceRefresh >= refreshEvery) {
      this.refresh();
    } else {
      shermanMorrisonUpdate(this.inverse, dimension, indices, values, length, weight, this.scratch);
      this.recomputeTheta();
    }
    return residual;
  }

  /**
   * Replaces the reward of an observation already added at `timeMs` (a later, more complete
   * outcome of the same decision): only the reward sums change, by the decayed difference.
   */
  replaceReward(
    indices: ArrayLike<number>,
    values: ArrayLike<number>,
    length: number,
    previousReward: number,
    reward: number,
    timeMs: number,
  ): void {
    const statistics = this.statistics;
    const weight = statistics.asOfMs === null ? 1 : decayFactor(statistics.asOfMs - timeMs, this.halfLifeMs);
    const delta = reward - previousReward;
    for (let k = 0; k < length; k++) statistics.xr[indices[k]!]! += weight * delta * values[k]!;
    statistics.rewardSum += weight * delta;
    statistics.rewardSquareSum = Math.max(0, statistics.rewardSquareSum + weight * (reward * reward - previousReward * previousReward));
    this.recomputeTheta();
  }

  /** Swaps in new exact statistics (restore, merge) and rebuilds the caches. */
  replaceStatistics(statistics: RidgeStatistics): void {
    this.statistics = statistics;
    this.refresh();
  }

  /** Exact re-inversion of ridge * priorFactor * I + xx, O(d^3). */
  refresh(): void {
    const dimension = this.dimension;
    const matrix = this.statistics.xx.slice();
    const prior = this.ridge * this.statistics.priorFactor;
    for (let index = 0; index < dimension; index++) matrix[index * dimension + index]! += prior;
    invertSymmetricPositiveDefinite(matrix, dimension, this.inverse);
    this.updatesSinceRefresh = 0;
    this.recomputeTheta();
  }

  private recomputeTheta(): void {
    for (let index = 0; index < this.dimension; index++) this.inverseDiagonal[index] = this.inverse[index * (this.dimension + 1)]!;
    const prior = this.ridge * this.statistics.priorFactor;
    for (let index = 0; index < this.dimension; index++) this.target[index] = prior * this.priorMean[index]! + this.statistics.xr[index]!;
    multiplyMatrixVector(this.inverse, this.dimension, this.target, this.theta);
  }
}
