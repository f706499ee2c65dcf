import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  attachOutcome,
  computePsiField,
  createAbMetrics,
  emptyAbMetricsState,
  LearningPolicy,
  policyForMode,
  rewardBasisOf,
  rewardFromBasis,
  RulePolicy,
  toJsonLines,
  type AbMetricsState,
  type Arm,
  type DecisionLogRecord,
  type HybridArm,
  type HybridPolicy,
  type Outcome,
  type PsiField,
  type PsiUpliftInput,
  type RewardBasis,
  type RewardOptions,
  type Router,
  type RoutingMode,
  type StageChange,
} from '@aurora/router';
import type { MeterProvider } from '@opentelemetry/api';
import { createIntervalLoop, type IntervalLoop } from '../background/interval-loop';
import type { ServerConfig } from '../config/server-config';
import type { DeploymentStore, OutcomeClaim } from '../ledger/index';
import { observePolicyGauges } from '../metrics/policy-gauges';
import { ArmRewards } from './arm-rewards';
import { BoundedMap } from './bounded-map';
import { readDecisionLog } from './decision-log-records';
import { DecisionLoggingPolicy } from './decision-logging-policy';
import { learningPolicyOptions, rewardOptions } from './learning-policy-options';
import { LearningStateSync } from './learning-state-sync';
import { OfflineEvaluation } from './offline-evaluation';
import type { PolicyStatus } from './policy-status-schema';
import { RecordedLearner } from './recorded-learner';
import { RolloutCoordinator, type RolloutAction } from './rollout-coordinator';
import { SharedAbMetrics } from './shared-ab-metrics';
import type { OutcomeRecorder } from '../background/outcome-recorder';
import { StageOutcomeTracker } from './stage-outcome-tracker';

