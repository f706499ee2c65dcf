import { describe, expect, it } from 'vitest';
import { baselineProfile, createOutcomeStream, type ArmProfile } from './__fixtures__/synthetic-outcomes';
import { createAbMetrics } from './ab-metrics';
import { evaluateGuardrail } from './evaluate-guardrail';
import { harmOf, resolveGuardrails, type GuardrailConfig } from './guardrail';

const alpha = 0.05;
/** One-sided fixed-horizon z at 5 %: what a naive dashboard compares the z-score with at every look. */
const naiveCriticalZ = 1.6448536269514722;

type Run = { breached: boolean; nonInferior: boolean; naiveBreached: boolean };

/** One experiment, the guardrail tested after every single outcome, until it breaches or the data end. */
function monitor(config: GuardrailConfig, seed: number, treatment: ArmProfile, outcomes: number, share: number, stopOnNonInferior: boolean): Run {
  const [guardrail] = resolveGuardrails([config]);
  const next = createOutcomeStream({ seed, treatment_share: share, treatment });
  const metrics = createAbMetrics();
  const run: Run = { breached: false, nonInferior: false, naiveBreached: false };
  for (let index = 0; index < outcomes; index++) {
    metrics.observe(next());
    const evaluation = evaluateGuardrail(guardrail!, metrics, { alpha, minimum_samples: 100 });
    if (evaluation.z !== null && evaluation.z >= naiveCriticalZ) run.naiveBreached = true;
    if (evaluation.status === 'non_inferior') {
      run.nonInferior = true;
      if (stopOnNonInferior) break;
    }
    if (evaluation.status === 'breached') {
      run.breached = true;
      break;
    }
  }
  return run;
}

type Design = { experiments: number; outcomes: number; share: number; firstSeed: number; stopOnNonInferior?: boolean };

function rates(config: GuardrailConfig, treatment: ArmProfile, design: Design) {
  const { experiments, outcomes, share, firstSeed } = design;
  let breached = 0;
  let nonInferior = 0;
  let naiveBreached = 0;
  for (let experiment = 0; experiment < experiments; experiment++) {
    const run = monitor(config, firstSeed + experiment, treatment, outcomes, share, design.stopOnNonInferior ?? false);
    breached += Number(run.breached);
    nonInferior += Number(run.nonInferior);
    naiveBreached += Number(run.naiveBreached);
  }
  return { breach: breached / experiments, nonInferior: nonInferior / experiments, naiveBreach: naiveBreached / experiments };
}

