import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { SyntheticWorld } from '../policy/learning/__fixtures__/synthetic-world';
import { LearningPolicy } from '../policy/learning/learning-policy';
import { computePsiField, type PsiDecision } from './compute-psi-field';
import { createSeededRandom } from './seeded-random';

const ln = Math.log;
const decisions: PsiDecision[] = [
  { probabilities: [0.25, 0.25, 0.25, 0.25], greedy_index: 0 },
  { probabilities: [1, 0], greedy_index: 0 },
  { probabilities: [0.1, 0.9], greedy_index: 1, rule_index: 0 },
  { probabilities: [0.7, 0.1, 0.1, 0.1], greedy_index: 2, rule_index: 0, guarded: true },
];
const entropies = [ln(4), 0, -(0.1 * ln(0.1) + 0.9 * ln(0.9)), -(0.7 * ln(0.7) + 3 * 0.1 * ln(0.1))];

describe('computePsiField', () => {
  it('computes entropy, exploration, agreement and guarded share from the decisions', () => {
    const field = computePsiField({ decisions });
    expect(field.decisions).toBe(4);
    expect(field.decision_entropy.mean_nats).toBeCloseTo(entropies.reduce((sum, value) => sum + value, 0) / 4, 12);
    expect(field.decision_entropy.normalized).toBeCloseTo((1 + 0 + entropies[2]! / ln(2) + entropies[3]! / ln(4)) / 4, 12);
    // 1 - p(greedy) for the first three, 1 - p(rule pick) for the guarded one.
    expect(field.exploration_rate).toBeCloseTo((0.75 + 0 + 0.1 + 0.3) / 4, 12);
    expect(field.rule_agreement).toBe(0.5);
    expect(field.guarded_share).toBe(0.25);
    expect(field.uplift_over_rules).toBeNull();
    expect(field.reward_model_drift).toBeNull();
  });

  it('leaves single-candidate decisions out of the normalised entropy', () => {
    const field = computePsiField({ decisions: [{ probabilities: [1], greedy_index: 0 }, { probabilities: [0.5, 0.5], greedy_index: 1 }] });
    expect(field.decision_entropy.normalized).toBe(1);
    expect(field.decision_entropy.mean_nats).toBeCloseTo(ln(2) / 2, 12);
    expect(field.rule_agreement).toBe(0.5);
  });

  it('accepts a learning policy’s choices as they are', () => {
    const world = new SyntheticWorld({ seed: 1, providers: [{ name: 'alpha', fill: 0.9, price: [1, 2] }], candidates: 5 });
    const policy = new LearningPolicy({ random: createSeededRandom(1) });
    const choices = Array.from({ length: 20 }, () => {
      const request = world.next();
      return policy.decide(request.context, request.candidates);
    });
    const field = computePsiField({ decisions: choices });
    expect(field.exploration_rate).toBeCloseTo(choices.reduce((sum, choice) => sum + choice.exploration_probability, 0) / 20, 12);
    expect(field.guarded_share).toBe(1);
  });

  it('computes an A/B uplift with a Welch normal interval, or passes an estimate through', () => {
    // Means 2 and 1; variances 1 and 2; standard error sqrt(1/3 + 2/4).
    const field = computePsiField({ decisions, uplift: { source: 'ab', treatment_rewards: [1, 2, 3], control_rewards: [0, 0, 3, 1] } });
    const standardError = Math.sqrt(1 / 3 + 2 / 4);
    expect(field.uplift_over_rules!.source).toBe('ab');
    expect(field.uplift_over_rules!.estimate).toBeCloseTo(1, 12);
    // normalQuantile is accurate to about 1e-9 (Acklam's approximation).
    expect(field.uplift_over_rules!.ci[0]).toBeCloseTo(1 - 1.959963984540054 * standardError, 8);
    expect(field.uplift_over_rules!.ci[1]).toBeCloseTo(1 + 1.959963984540054 * standardError, 8);
    const passed = computePsiField({ decisions, uplift: { source: 'ope-dr', estimate: 0.04, ci: [0.01, 0.07] } });
    expect(passed.uplift_over_rules).toEqual({ source: 'ope-dr', estimate: 0.04, ci: [0.01, 0.07] });
  });

  it('reports reward-model drift with Page-Hinkley and a windowed mean shift', () => {
    const field = computePsiField({ decisions, residuals: [0, 0, 0, 0, 1, 1, 1, 1], drift: { delta: 0, threshold: 2 } });
    expect(field.reward_model_drift).toEqual({
      residuals: 8,
      page_hinkley: expect.closeTo(0.8 + 2 / 3 + 4 / 7 + 0.5, 12),
      threshold: 2,
      drifted: true,
      first_alarm_index: 6,
      mean_shift: 1,
      window: 4,
    });
    const calm = computePsiField({ decisions, residuals: Array.from({ length: 400 }, (_, index) => (index % 2 === 0 ? 0.3 : -0.3)) });
    expect(calm.reward_model_drift).toMatchObject({ drifted: false, first_alarm_index: null, mean_shift: 0, window: 100 });
  });

  it('rejects distributions that do not sum to 1 and indices out of range', () => {
    try {
      computePsiField({ decisions: [{ probabilities: [0.5, 0.4], greedy_index: 0 }, { probabilities: [1], greedy_index: 1 }] });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual(['decisions.0.probabilities', 'decisions.1.greedy_index']);
    }
  });
});
