import type { Outcome } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { StageOutcomeTracker } from './stage-outcome-tracker';

const at = '2026-03-01T12:00:00.000Z';
const fill = (decision: string, filled = true): Outcome => ({
  decision_id: decision,
  provider: 'alpha',
  offer_id: 'alpha-1',
  filled,
  observed_at: at,
  ...(filled ? { time_to_running_ms: 30_000 } : { failure_reason: 'capacity' }),
});
const bill = (decision: string, cost: number, hours: number): Outcome => ({ ...fill(decision), cost_usd: cost, gpu_hours_delivered: hours });

describe('StageOutcomeTracker', () => {
  it('counts a decision once for the fill rate and adds its bill once for the cost per GPU-hour', () => {
    const tracker = new StageOutcomeTracker('rollout:a');
    tracker.observe(fill('d1'), 'ai');
    tracker.observe(fill('d1'), 'ai');
    tracker.observe(bill('d1', 4, 2), 'ai');
    tracker.observe(bill('d1', 4, 2), 'ai');
    tracker.observe(fill('d2', false), 'ai');
    const { ai, rules } = tracker.metrics();
    expect(ai.fill).toMatchObject({ count: 2, mean: 0.5 });
    expect(ai.time_to_running_ms.count).toBe(1);
    expect(ai.cost_per_gpu_hour).toMatchObject({ count: 1, mean_numerator: 4, mean_denominator: 2 });
    expect(rules.fill.count).toBe(0);
    expect(tracker.outcomes('ai')).toBe(2);
  });

  it('counts a decision first seen with its bill in full, and starts over on reset', () => {
    const tracker = new StageOutcomeTracker('rollout:a');
    tracker.observe(bill('d1', 3, 1), 'rules');
    tracker.observe(fill('d1'), 'rules');
    expect(tracker.metrics().rules).toMatchObject({ fill: { count: 1 }, cost_per_gpu_hour: { count: 1 } });
    tracker.reset('rollout:b');
    expect(tracker.stageKey).toBe('rollout:b');
    expect(tracker.outcomes('rules')).toBe(0);
    tracker.observe(fill('d1'), 'rules');
    expect(tracker.outcomes('rules')).toBe(1);
  });

  it('with ledger claims, counts only what this replica recorded first', () => {
    const here = new StageOutcomeTracker('rollout:a');
    const there = new StageOutcomeTracker('rollout:a');
    // The fill is recorded first here; the bill first there (another replica saw the end).
    here.observe(fill('d1'), 'ai', { first: true, first_bill: false });
    there.observe(bill('d1', 4, 2), 'ai', { first: false, first_bill: true });
    // A repeat of the bill here was not first: nothing more.
    here.observe(bill('d1', 4, 2), 'ai', { first: false, first_bill: false });
    expect(here.metrics().ai).toMatchObject({ fill: { count: 1 }, cost_per_gpu_hour: { count: 0 } });
    expect(there.metrics().ai).toMatchObject({ fill: { count: 0 }, cost_per_gpu_hour: { count: 1, mean_numerator: 4, mean_denominator: 2 } });
    expect(here.outcomes('ai') + there.outcomes('ai')).toBe(1);
  });

  it('with ledger claims, counts nothing for an outcome another replica recorded first', () => {
    const tracker = new StageOutcomeTracker('rollout:a');
    tracker.observe(bill('d1', 4, 2), 'rules', { first: false, first_bill: false });
    expect(tracker.outcomes('rules')).toBe(0);
    expect(tracker.metrics().rules.cost_per_gpu_hour.count).toBe(0);
  });
});
