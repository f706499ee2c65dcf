import { describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { FixedPolicy } from '../policy/__fixtures__/policy-fixtures';
import { HybridPolicy } from '../policy/hybrid-policy';
import { baselineProfile, createOutcomeStream, type ArmProfile } from './__fixtures__/synthetic-outcomes';
import { createAbMetrics } from './ab-metrics';
import type { StageChange } from './rollout-decision';
import { createRolloutController, RolloutController, type RolloutControllerOptions } from './rollout-controller';

const start = Date.parse('2026-03-01T00:00:00.000Z');
const healthy: ArmProfile = { ...baselineProfile, fill_rate: 0.95 };
const degraded: ArmProfile = { ...baselineProfile, fill_rate: 0.8 };

/** A controller on a fake clock, a hybrid policy it drives, and a stream whose split follows it. */
function setup(treatment: ArmProfile, options: RolloutControllerOptions = {}, seed = 1) {
  let now = start;
  const logger = { info: vi.fn(), warn: vi.fn() };
  const controller = createRolloutController({
    minimum_samples_per_stage: 300,
    minimum_stage_duration_ms: 3_600_000,
    clock: () => now,
    logger,
    ...options,
  });
  const policy = new HybridPolicy({ control: new FixedPolicy('rules', 0), treatment: new FixedPolicy('ai', 1), treatmentPercentage: 0 });
  controller.attach(policy);
  const next = createOutcomeStream({ seed, treatment_share: () => controller.percentage / 100, treatment });
  /** Feeds outcomes one second apart until `until` holds or `limit` outcomes were fed. */
  const feed = (limit: number, until: () => boolean = () => false, stepMs = 1000): number => {
    let fed = 0;
    while (fed < limit && !until()) {
      now += stepMs;
      controller.observe(next());
      fed += 1;
    }
    return fed;
  };
  return { controller, policy, logger, feed, advanceClock: (ms: number) => (now += ms), next };
}

describe('RolloutController', () => {
  it('advances 10 -> 50 -> 100 on a healthy treatment, with events, history and the policy following', () => {
    const changes: StageChange[] = [];
    const onStageChange = vi.fn();
    const { controller, policy, logger, feed } = setup(healthy, { onStageChange });
    controller.on('stage-change', (change) => changes.push(change));
    expect(policy.treatmentPercentage).toBe(10);
    const percentages: number[] = [];
    controller.on('stage-change', () => percentages.push(policy.treatmentPercentage));

    feed(100_000, () => controller.currentPhase === 'completed');

    expect(controller.currentPhase).toBe('completed');
    expect(controller.percentage).toBe(100);
    expect(policy.treatmentPercentage).toBe(100);
    expect(percentages).toEqual([50, 100]);
    expect(changes.map(({ kind, from, to, from_stage, to_stage }) => ({ kind, from, to, from_stage, to_stage }))).toEqual([
      { kind: 'advance', from: 10, to: 50, from_stage: 0, to_stage: 1 },
      { kind: 'advance', from: 50, to: 100, from_stage: 1, to_stage: 2 },
    ]);
    expect(onStageChange.mock.calls.map(([change]) => change)).toEqual(changes);
    expect(controller.status().history).toEqual(changes);
    expect(logger.info).toHaveBeenCalledTimes(2);
    expect(logger.info.mock.calls[0]![0]).toContain('treatment 10 % -> 50 %');
    for (const change of changes) {
      expect(change.statistics.guardrails.map((guardrail) => guardrail.status)).toEqual(['non_inferior', 'non_inferior', 'non_inferior']);
      expect(change.statistics.samples.ai).toBeGreaterThanOrEqual(300);
      expect(change.statistics.samples.rules).toBeGreaterThanOrEqual(300);
      expect(change.statistics.duration_ms).toBeGreaterThanOrEqual(3_600_000);
      expect(Date.parse(change.at)).toBeGreaterThan(start);
    }
    // Each stage is a fresh experiment.
    expect(controller.status().statistics.samples.ai).toBeLessThan(changes[1]!.statistics.samples.ai);
    expect(controller.evaluate()).toMatchObject({ action: 'hold', reasons: [expect.stringContaining('rollout complete')] });
  });

  it('rolls back to 0 % at once on a degraded treatment and stays there until resumed', () => {
    const changes: StageChange[] = [];
    const { controller, policy, logger, feed } = setup(degraded, { minimum_samples_per_stage: 5000 });
    controller.on('stage-change', (change) => changes.push(change));

    const fed = feed(20_000, () => controller.currentPhase === 'rolled_back');

    expect(controller.currentPhase).toBe('rolled_back');
    expect(fed).toBeLessThan(5000); // long before the stage could have advanced
    expect(controller.percentage).toBe(0);
    expect(controller.currentStageIndex).toBeNull();
    expect(policy.treatmentPercentage).toBe(0);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'rollback', from: 10, to: 0, from_stage: 0, to_stage: null });
    expect(changes[0]!.reason).toContain('fill_rate breached');
    expect(changes[0]!.statistics.guardrails.find((guardrail) => guardrail.metric === 'fill_rate')).toMatchObject({
      status: 'breached',
      harm_lower: expect.any(Number),
    });
    expect(changes[0]!.statistics.guardrails[0]!.harm_lower!).toBeGreaterThan(0);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('rollout rollback: treatment 10 % -> 0 %'));
    expect(controller.status().last_decision).toMatchObject({ action: 'rollback', percentage: 0, phase: 'rolled_back' });

    feed(3000);
    expect(controller.percentage).toBe(0);
    expect(changes).toHaveLength(1);
    expect(controller.evaluate()).toMatchObject({ action: 'hold', reasons: [expect.stringContaining('resume() or reset()')] });

    controller.resume({ reason: 'fixed the feature encoder' });
    expect(controller.percentage).toBe(10);
    expect(controller.currentPhase).toBe('running');
    expect(policy.treatmentPercentage).toBe(10);
    expect(changes[1]).toMatchObject({ kind: 'resume', from: 0, to: 10, from_stage: null, to_stage: 0, reason: 'fixed the feature encoder' });
    expect(controller.status().statistics.samples).toEqual({ rules: 0, ai: 0 });
  });

  it('rolls back from a later stage too', () => {
    const { controller, feed } = setup(healthy);
    feed(100_000, () => controller.percentage === 50);
    controller.resume({ stage_index: 1 });
    const next = createOutcomeStream({ seed: 77, treatment_share: 0.5, treatment: { ...baselineProfile, price_per_gpu_hour: 3 } });
    let decision;
    for (let index = 0; index < 5000 && controller.currentPhase !== 'rolled_back'; index++) decision = controller.observe(next());
    expect(decision).toMatchObject({ action: 'rollback', reasons: [expect.stringContaining('cost_per_gpu_hour breached')] });
    expect(controller.status().history.at(-1)).toMatchObject({ kind: 'rollback', from: 50, to: 0 });
  });

  it('does not advance before the minimum samples per arm', () => {
    const { controller, feed } = setup(healthy, { minimum_samples_per_stage: 2000, minimum_stage_duration_ms: 0 });
    feed(100_000, () => controller.status().statistics.guardrails.every((guardrail) => guardrail.status === 'non_inferior'));
    const decision = controller.evaluate();
    expect(decision.action).toBe('hold');
    expect(decision.reasons).toEqual([expect.stringMatching(/^ai arm has \d+ of 2000 outcomes needed$/)]);
    feed(100_000, () => controller.percentage === 50);
    const [advance] = controller.status().history;
    expect(advance!.statistics.samples.ai).toBeGreaterThanOrEqual(2000);
  });

  it('does not advance before the minimum stage duration', () => {
    const { controller, feed, advanceClock } = setup(healthy, { minimum_samples_per_stage: 100, minimum_stage_duration_ms: 86_400_000 });
    feed(100_000, () => controller.status().statistics.guardrails.every((guardrail) => guardrail.status === 'non_inferior'), 0);
    advanceClock(3_600_000);
    const held = controller.evaluate();
    expect(held.action).toBe('hold');
    expect(held.reasons).toEqual(['stage has run 1 h of 24 h']);
    expect(controller.percentage).toBe(10);
    advanceClock(23 * 3_600_000);
    expect(controller.evaluate()).toMatchObject({ action: 'advance', percentage: 50, reasons: [expect.stringContaining('over 24 h')] });
  });

  it('holds, naming each guardrail, while non-inferiority is not shown', () => {
    const { controller, feed } = setup(baselineProfile, { minimum_samples_per_stage: 10, minimum_stage_duration_ms: 0 });
    feed(1000, () => controller.status().statistics.samples.ai >= 10);
    const decision = controller.evaluate();
    expect(decision.action).toBe('hold');
    expect(decision.reasons).toEqual([
      expect.stringMatching(/^fill_rate: not enough data to test/),
      expect.stringMatching(/^cost_per_gpu_hour: not enough data/),
      expect.stringMatching(/^time_to_running_ms: not enough data/),
    ]);
    feed(1500);
    expect(controller.evaluate().reasons.some((reason) => /non-inferiority not shown yet \(p = [\d.]+, α = 0.05\)/.test(reason))).toBe(true);
  });

  it('splits α over the guardrails for breaches and keeps it whole for non-inferiority', () => {
    const { controller, feed } = setup(baselineProfile);
    feed(3000);
    const [fill] = controller.status().statistics.guardrails;
    expect(controller.guardrails).toHaveLength(3);
    expect(fill!.breach_critical_z!).toBeGreaterThan(fill!.non_inferiority_critical_z!);
  });

  it('waits for evaluate() when evaluate_on_observe is off', () => {
    const { controller, feed, next } = setup(degraded, { evaluate_on_observe: false });
    expect(controller.observe(next())).toBeUndefined();
    feed(5000);
    expect(controller.percentage).toBe(10);
    expect(controller.evaluate().action).toBe('rollback');
    expect(controller.percentage).toBe(0);
  });

  it('merges outcomes reported by other replicas', () => {
    const { controller } = setup(baselineProfile);
    const replica = createAbMetrics();
    const next = createOutcomeStream({ seed: 5, treatment_share: 0.1, treatment: degraded });
    for (let index = 0; index < 4000; index++) replica.observe(next());
    const decision = controller.mergeMetrics(JSON.parse(JSON.stringify(replica.toJSON())));
    expect(decision?.action).toBe('rollback');
  });

  it('survives throwing listeners and logs them', () => {
    const onStageChange = vi.fn(() => {
      throw new Error('callback failed');
    });
    const { controller, policy, logger, feed } = setup(degraded, { onStageChange });
    controller.on('stage-change', () => {
      throw new Error('listener failed');
    });
    feed(20_000, () => controller.currentPhase === 'rolled_back');
    expect(policy.treatmentPercentage).toBe(0);
    expect(onStageChange).toHaveBeenCalledOnce();
    expect(logger.warn).toHaveBeenCalledWith('a rollout "stage-change" listener threw', expect.any(Error));
    expect(logger.warn).toHaveBeenCalledWith('the rollout onStageChange callback threw', expect.any(Error));
  });

  it('attaches and detaches policies', () => {
    const { controller, policy } = setup(baselineProfile);
    const other = new HybridPolicy({ control: new FixedPolicy('rules', 0), treatment: new FixedPolicy('ai', 1), treatmentPercentage: 77 });
    const detach = controller.attach(other);
    expect(other.treatmentPercentage).toBe(10);
    detach();
    controller.resume({ stage_index: 1 });
    expect(policy.treatmentPercentage).toBe(50);
    expect(other.treatmentPercentage).toBe(10);
    expect(() => controller.attach({} as never)).toThrowError(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });

  it('resets to the first stage with fresh metrics and keeps the history', () => {
    const { controller, feed } = setup(healthy);
    feed(100_000, () => controller.percentage === 50);
    feed(500);
    controller.reset();
    expect(controller.percentage).toBe(10);
    expect(controller.status().statistics.samples).toEqual({ rules: 0, ai: 0 });
    expect(controller.status().history.map((change) => change.kind)).toEqual(['advance', 'reset']);
    expect(() => controller.resume({ stage_index: 3 })).toThrowError(expect.objectContaining({ issues: [{ field: 'stage_index', reason: 'must be an integer from 0 to 2' }] }));
  });

  it('round-trips its state through JSON and carries on identically', () => {
    const options = { minimum_samples_per_stage: 300, minimum_stage_duration_ms: 3_600_000 };
    const original = setup(healthy, options, 21);
    original.feed(100_000, () => original.controller.percentage === 50);
    original.feed(700);
    const state = JSON.parse(JSON.stringify(original.controller.toJSON()));

    let now = Date.parse(original.controller.status().statistics.started_at) + 700_000;
    const restored = RolloutController.fromJSON(state, { ...options, clock: () => now });
    expect(restored.toJSON()).toEqual(original.controller.toJSON());
    expect(restored.percentage).toBe(50);

    // Both see the same further outcomes at the same times and must decide the same way.
    const twin = createOutcomeStream({ seed: 99, treatment_share: 0.5, treatment: healthy });
    const source = createOutcomeStream({ seed: 99, treatment_share: 0.5, treatment: healthy });
    for (let index = 0; index < 8000 && original.controller.currentPhase !== 'completed'; index++) {
      original.advanceClock(1000);
      now += 1000;
      const a = original.controller.observe(source());
      const b = restored.observe(twin());
      expect(b!.action).toBe(a!.action);
    }
    expect(original.controller.currentPhase).toBe('completed');
    expect(restored.toJSON()).toEqual(original.controller.toJSON());
  });

  it('refuses a corrupt state or stages that differ from it', () => {
    const { controller } = setup(baselineProfile);
    const state = controller.toJSON();
    expect(() => RolloutController.fromJSON({ ...state, percentage: 30 })).toThrowError(
      expect.objectContaining({ issues: [{ field: 'percentage', reason: 'must be 10 for this stage' }] }),
    );
    expect(() => RolloutController.fromJSON({ ...state, phase: 'rolled_back' })).toThrowError(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
    expect(() => RolloutController.fromJSON(state, { stages: [5, 25, 100] })).toThrowError(
      expect.objectContaining({ issues: [{ field: 'stages', reason: expect.stringContaining("differ from the saved state's [10, 50, 100]") }] }),
    );
  });

  it('validates its options', () => {
    let error: unknown;
    try {
      createRolloutController({ stages: [50, 10], alpha: 2, minimum_samples_per_stage: 1.5, clock: 3 as never });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual(['stages', 'alpha', 'minimum_samples_per_stage', 'clock']);
    expect(() => createRolloutController({ guardrails: [{ metric: 'fill_rate', margin: -1 }] })).toThrowError(
      expect.objectContaining({ issues: [{ field: 'guardrails.0.margin', reason: 'must be a finite number >= 0' }] }),
    );
  });

  it('uses the defaults: stages 10/50/100 and the three guardrails', () => {
    const controller = createRolloutController({ clock: () => start });
    expect(controller.stages).toEqual([10, 50, 100]);
    expect(controller.guardrails.map((guardrail) => [guardrail.metric, guardrail.margin, guardrail.margin_type])).toEqual([
      ['fill_rate', 0.02, 'absolute'],
      ['cost_per_gpu_hour', 0.05, 'relative'],
      ['time_to_running_ms', 0.1, 'relative'],
    ]);
    expect(controller.status()).toMatchObject({ phase: 'running', stage_index: 0, percentage: 10, stage_started_at: '2026-03-01T00:00:00.000Z', history: [], last_decision: null });
  });
});
