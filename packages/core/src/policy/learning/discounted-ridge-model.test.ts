import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../evaluation/seeded-random';
import { DiscountedRidgeModel } from './discounted-ridge-model';

type Observation = { indices: number[]; values: number[]; reward: number; timeMs: number };

const dimension = 6;
const hour = 3_600_000;

function observations(count: number, seed: number): Observation[] {
  const random = createSeededRandom(seed);
  const truth = [0.5, -1, 2, 0, 0.3, -0.7];
  return Array.from({ length: count }, (_, step) => {
    // Three dense entries and one "hashed" slot that may repeat an index.
    const indices = [0, 1, 2, 3 + Math.floor(random() * 3)];
    const values = [1, random(), random() * 2 - 1, 1];
    const reward = indices.reduce((sum, index, k) => sum + truth[index]! * values[k]!, 0) + (random() - 0.5) * 0.1;
    return { indices, values, reward, timeMs: step * 60_000 };
  });
}

/** The closed form: (ridge I + sum k x x^T)^-1 (ridge prior + sum k r x), solved by elimination. */
function exactRidge(data: Observation[], ridge: number, prior: number[], halfLifeMs: number, asOf: number): number[] {
  const matrix = Array.from({ length: dimension }, (_, row) => Array.from({ length: dimension }, (_, column) => (row === column ? ridge : 0)));
  const vector = prior.map((value) => ridge * value);
  for (const observation of data) {
    const weight = halfLifeMs === Infinity ? 1 : Math.pow(2, -(asOf - observation.timeMs) / halfLifeMs);
    observation.indices.forEach((row, k) => {
      vector[row]! += weight * observation.reward * observation.values[k]!;
      observation.indices.forEach((column, l) => (matrix[row]![column]! += weight * observation.values[k]! * observation.values[l]!));
    });
  }
  for (let pivot = 0; pivot < dimension; pivot++) {
    for (let row = pivot + 1; row < dimension; row++) {
      const factor = matrix[row]![pivot]! / matrix[pivot]![pivot]!;
      for (let column = pivot; column < dimension; column++) matrix[row]![column]! -= factor * matrix[pivot]![column]!;
      vector[row]! -= factor * vector[pivot]!;
    }
  }
  const solution = new Array<number>(dimension).fill(0);
  for (let row = dimension - 1; row >= 0; row--) {
    let sum = vector[row]!;
    for (let column = row + 1; column < dimension; column++) sum -= matrix[row]![column]! * solution[column]!;
    solution[row] = sum / matrix[row]![row]!;
  }
  return solution;
}

function model(halfLifeMs: number, prior = [0, 0, 0, 0, 0, 0]): DiscountedRidgeModel {
  return new DiscountedRidgeModel({ dimension, ridge: 2, halfLifeMs, priorMean: Float64Array.from(prior) });
}

function feed(target: DiscountedRidgeModel, data: Observation[]): void {
  for (const observation of data) target.update(observation.indices, observation.values, observation.indices.length, observation.reward, observation.timeMs);
}

describe('DiscountedRidgeModel', () => {
  it('keeps the exact ridge solution with rank-one updates when nothing is forgotten', () => {
    const data = observations(300, 1);
    const ridge = model(Infinity, [0, 0, 1, 0, 0, 0]);
    feed(ridge, data);
    const exact = exactRidge(data, 2, [0, 0, 1, 0, 0, 0], Infinity, 0);
    Array.from(ridge.theta).forEach((value, index) => expect(value).toBeCloseTo(exact[index]!, 9));
    expect(ridge.evidence).toBe(300);
  });

  it('weights each observation by 2^-(age / half-life), its prior decaying along until restored', () => {
    const data = observations(400, 2);
    const ridge = model(2 * hour);
    feed(ridge, data);
    const asOf = data.at(-1)!.timeMs;
    const priorFactor = ridge.currentStatistics.priorFactor;
    expect(priorFactor).toBeGreaterThanOrEqual(0.5);
    expect(priorFactor).toBeLessThan(1);
    const exact = exactRidge(data, 2 * priorFactor, [0, 0, 0, 0, 0, 0], 2 * hour, asOf);
    Array.from(ridge.theta).forEach((value, index) => expect(value).toBeCloseTo(exact[index]!, 9));
    const expectedEvidence = data.reduce((sum, observation) => sum + Math.pow(2, -(asOf - observation.timeMs) / (2 * hour)), 0);
    expect(ridge.evidence).toBeCloseTo(expectedEvidence, 9);
  });

  it('ends with the same statistics whatever order observations arrive in', () => {
    const data = observations(200, 3);
    const inOrder = model(hour);
    const shuffled = model(hour);
    feed(inOrder, data);
    const random = createSeededRandom(9);
    const permuted = data.slice().sort(() => random() - 0.5);
    feed(shuffled, permuted);
    const a = inOrder.currentStatistics;
    const b = shuffled.currentStatistics;
    expect(b.asOfMs).toBe(a.asOfMs);
    expect(b.weight).toBeCloseTo(a.weight, 9);
    Array.from(a.xx).forEach((value, index) => expect(b.xx[index]).toBeCloseTo(value, 9));
    Array.from(a.xr).forEach((value, index) => expect(b.xr[index]).toBeCloseTo(value, 9));
  });

  it('replaces an observation’s reward without adding evidence', () => {
    const [first, second] = observations(2, 4);
    const ridge = model(Infinity);
    feed(ridge, [first!, second!]);
    ridge.replaceReward(first!.indices, first!.values, first!.indices.length, first!.reward, first!.reward + 1, first!.timeMs);
    const exact = exactRidge([{ ...first!, reward: first!.reward + 1 }, second!], 2, [0, 0, 0, 0, 0, 0], Infinity, 0);
    Array.from(ridge.theta).forEach((value, index) => expect(value).toBeCloseTo(exact[index]!, 9));
    expect(ridge.evidence).toBe(2);
  });

  it('falls back toward the prior as evidence decays', () => {
    const prior = [0, 0, 0, 0, 1, 0];
    const ridge = model(hour, prior);
    feed(ridge, observations(100, 5));
    const fitted = ridge.theta[4]!;
    // One observation a long time later: the old evidence is almost gone.
    ridge.update([0], [1], 1, 0, 100 * 60_000 + 48 * hour);
    expect(Math.abs(ridge.theta[4]! - 1)).toBeLessThan(Math.abs(fitted - 1));
    expect(ridge.theta[4]!).toBeCloseTo(1, 6);
  });
});
