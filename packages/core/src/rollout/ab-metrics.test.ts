import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { baselineProfile, createOutcomeStream } from './__fixtures__/synthetic-outcomes';
import { createAbMetrics, mergeAbMetrics, type ArmOutcome } from './ab-metrics';
import { z95 } from './normal-distribution';

function outcome(overrides: Partial<ArmOutcome> = {}): ArmOutcome {
  return { decision_id: 'dec-1', provider: 'p', offer_id: 'o', filled: true, observed_at: '2026-01-01T00:00:00.000Z', arm: 'rules', ...overrides };
}

function stream(seed: number, count: number): ArmOutcome[] {
  const next = createOutcomeStream({ seed, treatment_share: 0.3, treatment: { ...baselineProfile, fill_rate: 0.85 } });
  return Array.from({ length: count }, next);
}

describe('AbMetricsTracker', () => {
  it('keeps the arms apart and counts each metric only where the outcome carries it', () => {
    const metrics = createAbMetrics();
    metrics.observe(outcome({ arm: 'ai', filled: true, time_to_running_ms: 1000, cost_usd: 4, gpu_hours_delivered: 2, achieved_latency_ms: 50 }));
    metrics.observe(outcome({ arm: 'ai', filled: false, time_to_running_ms: 9999, cost_usd: 0.5, gpu_hours_delivered: 0 }));
    metrics.observe(outcome({ arm: 'ai', filled: true, cost_usd: 3 }));
    metrics.observe(outcome({ arm: 'rules', filled: false }));
    expect(metrics.outcomes('ai')).toBe(3);
    expect(metrics.outcomes('rules')).toBe(1);
    expect(metrics.count('ai', 'fill_rate')).toBe(3);
    // Time to running only for filled decisions; cost only with both cost and GPU-hours.
    expect(metrics.count('ai', 'time_to_running_ms')).toBe(1);
    expect(metrics.count('ai', 'cost_per_gpu_hour')).toBe(2);
    expect(metrics.count('ai', 'achieved_latency_ms')).toBe(1);
    const summary = metrics.summary();
    expect(summary.ai.fill_rate.estimate).toBeCloseTo(2 / 3, 12);
    expect(summary.ai.fill_rate.successes).toBe(2);
    // The failed attempt's cost counts against the delivered hours: (4 + 0.5) / 2.
    expect(summary.ai.cost_per_gpu_hour.estimate).toBeCloseTo(2.25, 12);
    expect(summary.ai.cost_per_gpu_hour.total_cost_usd).toBeCloseTo(4.5, 12);
    expect(summary.ai.cost_per_gpu_hour.total_gpu_hours).toBeCloseTo(2, 12);
    expect(summary.rules.fill_rate.estimate).toBe(0);
    expect(summary.rules.time_to_running_ms).toEqual({ count: 0, mean: null, variance: null, standard_error: null, interval_95: null });
    expect(metrics.estimate('rules', 'cost_per_gpu_hour')).toBeNull();
  });

  it('summarises with the textbook intervals', () => {
    const outcomes = stream(11, 3000);
    const metrics = createAbMetrics();
    for (const item of outcomes) metrics.observe(item);
    const ai = outcomes.filter((item) => item.arm === 'ai');

    const fills = ai.map((item) => (item.filled ? 1 : 0));
    const n = fills.length;
    const p = fills.reduce<number>((sum, value) => sum + value, 0) / n;
    const centre = (p + (z95 * z95) / (2 * n)) / (1 + (z95 * z95) / n);
    const half = (z95 / (1 + (z95 * z95) / n)) * Math.sqrt((p * (1 - p)) / n + (z95 * z95) / (4 * n * n));
    const fill = metrics.summary().ai.fill_rate;
    expect(fill.count).toBe(n);
    expect(fill.estimate).toBeCloseTo(p, 12);
    expect(fill.interval_95!.lower).toBeCloseTo(centre - half, 12);
    expect(fill.interval_95!.upper).toBeCloseTo(centre + half, 12);

    const times = ai.flatMap((item) => (item.filled ? [item.time_to_running_ms!] : []));
    const mean = times.reduce((sum, value) => sum + value, 0) / times.length;
    const variance = times.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (times.length - 1);
    const time = metrics.summary().ai.time_to_running_ms;
    expect(time.mean).toBeCloseTo(mean, 6);
    expect(time.variance! / variance).toBeCloseTo(1, 10);
    expect(time.interval_95!.lower).toBeCloseTo(mean - z95 * Math.sqrt(variance / times.length), 6);
    expect(time.interval_95!.upper).toBeCloseTo(mean + z95 * Math.sqrt(variance / times.length), 6);

    const cost = metrics.summary().ai.cost_per_gpu_hour;
    const totalCost = ai.reduce((sum, item) => sum + item.cost_usd!, 0);
    const totalHours = ai.reduce((sum, item) => sum + item.gpu_hours_delivered!, 0);
    expect(cost.estimate).toBeCloseTo(totalCost / totalHours, 10);
    expect(cost.interval_95!.upper - cost.estimate!).toBeCloseTo(z95 * cost.standard_error!, 12);
  });

  it('shrinks the fill-rate variance off zero when every decision filled', () => {
    const metrics = createAbMetrics();
    for (let index = 0; index < 50; index++) metrics.observe(outcome({ arm: 'ai' }));
    const estimate = metrics.estimate('ai', 'fill_rate')!;
    expect(estimate.estimate).toBe(1);
    expect(estimate.variance).toBeGreaterThan(0);
  });

  it('merges replicas into the tracker of the whole stream', () => {
    const outcomes = stream(12, 2000);
    const whole = createAbMetrics();
    const replicas = [createAbMetrics(), createAbMetrics(), createAbMetrics()];
    outcomes.forEach((item, index) => {
      whole.observe(item);
      replicas[index % 3]!.observe(item);
    });
    const merged = createAbMetrics();
    for (const replica of replicas) merged.merge(JSON.parse(JSON.stringify(replica)));
    for (const arm of ['rules', 'ai'] as const) {
      for (const metric of ['fill_rate', 'cost_per_gpu_hour', 'time_to_running_ms', 'achieved_latency_ms'] as const) {
        const expected = whole.estimate(arm, metric)!;
        const actual = merged.estimate(arm, metric)!;
        expect(actual.count).toBe(expected.count);
        expect(actual.estimate / expected.estimate).toBeCloseTo(1, 10);
        expect(actual.variance / expected.variance).toBeCloseTo(1, 8);
      }
    }
    const pure = mergeAbMetrics(replicas[0]!.toJSON(), replicas[1]!.toJSON());
    expect(pure.ai.fill.count).toBe(replicas[0]!.outcomes('ai') + replicas[1]!.outcomes('ai'));
  });

  it('round-trips through JSON', () => {
    const metrics = createAbMetrics();
    for (const item of stream(13, 500)) metrics.observe(item);
    const restored = createAbMetrics(JSON.parse(JSON.stringify(metrics.toJSON())));
    expect(restored.summary()).toEqual(metrics.summary());
    // The restored tracker is independent of the state object it came from.
    const state = metrics.toJSON();
    const copy = createAbMetrics(state);
    copy.observe(outcome({ arm: 'ai' }));
    expect(state.ai.fill.count).toBe(metrics.outcomes('ai'));
  });

  it('rejects outcomes without a rules/ai arm or with bad numbers, and bad states', () => {
    const metrics = createAbMetrics();
    expect(() => metrics.observe(outcome({ arm: 'shadow' as never }))).toThrowError(
      expect.objectContaining({ issues: [{ field: 'arm', reason: 'must be "rules" or "ai"' }] }),
    );
    let error: unknown;
    try {
      metrics.observe(outcome({ cost_usd: -1, time_to_running_ms: Number.NaN }));
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).issues.map((issue) => issue.field)).toEqual(['cost_usd', 'time_to_running_ms']);
    expect(metrics.outcomes('rules')).toBe(0);
    const state = metrics.toJSON();
    (state.rules.fill as { count: number }).count = -1;
    expect(() => createAbMetrics(state)).toThrowError(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });
});
