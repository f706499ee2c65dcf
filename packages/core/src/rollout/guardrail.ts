import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { rolloutMetrics, type RolloutMetric } from './ab-metrics';

export type MarginType = 'absolute' | 'relative';
export type HarmDirection = 'lower_is_worse' | 'higher_is_worse';

/**
 * A metric the treatment (arm `ai`) must not make worse than the control (arm `rules`) by more
 * than `margin`: the non-inferiority margin.
 */
export type GuardrailConfig = {
  metric: RolloutMetric;
  /**
   * >= 0. `absolute`: in the metric's own unit (fill rate 0.02 = 2 points). `relative`: a fraction
   * of the control's value (0.05 = 5 %; below 1 for the fill rate).
   */
  margin: number;
  /** Default `absolute` for the fill rate, `relative` for the others. */
  margin_type?: MarginType;
  /**
   * τ, the scale of the mixture over effects, on the harm scale (see `harmOf`): the test reacts
   * fastest to effects of about this size. Default: the margin on the harm scale.
   */
  mixture_scale?: number;
};

export type Guardrail = {
  metric: RolloutMetric;
  margin: number;
  margin_type: MarginType;
  direction: HarmDirection;
  mixture_scale: number;
};

/** Fill rate may drop by 2 points, cost per GPU-hour and time to running may rise by 5 % and 10 %. */
export const defaultGuardrails: readonly GuardrailConfig[] = [
  { metric: 'fill_rate', margin: 0.02, margin_type: 'absolute' },
  { metric: 'cost_per_gpu_hour', margin: 0.05, margin_type: 'relative' },
  { metric: 'time_to_running_ms', margin: 0.1, margin_type: 'relative' },
];

const directions: Record<RolloutMetric, HarmDirection> = {
  fill_rate: 'lower_is_worse',
  cost_per_gpu_hour: 'higher_is_worse',
  time_to_running_ms: 'higher_is_worse',
  achieved_latency_ms: 'higher_is_worse',
};

/** Validates and completes guardrail settings; InvalidArgumentError names every bad field. */
export function resolveGuardrails(configs: readonly GuardrailConfig[], field = 'guardrails'): Guardrail[] {
  if (!Array.isArray(configs) || configs.length === 0) {
    throw new InvalidArgumentError({ issues: [{ field, reason: 'must be a non-empty array of guardrails' }] });
  }
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const guardrails: Guardrail[] = [];
  configs.forEach((config: GuardrailConfig, index: number) => {
    const at = `${field}.${index}`;
    const before = issues.length;
    if (config === null || typeof config !== 'object') {
      issues.push({ field: at, reason: 'must be an object' });
      return;
    }
    if (!(rolloutMetrics as readonly string[]).includes(config.metric)) {
      issues.push({ field: `${at}.metric`, reason: `must be one of ${rolloutMetrics.join(', ')}` });
    } else if (seen.has(config.metric)) {
      issues.push({ field: `${at}.metric`, reason: `${config.metric} has more than one guardrail` });
    }
    seen.add(config.metric);
    const marginType = config.margin_type ?? (config.metric === 'fill_rate' ? 'absolute' : 'relative');
    if (marginType !== 'absolute' && marginType !== 'relative') issues.push({ field: `${at}.margin_type`, reason: 'must be "absolute" or "relative"' });
    const direction = directions[config.metric] ?? 'higher_is_worse';
    if (!isFiniteNumber(config.margin) || config.margin < 0) {
      issues.push({ field: `${at}.margin`, reason: 'must be a finite number >= 0' });
    } else if (marginType === 'relative' && direction === 'lower_is_worse' && config.margin >= 1) {
      issues.push({ field: `${at}.margin`, reason: 'a relative margin on a lower-is-worse metric must be below 1' });
    } else if (marginType === 'absolute' && config.metric === 'fill_rate' && config.margin >= 1) {
      issues.push({ field: `${at}.margin`, reason: 'a fill-rate margin must be below 1' });
    }
    if (config.mixture_scale !== undefined && !(isFiniteNumber(config.mixture_scale) && config.mixture_scale > 0)) {
      issues.push({ field: `${at}.mixture_scale`, reason: 'must be a finite number > 0' });
    }
    if (issues.length > before) return;
    const guardrail: Omit<Guardrail, 'mixture_scale'> = { metric: config.metric, margin: config.margin, margin_type: marginType, direction };
    const scale = config.mixture_scale ?? defaultMixtureScale(guardrail);
    if (scale === undefined) {
      issues.push({ field: `${at}.mixture_scale`, reason: 'is required when an absolute margin is 0 (there is no natural scale)' });
      return;
    }
    guardrails.push({ ...guardrail, mixture_scale: scale });
  });
  if (issues.length > 0) throw new InvalidArgumentError({ issues });
  return guardrails;
}

/** The margin on the harm scale: 0 is the boundary, harm > 0 is a breach. */
export function marginOnHarmScale(guardrail: Pick<Guardrail, 'margin' | 'margin_type' | 'direction'>): number {
  if (guardrail.margin_type === 'absolute') return guardrail.margin;
  return guardrail.direction === 'higher_is_worse' ? Math.log1p(guardrail.margin) : -Math.log1p(-guardrail.margin);
}

/**
 * The harm h of a treatment value against a control value (positive means worse than allowed):
 *   absolute, higher is worse:  h = (θ_T - θ_C) - m
 *   absolute, lower is worse:   h = (θ_C - θ_T) - m
 *   relative, higher is worse:  h = ln(θ_T / θ_C) - ln(1 + m)
 *   relative, lower is worse:   h = ln(1 - m) - ln(θ_T / θ_C)
 * Relative margins are tested on the log ratio, whose estimate is closer to normal than the ratio's.
 */
export function harmOf(guardrail: Pick<Guardrail, 'margin' | 'margin_type' | 'direction'>, control: number, treatment: number): number {
  const sign = guardrail.direction === 'higher_is_worse' ? 1 : -1;
  const difference = guardrail.margin_type === 'absolute' ? treatment - control : Math.log(treatment / control);
  return sign * difference - marginOnHarmScale(guardrail);
}

function defaultMixtureScale(guardrail: Omit<Guardrail, 'mixture_scale'>): number | undefined {
  const margin = marginOnHarmScale(guardrail);
  if (margin > 0) return margin;
  if (guardrail.margin_type === 'relative') return Math.log1p(0.05);
  if (guardrail.metric === 'fill_rate') return 0.02;
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