describe('evaluateGuardrail', () => {
  it('tests harm on the documented scale', () => {
    const [fill, cost] = resolveGuardrails([
      { metric: 'fill_rate', margin: 0.02 },
      { metric: 'cost_per_gpu_hour', margin: 0.05 },
    ]);
    expect(fill).toMatchObject({ margin_type: 'absolute', direction: 'lower_is_worse', mixture_scale: 0.02 });
    expect(harmOf(fill!, 0.93, 0.9)).toBeCloseTo(0.01, 12);
    expect(cost).toMatchObject({ margin_type: 'relative', direction: 'higher_is_worse' });
    expect(cost!.mixture_scale).toBeCloseTo(Math.log(1.05), 12);
    expect(harmOf(cost!, 2, 2.1)).toBeCloseTo(0, 12);
    expect(harmOf(cost!, 2, 2.2)).toBeCloseTo(Math.log(1.1 / 1.05), 12);
    const [relativeFill] = resolveGuardrails([{ metric: 'fill_rate', margin: 0.1, margin_type: 'relative' }]);
    expect(harmOf(relativeFill!, 0.9, 0.81)).toBeCloseTo(0, 12);
  });

  it('waits for the minimum samples in both arms', () => {
    const [guardrail] = resolveGuardrails([{ metric: 'fill_rate', margin: 0.02 }]);
    const metrics = createAbMetrics();
    const next = createOutcomeStream({ seed: 3, treatment_share: 0.5, treatment: { ...baselineProfile, fill_rate: 0.2 } });
    while (metrics.outcomes('ai') < 99 || metrics.outcomes('rules') < 99) metrics.observe(next());
    while (metrics.outcomes('ai') < 99) metrics.observe(next());
    expect(evaluateGuardrail(guardrail!, metrics, { alpha, minimum_samples: 120 })).toMatchObject({ status: 'insufficient_data', harm: null, breach_p_value: 1 });
    expect(evaluateGuardrail(guardrail!, metrics, { alpha, minimum_samples: 50 }).status).toBe('breached');
  });

  it('rejects bad guardrail settings', () => {
    expect(() =>
      resolveGuardrails([
        { metric: 'fill_rate', margin: 1.5 },
        { metric: 'cost_per_gpu_hour', margin: -0.1 },
        { metric: 'cost_per_gpu_hour', margin: 0.1 },
        { metric: 'queue_depth' as never, margin: 0.1 },
        { metric: 'time_to_running_ms', margin: 0, margin_type: 'absolute' },
      ]),
    ).toThrowError(
      expect.objectContaining({
        issues: [
          { field: 'guardrails.0.margin', reason: 'a fill-rate margin must be below 1' },
          { field: 'guardrails.1.margin', reason: 'must be a finite number >= 0' },
          { field: 'guardrails.2.metric', reason: 'cost_per_gpu_hour has more than one guardrail' },
          { field: 'guardrails.3.metric', reason: expect.stringContaining('must be one of') },
          { field: 'guardrails.4.mixture_scale', reason: expect.stringContaining('is required') },
        ],
      }),
    );
    expect(() => resolveGuardrails([])).toThrowError(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });
});

describe('type-I error under continuous monitoring (A/A, seeded, a look after every outcome)', () => {
  // Margin 0 puts an A/A test exactly on the boundary of both nulls (harm <= 0 and harm >= 0):
  // the hardest case for the breach test and for the non-inferiority test alike.
  const experiments = 250;
  const outcomes = 3000;
  const tolerance = 0.02;

  it.each([
    ['fill_rate', { metric: 'fill_rate', margin: 0, margin_type: 'absolute' }],
    ['cost_per_gpu_hour', { metric: 'cost_per_gpu_hour', margin: 0, margin_type: 'relative' }],
    ['time_to_running_ms', { metric: 'time_to_running_ms', margin: 0, margin_type: 'relative' }],
  ] as const)('keeps false breaches and false non-inferiority of %s below α', (_name, config) => {
    const result = rates(config, baselineProfile, { experiments, outcomes, share: 0.1, firstSeed: 1 });
    expect(result.breach).toBeLessThanOrEqual(alpha + tolerance);
    expect(result.nonInferior).toBeLessThanOrEqual(alpha + tolerance);
    // The same looks with a fixed-horizon z-test: the inflation the sequential test prevents.
    expect(result.naiveBreach).toBeGreaterThan(2 * alpha);
  });

  it('holds α at the boundary of a non-zero margin (treatment exactly 5 % dearer, margin 5 %)', () => {
    const treatment = { ...baselineProfile, price_per_gpu_hour: baselineProfile.price_per_gpu_hour * 1.05 };
    const result = rates({ metric: 'cost_per_gpu_hour', margin: 0.05 }, treatment, { experiments: 200, outcomes: 2000, share: 0.5, firstSeed: 5000 });
    // Exactly on the boundary, "breached" and "non-inferior" are both errors.
    expect(result.breach).toBeLessThanOrEqual(alpha + tolerance);
    expect(result.nonInferior).toBeLessThanOrEqual(alpha + tolerance);
  });
});

describe('power', () => {
  it.each([
    ['fill rate 0.93 -> 0.85 (margin 2 points)', { metric: 'fill_rate', margin: 0.02 }, { ...baselineProfile, fill_rate: 0.85 }],
    ['cost per GPU-hour +25 % (margin 5 %)', { metric: 'cost_per_gpu_hour', margin: 0.05 }, { ...baselineProfile, price_per_gpu_hour: 2.5 }],
    ['time to running +40 % (margin 10 %)', { metric: 'time_to_running_ms', margin: 0.1 }, { ...baselineProfile, time_to_running_ms: 84_000 }],
  ] as const)('detects a degraded treatment: %s', (_name, config, treatment) => {
    const result = rates(config, treatment, { experiments: 100, outcomes: 5000, share: 0.1, firstSeed: 9000 });
    expect(result.breach).toBeGreaterThanOrEqual(0.9);
  });

  it('establishes non-inferiority of an equal treatment', () => {
    const design = { experiments: 100, outcomes: 8000, share: 0.5, firstSeed: 12_000, stopOnNonInferior: true };
    const result = rates({ metric: 'fill_rate', margin: 0.02 }, baselineProfile, design);
    expect(result.breach).toBe(0);
    expect(result.nonInferior).toBeGreaterThanOrEqual(0.8);
  });
});
