import { diag, type DiagLogger } from '@opentelemetry/api';
import { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError, type FieldIssue } from '../errors/invalid-argument-error';
import { parseOrThrow } from '../schemas/parse';
import { AbMetricsTracker, type AbMetricsState, type ArmOutcome, type RolloutMetric } from './ab-metrics';
import { evaluateGuardrail, type EvidencePeaks, type GuardrailEvaluation } from './evaluate-guardrail';
import { defaultGuardrails, resolveGuardrails, type Guardrail, type GuardrailConfig } from './guardrail';
import type { RolloutAction, RolloutDecision, RolloutPhase, StageChange, StageChangeKind, StageStatistics } from './rollout-decision';
import { rolloutStateSchema, type RolloutState } from './rollout-state';

/** Anything whose treatment share the controller drives; `HybridPolicy` is one. */
export type RolloutTarget = { setTreatmentPercentage(percentage: number): void };

export type RolloutControllerOptions = {
  /** Treatment percentages, strictly increasing, each in (0, 100]. Default [10, 50, 100]. */
  stages?: number[];
  /** Default: fill rate -2 points, cost per GPU-hour +5 %, time to running +10 %. */
  guardrails?: readonly GuardrailConfig[];
  /**
   * Error level, default 0.05. Advancing needs every guardrail's non-inferiority test at α (an
   * intersection-union test, so α overall). The breach tests run at α / k for k guardrails, so a
   * false rollback in a stage has probability at most α.
   */
  alpha?: number;
  /** Outcomes each arm needs in a stage before it may advance. Default 1000. */
  minimum_samples_per_stage?: number;
  /** Time a stage must run before it may advance; default 24 h, one daily cycle. */
  minimum_stage_duration_ms?: number;
  /** Samples each arm needs before a guardrail is tested at all (breach included). Default 100. */
  minimum_samples_for_test?: number;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  /** Called after every stage change, like a `stage-change` listener. */
  onStageChange?: (change: StageChange) => void;
  /** Run `evaluate()` after each `observe()`/`mergeMetrics()`, default true. */
  evaluate_on_observe?: boolean;
  /** Stage changes kept in the history (oldest dropped first). Default 200. */
  max_history?: number;
  /** Default the OpenTelemetry diag logger, namespace `@aurora/router`. */
  logger?: Pick<DiagLogger, 'info' | 'warn'>;
};

export type RolloutControllerEvents = {
  'stage-change': [change: StageChange];
};

export type RolloutStatus = {
  phase: RolloutPhase;
  stages: number[];
  stage_index: number | null;
  percentage: number;
  stage_started_at: string;
  statistics: StageStatistics;
  last_decision: RolloutDecision | null;
  history: StageChange[];
};

const defaultStages = [10, 50, 100];
const hourMs = 3_600_000;

/**
 * Moves the treatment (arm `ai`) through the stages, 10 -> 50 -> 100 % by default, on live A/B
 * outcomes. `evaluate()`:
 * - rolls back to 0 % (rules only) at once when any guardrail's always-valid breach test fires,
 *   and stays there until `resume()` or `reset()`;
 * - advances when the stage has its minimum outcomes per arm and duration and every guardrail's
 *   non-inferiority test has passed;
 * - holds otherwise, saying what is missing.
 * Each stage starts a fresh experiment (new metrics, new tests). Every change is logged, emitted
 * as `stage-change`, kept in the history and applied to the attached policies.
 */
export class RolloutController extends EventEmitter<RolloutControllerEvents> {
  readonly stages: readonly number[];
  readonly guardrails: readonly Guardrail[];
  readonly alpha: number;
  private readonly breachAlpha: number;
  private readonly minimumSamplesPerStage: number;
  private readonly minimumStageDurationMs: number;
  private readonly minimumSamplesForTest: number;
  private readonly clock: () => number;
  private readonly onStageChange: ((change: StageChange) => void) | undefined;
  private readonly evaluateOnObserve: boolean;
  private readonly maxHistory: number;
  private readonly logger: Pick<DiagLogger, 'info' | 'warn'>;
  private readonly targets = new Set<RolloutTarget>();
  private phase: RolloutPhase;
  private stageIndex: number | null;
  private stageStartedAt: number;
  private metrics: AbMetricsTracker;
  private peaks: Partial<Record<RolloutMetric, EvidencePeaks>>;
  private readonly history: StageChange[];
  private lastDecision: RolloutDecision | null = null;

