import { packUpperTriangle, unpackUpperTriangle } from './linear-algebra';

/**
 * The sufficient statistics of a ridge regression with exponential time decay, all "as of"
 * `asOfMs`: an observation made at time t counts with weight 2^-((asOfMs - t) / halfLife).
 * Because an observation's weight depends only on its own time, statistics from different
 * replicas can be brought to one time and added: the order of observations does not matter.
 */
export type RidgeStatistics = {
  /** The time the decayed sums refer to; null before the first observation. */
  asOfMs: number | null;
  /** Sum of weights: the effective number of observations. */
  weight: number;
  /** Raw number of observations, never decayed. */
  observations: number;
  /** Sum of weight * x x^T, d x d row-major. */
  xx: Float64Array;
  /** Sum of weight * reward * x. */
  xr: Float64Array;
  rewardSum: number;
  rewardSquareSum: number;
  /** Sum of weight * (reward - prediction before the update)^2. */
  residualSquareSum: number;
  /**
   * Current strength of the ridge prior as a share of the configured one: it decays with the
   * evidence (so the model stays exactly Sherman-Morrison-updatable) and is restored to 1 once
   * below 1/2. Stored so that a restored model is the same model.
   */
  priorFactor: number;
};

/** JSON form: the symmetric matrix as its upper triangle, snake_case keys. */
export type SerializedRidgeStatistics = {
  as_of_ms: number | null;
  weight: number;
  observations: number;
  xx: number[];
  xr: number[];
  reward_sum: number;
  reward_square_sum: number;
  residual_square_sum: number;
  prior_factor: number;
};

export function emptyStatistics(dimension: number): RidgeStatistics {
  return {
    asOfMs: null,
    weight: 0,
    observations: 0,
    xx: new Float64Array(dimension * dimension),
    xr: new Float64Array(dimension),
    rewardSum: 0,
    rewardSquareSum: 0,
    residualSquareSum: 0,
    priorFactor: 1,
  };
}

/** 2^(-elapsed / halfLife); 1 without forgetting (infinite half-life) or for elapsed <= 0. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  if (!(elapsedMs > 0) || halfLifeMs === Infinity) return 1;
  return Math.pow(2, -elapsedMs / halfLifeMs);
}

/** `statistics` brought forward to `toMs` (a copy). Statistics newer than `toMs` are not changed. */
export function decayedTo(statistics: RidgeStatistics, toMs: number, halfLifeMs: number): RidgeStatistics {
  if (statistics.asOfMs === null) return { ...cloneStatistics(statistics), asOfMs: null };
  const factor = decayFactor(toMs - statistics.asOfMs, halfLifeMs);
  const copy = cloneStatistics(statistics);
  scaleStatistics(copy, factor);
  copy.asOfMs = Math.max(statistics.asOfMs, toMs);
  return copy;
}

export function scaleStatistics(statistics: RidgeStatistics, factor: number): void {
  if (factor === 1) return;
  const { xx, xr } = statistics;
  for (let index = 0; index < xx.length; index++) xx[index]! *= factor;
  for (let index = 0; index < xr.length; index++) xr[index]! *= factor;
  statistics.weight *= factor;
  statistics.rewardSum *= factor;
  statistics.rewardSquareSum *= factor;
  statistics.residualSquareSum *= factor;
  statistics.priorFactor *= factor;
}

export function cloneStatistics(statistics: RidgeStatistics): RidgeStatistics {
  return { ...statistics, xx: statistics.xx.slice(), xr: statistics.xr.slice() };
}

/**
 * a + b - base (prior factor reset to 1), with all three brought to the later of a's and b's times. With `base` the
 * statistics both replicas started from, this is base plus each replica's new evidence: what one
 * learner would hold had it seen every observation of both.
 */
export function combineStatistics(
  a: RidgeStatistics,
  b: RidgeStatistics,
  base: RidgeStatistics | undefined,
  halfLifeMs: number,
): RidgeStatistics {
  const times = [a.asOfMs, b.asOfMs, base?.asOfMs ?? null].filter((time): time is number => time !== null);
  if (times.length === 0) return cloneStatistics(a);
  const at = Math.max(...times);
  const left = decayedTo(a, at, halfLifeMs);
  const right = decayedTo(b, at, halfLifeMs);
  const common = base ? decayedTo(base, at, halfLifeMs) : emptyStatistics(Math.round(Math.sqrt(a.xx.length)));
  const xx = new Float64Array(left.xx.length);
  for (let index = 0; index < xx.length; index++) xx[index] = left.xx[index]! + right.xx[index]! - common.xx[index]!;
  const xr = new Float64Array(left.xr.length);
  for (let index = 0; index < xr.length; index++) xr[index] = left.xr[index]! + right.xr[index]! - common.xr[index]!;
  const sum = (key: 'weight' | 'observations' | 'rewardSum' | 'rewardSquareSum' | 'residualSquareSum') =>
    left[key] + right[key] - common[key];
  return {
    asOfMs: at,
    weight: Math.max(0, sum('weight')),
    observations: Math.max(0, Math.round(sum('observations'))),
    xx,
    xr,
    rewardSum: sum('rewardSum'),
    rewardSquareSum: Math.max(0, sum('rewardSquareSum')),
    residualSquareSum: Math.max(0, sum('residualSquareSum')),
    // A merged state starts with the prior at full strength.
    priorFactor: 1,
  };
}

export function serializeStatistics(statistics: RidgeStatistics, dimension: number): SerializedRidgeStatistics {
  return {
    as_of_ms: statistics.asOfMs,
    weight: statistics.weight,
    observations: statistics.observations,
    xx: packUpperTriangle(statistics.xx, dimension),
    xr: Array.from(statistics.xr),
    reward_sum: statistics.rewardSum,
    reward_square_sum: statistics.rewardSquareSum,
    residual_square_sum: statistics.residualSquareSum,
    prior_factor: statistics.priorFactor,
  };
}

export function deserializeStatistics(serialized: SerializedRidgeStatistics, dimension: number): RidgeStatistics {
  return {
    asOfMs: serialized.as_of_ms,
    weight: serialized.weight,
    observations: serialized.observations,
    xx: unpackUpperTriangle(serialized.xx, dimension),
    xr: Float64Array.from(serialized.xr),
    rewardSum: serialized.reward_sum,
    rewardSquareSum: serialized.reward_square_sum,
    residualSquareSum: serialized.residual_square_sum,
    priorFactor: serialized.prior_factor,
  };
}