export type PolicyLog = (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export type PolicyRuntimeOptions = {
  config: ServerConfig;
  store: DeploymentStore;
  clock: { now(): number };
  /** Where the policy gauges (`aurora_psi_*`, rollout share, state version) are registered. */
  meterProvider: MeterProvider;
  log: PolicyLog;
  onError: (error: unknown, what: string) => void;
  /** Uniform numbers in [0, 1) for the policies' draws; default Math.random. */
  random?: () => number;
};

export type StageChangeOrigin = 'evaluated' | 'operator' | 'ledger';

export type PolicyRuntimeEvents = {
  'stage-change': [change: StageChange, origin: StageChangeOrigin];
};

export type ExportDecisionsOptions = { since?: string; limit: number };

/**
 * Recent decisions whose arm and reward basis (not the whole log record: a few hundred bytes
 * instead of every candidate) are kept in memory for joining outcomes; older ones come from the ledger.
 */
const recentDecisions = 4_096;
/** Rewards per arm behind `aurora_ai_reward` and the live uplift. */
const rewardWindow = 1_000;
/** Rewards per arm the live A/B uplift needs before it is preferred to the off-policy estimate. */
const minimumAbRewards = 30;
/** Rule exploration when `policy.rule_epsilon` is null and the mode has a learning policy. */
const defaultRuleEpsilon = 0.05;

/**
 * The routing policy of a server and everything around it (issue 5): the mode's policy (rules,
 * learner, hybrid A/B split or shadow) wrapped so that every decision is logged; outcomes joined
 * to their decision's arm for the A/B metrics and rewards; the learning state shared through the
 * ledger; the rollout controller; the cached off-policy evaluation; the Psi-field indicators and
 * their gauges. Background work runs on unref'd loops between `start()` and `stop()`.
 */
export class PolicyRuntime extends EventEmitter<PolicyRuntimeEvents> {
  readonly mode: RoutingMode;
  /** The router's policy: pass it to `createRouter`. */
  readonly policy: DecisionLoggingPolicy;
  readonly rules: RulePolicy;
  /** The learning policy (null in rule-based mode). */
  readonly learner: RecordedLearner | null;
  /** The A/B split (hybrid and shadow modes). */
  readonly hybrid: HybridPolicy | null;
  /** This process among the replicas sharing the ledger. */
  readonly replicaId = randomUUID();
  private readonly options: PolicyRuntimeOptions;
  private readonly reward: RewardOptions;
  private readonly stateSync: LearningStateSync | null;
  private readonly rollout: RolloutCoordinator | null;
  private readonly shared: SharedAbMetrics;
  private readonly local: StageOutcomeTracker;
  private ledgerOutcomes: Pick<OutcomeRecorder, 'save'> | undefined;
  private readonly evaluation: OfflineEvaluation | null;
  private readonly rewards = new ArmRewards(rewardWindow);
  private readonly recent = new BoundedMap<string, { arm: Arm; basis: RewardBasis | undefined }>(recentDecisions);
  private readonly pending = new Set<Promise<unknown>>();
  private readonly loops: IntervalLoop[] = [];
  private live: { stage_key: string; metrics: AbMetricsState; replicas: number; updated_at: string } | null = null;
  private stopped = false;

  constructor(options: PolicyRuntimeOptions) {
    super();
    this.options = options;
    const { config, store, clock, log } = options;
    const settings = config.router;
    this.mode = settings.mode;
    this.reward = rewardOptions(settings.policy.learning);
    const epsilon = settings.policy.rule_epsilon ?? (this.mode === 'rule-based' ? 0 : defaultRuleEpsilon);
    this.rules = new RulePolicy({ epsilon, ...(options.random ? { random: options.random } : {}) });

    this.learner =
      this.mode === 'rule-based'
        ? null
        : new RecordedLearner(
            new LearningPolicy(learningPolicyOptions(settings.policy.learning, options.random)),
            settings.policy.psi.window,
            settings.policy.learning.max_pending_decisions,
          );
    const inner = policyForMode({
      mode: this.mode,
      rules: this.rules,
      ...(this.learner ? { ai: this.learner } : {}),
      ...(this.mode === 'hybrid' ? { ai_rollout_percentage: settings.ai_rollout_percentage } : {}),
      onShadowError: (error) => log('warn', `the shadow policy failed: ${(error as Error)?.message ?? String(error)}`),
    });
    // policyForMode builds a HybridPolicy in these two modes.
    this.hybrid = this.mode === 'hybrid' || this.mode === 'shadow' ? (inner as HybridPolicy) : null;
    this.policy = new DecisionLoggingPolicy({
      inner,
      rules: this.rules,
      logRecords: settings.policy.log_decisions,
      lastReward: () => this.rewards.mean('ai'),
      fillRateImprovement: () => this.fillRateImprovement(),
    });

    this.stateSync = this.learner
      ? new LearningStateSync({ store, learner: this.learner.learner, clock, log, onVersion: (version) => this.learner?.setStateVersion(version) })
      : null;
    this.rollout =
      settings.rollout.enabled && this.hybrid
        ? new RolloutCoordinator({ store, target: this.hybrid, settings: settings.rollout, clock, log, onStageChange: (change, origin) => this.onStageChange(change, origin) })
        : null;
    const abInterval = settings.rollout.evaluate_interval_ms;
    this.shared = new SharedAbMetrics({ store, replicaId: this.replicaId, staleAfterMs: Math.max(10 * abInterval, 600_000) });
    this.local = new StageOutcomeTracker(this.stageKey());
    this.evaluation =
      this.learner && settings.policy.evaluation.enabled
        ? new OfflineEvaluation({ store, learner: this.learner.learner, settings: settings.policy.evaluation, reward: this.reward, clock })
        : null;

    observePolicyGauges(options.meterProvider, () => ({
      psi: this.psi(),
      rolloutPercentage: this.aiShare(),
      stateVersion: this.stateSync ? this.stateSync.snapshot().version : null,
    }));
  }

  /** Reads the stored learning state and rollout state (at start, before the first route). */
  async load(): Promise<void> {
    await this.stateSync?.load();
    await this.rollout?.refresh();
    if (this.local.stageKey !== this.stageKey()) this.local.reset(this.stageKey());
  }

  /**
   * Follows the router's outcomes (joined to their decision's arm) and drops logs of failed routes.
   * With `ledgerOutcomes`, the A/B metrics count only what this replica's write of an outcome was
   * the first to record in the ledger, so replicas sharing their metrics never count a decision twice.
   */
  attach(router: Router, ledgerOutcomes?: Pick<OutcomeRecorder, 'save'>): void {
    this.ledgerOutcomes = ledgerOutcomes;
    router.on('outcome', (outcome) => this.track(this.observeOutcome(outcome), 'join an outcome to its decision'));
    router.on('route-end', (event) => this.policy.discardRecord(event.decision_id));
  }

  /**
   * The decision log record of a decision the router is saving, handed over once (the ledger
   * registry stores it with the decision). Kept in memory a while for joining outcomes.
   */
  takeDecisionLog(decisionId: string): DecisionLogRecord | undefined {
    const record = this.policy.takeRecord(decisionId);
    if (record) this.recent.set(decisionId, { arm: record.arm, basis: this.basisOf(record) });
    return record;
  }

  /** Starts the background loops: state sync, A/B metrics and rollout, off-policy evaluation. */
  start(): void {
    if (this.loops.length > 0 || this.stopped) return;
    const { config, onError } = this.options;
    const settings = config.router;
    if (this.stateSync) {
      this.loops.push(createIntervalLoop({ name: 'policy-state-sync', intervalMs: settings.policy.state_sync_interval_ms, run: () => this.syncState(), onError }));
    }
    this.loops.push(createIntervalLoop({ name: 'policy-ab-metrics', intervalMs: settings.rollout.evaluate_interval_ms, run: () => this.updateMetrics(), onError }));
    if (this.evaluation) {
      this.loops.push(
        createIntervalLoop({ name: 'policy-evaluation', intervalMs: settings.policy.evaluation.interval_ms, runOnStart: true, run: () => this.refreshEvaluation(), onError }),
      );
    }
    for (const loop of this.loops) loop.start();
  }

  /** Stops the loops, then stores the latest learning state and A/B outcomes once more. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await Promise.allSettled([...this.pending]);
    const final = async (what: string, run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        this.options.onError(error, what);
      }
    };
    await final('policy state sync', () => this.syncState());
    await final('policy A/B metrics', () => this.publishMetrics());
    await final('release rollout leadership', async () => this.rollout?.release());
  }

  /** One exchange of the learning state with the ledger (the `policy-state-sync` loop's pass). */
  async syncState(): Promise<void> {
    await this.stateSync?.sync();
  }

  /**
   * One pass of the `policy-ab-metrics` loop: adopts a newer stored rollout state, publishes this
   * replica's outcomes of the stage, and on the rollout leader evaluates the stage on everyone's.
   */
  async updateMetrics(): Promise<void> {
    await this.rollout?.refresh();
    const merged = await this.publishMetrics();
    if (!this.rollout || merged === undefined) return;
    await this.rollout.evaluate(merged);
    if (this.local.stageKey !== this.stageKey()) this.local.reset(this.stageKey());
  }

  /** One off-policy evaluation of the learning policy on the logged decisions (cached for /policy). */
  async refreshEvaluation(): Promise<void> {
    await this.evaluation?.refresh();
  }

  /** Waits for outcomes still being joined to their decisions. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** An operator's resume or reset of the rollout (stored for every replica). */
  async controlRollout(action: RolloutAction): Promise<void> {
    if (!this.rollout) return;
    await this.rollout.control(action);
    if (this.local.stageKey !== this.stageKey()) this.local.reset(this.stageKey());
  }

  /** Whether a background loop is running (between `start()` and `stop()`). */
  get running(): boolean {
    return this.loops.some((loop) => loop.active);
  }

  get rolloutEnabled(): boolean {
    return this.rollout !== null;
  }

  /** The logged decisions as JSON lines, oldest first, outcomes joined. */
  async *exportDecisions(options: ExportDecisionsOptions): AsyncGenerator<string> {
    let count = 0;
    if (options.limit <= 0) return;
    for await (const record of readDecisionLog({ store: this.options.store, reward: this.reward, ...(options.since !== undefined ? { since: options.since } : {}) })) {
      yield toJsonLines([record]);
      if (++count >= options.limit) return;
    }
  }

  /** The Psi-field of the learning policy's recent decisions (null without a learning policy). */
  psi(): PsiField | null {
    if (!this.learner) return null;
    const { psi } = this.options.config.router.policy;
    const residuals = this.learner.learner.diagnostics().recent_residuals;
    const uplift = this.upliftInput();
    try {
      return computePsiField({
        decisions: this.learner.recentDecisions(),
        ...(residuals.length > 0 ? { residuals } : {}),
        ...(uplift ? { uplift } : {}),
        drift: { delta: psi.drift_delta, threshold: psi.drift_threshold },
      });
    } catch (error) {
      this.options.onError(error, 'Psi-field');
      return null;
    }
  }

  /** GET /policy. */
  status(): PolicyStatus {
    const aiShare = this.aiShare();
    const counts = this.policy.decisionCounts();
    const live = this.live?.stage_key === this.local.stageKey ? this.live : { stage_key: this.local.stageKey, metrics: this.local.metrics(), replicas: 1, updated_at: null };
    const tracker = createAbMetrics(live.metrics);
    const learner = this.learner;
    const rollout = this.rollout?.status();
    return {
      mode: this.mode,
      policy: { id: this.policy.id, version: this.policy.version },
      replica_id: this.replicaId,
      ai_percentage: aiShare,
      arms: {
        rules: { share: 100 - aiShare, decisions: counts.rules, outcomes: tracker.outcomes('rules'), mean_reward: this.rewards.mean('rules') ?? null },
        ai: { share: aiShare, decisions: counts.ai, outcomes: tracker.outcomes('ai'), mean_reward: this.rewards.mean('ai') ?? null },
      },
      ab_metrics: {
        stage_key: live.stage_key,
        replicas: live.replicas,
        updated_at: live.updated_at,
        fill_rate_improvement: this.fillRateImprovement() ?? null,
        arms: tracker.summary(),
      },
      rollout: rollout
        ? {
            phase: rollout.phase,
            stages: rollout.stages,
            stage_index: rollout.stage_index,
            percentage: rollout.percentage,
            stage_started_at: rollout.stage_started_at,
            version: rollout.version,
            leader: rollout.leader,
            samples: rollout.statistics.samples,
            duration_ms: rollout.statistics.duration_ms,
            guardrails: rollout.statistics.guardrails,
            last_decision: rollout.last_decision ? { action: rollout.last_decision.action, reasons: rollout.last_decision.reasons, at: rollout.last_decision.at } : null,
            history: rollout.history.map(({ statistics: _statistics, ...change }) => change),
          }
        : null,
      model: learner
        ? (() => {
            const diagnostics = learner.learner.diagnostics();
            const state = this.stateSync!.snapshot();
            return {
              policy_id: learner.id,
              version: learner.version,
              state,
              evidence: diagnostics.evidence,
              observations: diagnostics.observations,
              residual_std: diagnostics.residual_std,
              temperature: diagnostics.temperature,
              pending_decisions: diagnostics.pending_decisions,
              unmatched_outcomes: diagnostics.unmatched_outcomes,
            };
          })()
        : null,
      ope: this.evaluation?.summary() ?? null,
      psi: this.psi(),
    };
  }

  private stageKey(): string {
    return this.rollout ? this.rollout.stageKey : `static:${this.mode}:${this.aiShare()}`;
  }

  /** The ai arm's share of routes now, 0-100. */
  private aiShare(): number {
    if (this.hybrid) return this.hybrid.treatmentPercentage;
    return this.mode === 'ai' ? 100 : 0;
  }

  private async publishMetrics(): Promise<AbMetricsState | undefined> {
    const key = this.stageKey();
    if (this.local.stageKey !== key) this.local.reset(key);
    const now = this.options.clock.now();
    const result = await this.shared.publish(key, this.local.metrics(), now);
    if (result.archivedMine) this.local.reset();
    if (result.merged) this.live = { stage_key: key, metrics: result.merged, replicas: result.replicas, updated_at: new Date(now).toISOString() };
    return result.merged;
  }

  private fillRateImprovement(): number | undefined {
    const metrics = this.live?.stage_key === this.local.stageKey ? this.live.metrics : this.local.metrics();
    const tracker = createAbMetrics(metrics ?? emptyAbMetricsState());
    const ai = tracker.estimate('ai', 'fill_rate');
    const rules = tracker.estimate('rules', 'fill_rate');
    return ai && rules ? ai.estimate - rules.estimate : undefined;
  }

  /** Live A/B rewards once both arms have enough, else the off-policy (doubly robust) estimate. */
  private upliftInput(): PsiUpliftInput | undefined {
    const treatment = this.rewards.rewards('ai');
    const control = this.rewards.rewards('rules');
    if (treatment.length >= minimumAbRewards && control.length >= minimumAbRewards) {
      return { source: 'ab', treatment_rewards: treatment, control_rewards: control };
    }
    const dr = this.evaluation?.summary()?.uplift_over_rules?.dr;
    return dr ? { source: 'ope-dr', estimate: dr.estimate, ci: dr.ci } : undefined;
  }

  private async observeOutcome(outcome: Outcome): Promise<void> {
    const decision = await this.decisionOf(outcome.decision_id);
    if (!decision || decision.arm === 'shadow') return;
    const arm: HybridArm = decision.arm;
    if (decision.basis) this.rewards.record(arm, outcome.decision_id, rewardFromBasis(decision.basis, outcome, this.reward));
    // A write that failed recorded nothing, so there is nothing this replica may count.
    const claim = this.ledgerOutcomes ? await this.ledgerOutcomes.save(outcome).catch(() => nothingClaimed) : undefined;
    this.local.observe(outcome, arm, claim);
    await this.learnForeignOutcome(outcome, decision.log);
  }

  /**
   * The leader's status loop sees the outcomes of every replica's deployments, but a learner can
   * only match outcomes of decisions it took itself and still holds. A final outcome of a learner's
   * decision taken elsewhere (another replica, or this one before a restart) is learned here from
   * the decision's log record in the ledger; the state sync then shares it. Only final outcomes:
   * the first (fill) outcome may have reached the deciding replica's own learner already.
   */
  private async learnForeignOutcome(outcome: Outcome, stored: DecisionLogRecord | undefined): Promise<void> {
    const learner = this.learner;
    if (!learner || learner.decidedHere(outcome.decision_id) || !isFinalOutcome(outcome)) return;
    const log = stored ?? (await this.options.store.getDecision(outcome.decision_id))?.log;
    if (!log || (log.arm !== 'ai' && !log.shadow)) return;
    learner.learnFromLog(attachOutcome(log, outcome, this.reward));
  }

  /** Failover runs the pick, then the best-ranked others: an outcome is about one of these. */
  private basisOf(record: DecisionLogRecord): RewardBasis {
    return rewardBasisOf(record, this.options.config.router.limits.max_deploy_attempts);
  }

  /** The decision's arm and reward basis; with the log record when it had to be read from the ledger. */
  private async decisionOf(decisionId: string): Promise<{ arm: Arm; basis: RewardBasis | undefined; log?: DecisionLogRecord } | undefined> {
    const known = this.recent.get(decisionId);
    if (known) return known;
    const stored = await this.options.store.getDecision(decisionId);
    const arm = stored?.decision.arm ?? this.policy.armOf(decisionId);
    if (arm === undefined) return undefined;
    const entry = { arm, basis: stored?.log ? this.basisOf(stored.log) : undefined };
    this.recent.set(decisionId, entry);
    return stored?.log ? { ...entry, log: stored.log } : entry;
  }

  private onStageChange(change: StageChange, origin: StageChangeOrigin): void {
    this.policy.resetCounts();
    const level = change.kind === 'rollback' ? 'warn' : 'info';
    this.options.log(level, `rollout ${change.kind}: ai share ${change.from} % -> ${change.to} %: ${change.reason}`, {
      kind: change.kind,
      from: change.from,
      to: change.to,
      from_stage: change.from_stage,
      to_stage: change.to_stage,
      at: change.at,
      origin,
    });
    this.emit('stage-change', change, origin);
  }

  private track(promise: Promise<unknown>, what: string): void {
    const tracked = promise.catch((error: unknown) => this.options.onError(error, what));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

const nothingClaimed: OutcomeClaim = { first: false, first_bill: false };

/** A policy runtime with its stored state loaded. */
export async function createPolicyRuntime(options: PolicyRuntimeOptions): Promise<PolicyRuntime> {
  const runtime = new PolicyRuntime(options);
  await runtime.load();
  return runtime;
}

/** Sent when the deployment ended (with its cost and delivered hours) or never ran. */
function isFinalOutcome(outcome: Outcome): boolean {
  return !outcome.filled || outcome.gpu_hours_delivered !== undefined;
}