  constructor(options: RolloutControllerOptions = {}, state?: RolloutState) {
    super();
    const issues = optionIssues(options);
    if (issues.length > 0) throw new InvalidArgumentError({ message: `Invalid rollout controller options: ${describe(issues)}`, issues });
    this.guardrails = resolveGuardrails(options.guardrails ?? defaultGuardrails);
    this.alpha = options.alpha ?? 0.05;
    this.breachAlpha = this.alpha / this.guardrails.length;
    this.minimumSamplesPerStage = options.minimum_samples_per_stage ?? 1000;
    this.minimumStageDurationMs = options.minimum_stage_duration_ms ?? 24 * hourMs;
    this.minimumSamplesForTest = options.minimum_samples_for_test ?? 100;
    this.clock = options.clock ?? Date.now;
    this.onStageChange = options.onStageChange;
    this.evaluateOnObserve = options.evaluate_on_observe ?? true;
    this.maxHistory = options.max_history ?? 200;
    this.logger = options.logger ?? diag.createComponentLogger({ namespace: '@aurora/router' });

    if (state === undefined) {
      this.stages = [...(options.stages ?? defaultStages)];
      this.phase = this.stages.length === 1 ? 'completed' : 'running';
      this.stageIndex = 0;
      this.stageStartedAt = this.clock();
      this.metrics = new AbMetricsTracker();
      this.peaks = {};
      this.history = [];
      return;
    }
    const parsed = parseOrThrow(rolloutStateSchema, state, 'rollout state') as RolloutState;
    if (options.stages !== undefined && !sameStages(options.stages, parsed.stages)) {
      throw new InvalidArgumentError({
        issues: [{ field: 'stages', reason: `differ from the saved state's [${parsed.stages.join(', ')}]; start a new rollout (drop the saved state) to change them` }],
      });
    }
    this.stages = [...parsed.stages];
    this.phase = parsed.phase;
    this.stageIndex = parsed.stage_index;
    this.stageStartedAt = Date.parse(parsed.stage_started_at);
    this.metrics = new AbMetricsTracker(parsed.metrics);
    this.peaks = structuredClone(parsed.evidence_peaks);
    this.history = structuredClone(parsed.history).slice(-this.maxHistory);
  }

  /** Restores a controller saved with `toJSON()`; options supply everything the state does not hold. */
  static fromJSON(state: RolloutState, options: RolloutControllerOptions = {}): RolloutController {
    return new RolloutController(options, state);
  }

  /** The treatment percentage in force. */
  get percentage(): number {
    return this.stageIndex === null ? 0 : this.stages[this.stageIndex]!;
  }

  get currentPhase(): RolloutPhase {
    return this.phase;
  }

  get currentStageIndex(): number | null {
    return this.stageIndex;
  }

  /**
   * Drives `target`'s treatment share from now on; it is set to the current percentage at once.
   * Returns a function that detaches it.
   */
  attach(target: RolloutTarget): () => void {
    if (target === null || typeof target !== 'object' || typeof target.setTreatmentPercentage !== 'function') {
      throw new InvalidArgumentError({ issues: [{ field: 'policy', reason: 'must have setTreatmentPercentage(percentage)' }] });
    }
    target.setTreatmentPercentage(this.percentage);
    this.targets.add(target);
    return () => this.detach(target);
  }

  detach(target: RolloutTarget): void {
    this.targets.delete(target);
  }

  /**
   * Records one outcome in the current stage (arm `rules` or `ai`; InvalidArgumentError
   * otherwise). With `evaluate_on_observe` it then evaluates and returns the decision.
   */
  observe(outcome: ArmOutcome): RolloutDecision | undefined {
    this.metrics.observe(outcome);
    return this.evaluateOnObserve ? this.evaluate() : undefined;
  }

  /** Adds another tracker's outcomes (e.g. a replica's, since its last report) to the current stage. */
  mergeMetrics(state: AbMetricsState): RolloutDecision | undefined {
    this.metrics.merge(state);
    return this.evaluateOnObserve ? this.evaluate() : undefined;
  }

  /** Tests the guardrails on the current stage and rolls back, advances or holds. */
  evaluate(): RolloutDecision {
    const now = this.clock();
    const statistics = this.statistics(now, true);
    const decide = (action: RolloutAction, reasons: string[]): RolloutDecision => {
      const decision: RolloutDecision = { action, reasons, at: iso(now), phase: this.phase, percentage: this.percentage, statistics };
      this.lastDecision = decision;
      return decision;
    };

    if (this.phase === 'rolled_back') {
      const rollback = this.history.findLast((change) => change.kind === 'rollback');
      return decide('hold', [`rolled back${rollback ? ` at ${rollback.at} (${rollback.reason})` : ''}; resume() or reset() to start again`]);
    }

    const breached = statistics.guardrails.filter((guardrail) => guardrail.status === 'breached');
    if (breached.length > 0) {
      const reasons = breached.map(describeBreach);
      this.change('rollback', null, reasons.join('; '), now, statistics);
      return decide('rollback', reasons);
    }

    if (this.phase === 'completed') {
      return decide('hold', [`rollout complete at ${this.percentage} %; guardrails are still watched while both arms report`]);
    }

    const reasons = this.advanceBlockers(statistics);
    if (reasons.length > 0) return decide('hold', reasons);
    const next = this.stageIndex! + 1;
    const reason = `stage ${this.percentage} % passed: ${statistics.samples.ai} ai and ${statistics.samples.rules} rules outcomes over ${formatDuration(statistics.duration_ms)}, every guardrail non-inferior`;
    this.change('advance', next, reason, now, statistics);
    return decide('advance', [reason]);
  }

  /** Starts again at `stage_index` (default the first) with a fresh stage, typically after a rollback. */
  resume(options: { stage_index?: number; reason?: string } = {}): void {
    const target = options.stage_index ?? 0;
    if (!Number.isInteger(target) || target < 0 || target >= this.stages.length) {
      throw new InvalidArgumentError({ issues: [{ field: 'stage_index', reason: `must be an integer from 0 to ${this.stages.length - 1}` }] });
    }
    const now = this.clock();
    this.change('resume', target, options.reason ?? 'resumed by an operator', now, this.statistics(now, false));
  }

  /** Back to the first stage with fresh metrics, as after creation; the history is kept. */
  reset(reason = 'reset by an operator'): void {
    const now = this.clock();
    this.change('reset', 0, reason, now, this.statistics(now, false));
  }

  /** Where the rollout stands, the current stage's evidence, the last decision and the history. */
  status(): RolloutStatus {
    const now = this.clock();
    return {
      phase: this.phase,
      stages: [...this.stages],
      stage_index: this.stageIndex,
      percentage: this.percentage,
      stage_started_at: iso(this.stageStartedAt),
      statistics: this.statistics(now, false),
      last_decision: this.lastDecision,
      history: structuredClone(this.history),
    };
  }

  toJSON(): RolloutState {
    return {
      format: 'aurora.rollout',
      format_version: 1,
      stages: [...this.stages],
      phase: this.phase,
      stage_index: this.stageIndex,
      percentage: this.percentage,
      stage_started_at: iso(this.stageStartedAt),
      metrics: this.metrics.toJSON(),
      evidence_peaks: structuredClone(this.peaks),
      history: structuredClone(this.history),
    };
  }

  private statistics(now: number, recordPeaks: boolean): StageStatistics {
    const guardrails = this.guardrails.map((guardrail) => {
      const peaks = this.peaks[guardrail.metric];
      const evaluation = evaluateGuardrail(guardrail, this.metrics, {
        alpha: this.alpha,
        breach_alpha: this.breachAlpha,
        minimum_samples: this.minimumSamplesForTest,
        ...(peaks ? { peaks } : {}),
      });
      if (recordPeaks && evaluation.log_evidence_harm !== null && evaluation.log_evidence_no_harm !== null) {
        this.peaks[guardrail.metric] = {
          harm: Math.max(peaks?.harm ?? evaluation.log_evidence_harm, evaluation.log_evidence_harm),
          no_harm: Math.max(peaks?.no_harm ?? evaluation.log_evidence_no_harm, evaluation.log_evidence_no_harm),
        };
      }
      return evaluation;
    });
    return {
      stage_index: this.stageIndex,
      percentage: this.percentage,
      started_at: iso(this.stageStartedAt),
      duration_ms: Math.max(0, now - this.stageStartedAt),
      samples: { rules: this.metrics.outcomes('rules'), ai: this.metrics.outcomes('ai') },
      guardrails,
      metrics: this.metrics.summary(),
    };
  }

  private advanceBlockers(statistics: StageStatistics): string[] {
    const reasons: string[] = [];
    for (const arm of ['ai', 'rules'] as const) {
      const samples = statistics.samples[arm];
      if (samples < this.minimumSamplesPerStage) reasons.push(`${arm} arm has ${samples} of ${this.minimumSamplesPerStage} outcomes needed`);
    }
    if (statistics.duration_ms < this.minimumStageDurationMs) {
      reasons.push(`stage has run ${formatDuration(statistics.duration_ms)} of ${formatDuration(this.minimumStageDurationMs)}`);
    }
    for (const guardrail of statistics.guardrails) {
      if (guardrail.status === 'non_inferior') continue;
      reasons.push(
        guardrail.status === 'insufficient_data'
          ? `${guardrail.metric}: not enough data to test (${guardrail.samples.ai} ai, ${guardrail.samples.rules} rules; ${this.minimumSamplesForTest} each needed)`
          : `${guardrail.metric}: non-inferiority not shown yet (p = ${formatNumber(guardrail.non_inferiority_p_value)}, α = ${this.alpha})`,
      );
    }
    return reasons;
  }

  /** Moves to `toStage` (null = rolled back), starts a fresh stage and tells everyone. */
  private change(kind: StageChangeKind, toStage: number | null, reason: string, now: number, statistics: StageStatistics): void {
    const change: StageChange = {
      kind,
      from: this.percentage,
      to: toStage === null ? 0 : this.stages[toStage]!,
      from_stage: this.stageIndex,
      to_stage: toStage,
      reason,
      at: iso(now),
      statistics,
    };
    this.stageIndex = toStage;
    this.phase = toStage === null ? 'rolled_back' : toStage === this.stages.length - 1 ? 'completed' : 'running';
    this.stageStartedAt = now;
    this.metrics = new AbMetricsTracker();
    this.peaks = {};
    this.history.push(change);
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);

    for (const target of this.targets) target.setTreatmentPercentage(change.to);
    const log = kind === 'rollback' ? this.logger.warn.bind(this.logger) : this.logger.info.bind(this.logger);
    log(`rollout ${kind}: treatment ${change.from} % -> ${change.to} %: ${reason}`);
    this.notify(change);
  }

  /** Listeners cannot break the controller: a throwing one is logged through the diag logger. */
  private notify(change: StageChange): void {
    try {
      this.emit('stage-change', change);
    } catch (error) {
      this.logger.warn('a rollout "stage-change" listener threw', error);
    }
    try {
      this.onStageChange?.(change);
    } catch (error) {
      this.logger.warn('the rollout onStageChange callback threw', error);
    }
  }
}

/** A controller in its first stage, or restored from `state` (a `toJSON()` result). */
export function createRolloutController(options: RolloutControllerOptions & { state?: RolloutState } = {}): RolloutController {
  const { state, ...rest } = options;
  return new RolloutController(rest, state);
}

function describeBreach(guardrail: GuardrailEvaluation): string {
  const unit = guardrail.margin_type === 'relative' ? `${formatNumber(guardrail.margin * 100)} %` : formatNumber(guardrail.margin);
  return (
    `${guardrail.metric} breached: ai ${formatNumber(guardrail.treatment)} vs rules ${formatNumber(guardrail.control)} ` +
    `(margin ${unit}; harm ${formatNumber(guardrail.harm)}, always-valid lower bound ${formatNumber(guardrail.harm_lower)} > 0, ` +
    `p = ${formatNumber(guardrail.breach_p_value)})`
  );
}

function optionIssues(options: RolloutControllerOptions): FieldIssue[] {
  if (options === null || typeof options !== 'object') return [{ field: '(root)', reason: 'options must be an object' }];
  const issues: FieldIssue[] = [];
  if (options.stages !== undefined) {
    const stages = options.stages;
    const valid =
      Array.isArray(stages) &&
      stages.length > 0 &&
      stages.every((stage, index) => typeof stage === 'number' && Number.isFinite(stage) && stage > 0 && stage <= 100 && (index === 0 || stage > stages[index - 1]!));
    if (!valid) issues.push({ field: 'stages', reason: 'must be strictly increasing percentages in (0, 100]' });
  }
  if (options.alpha !== undefined && !(typeof options.alpha === 'number' && options.alpha > 0 && options.alpha < 1)) {
    issues.push({ field: 'alpha', reason: 'must be a number in (0, 1)' });
  }
  const integers = [
    ['minimum_samples_per_stage', 0],
    ['minimum_samples_for_test', 2],
    ['max_history', 1],
  ] as const;
  for (const [field, minimum] of integers) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= minimum)) issues.push({ field, reason: `must be an integer >= ${minimum}` });
  }
  const duration = options.minimum_stage_duration_ms;
  if (duration !== undefined && !(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) {
    issues.push({ field: 'minimum_stage_duration_ms', reason: 'must be a finite number >= 0' });
  }
  for (const field of ['clock', 'onStageChange'] as const) {
    if (options[field] !== undefined && typeof options[field] !== 'function') issues.push({ field, reason: 'must be a function' });
  }
  if (options.evaluate_on_observe !== undefined && typeof options.evaluate_on_observe !== 'boolean') {
    issues.push({ field: 'evaluate_on_observe', reason: 'must be a boolean' });
  }
  return issues;
}

function sameStages(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function describe(issues: FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function formatNumber(value: number | null): string {
  if (value === null) return 'n/a';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

function formatDuration(ms: number): string {
  if (ms >= hourMs) return `${Number((ms / hourMs).toFixed(2))} h`;
  if (ms >= 60_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}
