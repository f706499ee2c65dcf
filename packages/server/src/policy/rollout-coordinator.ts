import {
  createRolloutController,
  emptyAbMetricsState,
  InvalidArgumentError,
  rolloutStateSchema,
  type AbMetricsState,
  type GuardrailConfig,
  type RolloutController,
  type RolloutControllerOptions,
  type RolloutDecision,
  type RolloutState,
  type RolloutStatus,
  type RolloutTarget,
  type StageChange,
} from '@aurora/router';
import type { RouterConfig } from '../config/router-config-schema';
import type { DeploymentStore } from '../ledger/index';

/** The ledger row (policy_state) of the rollout controller's state. */
export const rolloutStateId = 'aurora.rollout';
/** With PostgreSQL, one replica at a time evaluates the rollout. */
export const rolloutLeadershipName = 'aurora-rollout';

export type RolloutSettings = RouterConfig['rollout'];

export type RolloutAction = { action: 'resume'; stage_index?: number; reason?: string } | { action: 'reset'; reason?: string };

export type RolloutCoordinatorOptions = {
  store: DeploymentStore;
  /** The hybrid policy whose ai share the rollout drives. */
  target: RolloutTarget;
  settings: RolloutSettings;
  clock: { now(): number };
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /** Every stage change: made here (`evaluated`), by an operator here (`operator`), or read from the ledger (`ledger`). */
  onStageChange: (change: StageChange, origin: 'evaluated' | 'operator' | 'ledger') => void;
};

export type RolloutCoordinatorStatus = RolloutStatus & {
  /** Ledger version of the state shown (0: not stored yet). */
  version: number;
  /** Whether this replica evaluated the rollout last time it tried (always with SQLite). */
  leader: boolean;
};

const maximumAttempts = 8;
const stageChangeLine = /^rollout (advance|rollback|resume|reset): /;

/**
 * The rollout controller of a server replica. Every replica applies the stored state to its own
 * hybrid policy (so all replicas route with one ai share); only the leader (the advisory lock with
 * PostgreSQL) evaluates it: it feeds the stage's A/B metrics of every replica to the controller,
 * lets it advance, hold or roll back, and stores the result under a new version. Operator actions
 * (resume, reset) are written to the ledger the same way, so they reach the leader wherever they
 * were sent.
 */
export class RolloutCoordinator {
  private readonly options: RolloutCoordinatorOptions;
  private controller: RolloutController;
  private version = 0;
  private key: string;
  private leader = false;
  private lastDecision: RolloutDecision | null = null;
  private lastChangeAt = '';

  constructor(options: RolloutCoordinatorOptions) {
    this.options = options;
    this.controller = this.createController(undefined, 'evaluated');
    this.controller.attach(options.target);
    this.key = keyOf(this.controller.toJSON());
  }

  /** `rollout:<start of the current stage>`: the A/B metrics are collected per stage. */
  get stageKey(): string {
    return this.key;
  }

  get percentage(): number {
    return this.controller.percentage;
  }

  /** Adopts the stored state when it is newer than the one this replica holds. */
  async refresh(): Promise<void> {
    const stored = await this.options.store.loadPolicyState(rolloutStateId);
    if (!stored || stored.version <= this.version) return;
    const state = this.parse(stored.state_json);
    if (!state) {
      // The next evaluation overwrites it with a new rollout under a higher version.
      this.version = stored.version;
      return;
    }
    this.adopt(state, stored.version, 'ledger');
  }

  /**
   * On the leader: evaluates the stage on `metrics` (every replica's outcomes of this stage) and
   * stores the controller's new state. Elsewhere: nothing. Returns the decision when it evaluated.
   */
  async evaluate(metrics: AbMetricsState | undefined): Promise<RolloutDecision | undefined> {
    const { store } = this.options;
    this.leader = await store.tryAcquireLeadership(rolloutLeadershipName);
    if (!this.leader) return undefined;
    const controller = this.createController({ ...this.controller.toJSON(), metrics: metrics ?? emptyAbMetricsState() }, 'evaluated');
    this.replaceController(controller);
    const decision = controller.evaluate();
    this.lastDecision = decision;
    this.key = keyOf(controller.toJSON());
    if (await store.savePolicyState(rolloutStateId, JSON.stringify(controller.toJSON()), this.version + 1)) this.version += 1;
    else await this.refresh();
    return decision;
  }

  /** An operator's resume or reset, stored for every replica; applied here at once. */
  async control(action: RolloutAction): Promise<void> {
    const { store } = this.options;
    for (let attempt = 1; attempt <= maximumAttempts; attempt++) {
      const stored = await store.loadPolicyState(rolloutStateId);
      const base = (stored && this.parse(stored.state_json)) || this.controller.toJSON();
      const controller = createRolloutController({ ...this.controllerOptions(), state: base });
      if (action.action === 'resume') {
        controller.resume({ ...(action.stage_index !== undefined ? { stage_index: action.stage_index } : {}), ...(action.reason ? { reason: action.reason } : {}) });
      } else {
        controller.reset(action.reason);
      }
      const version = (stored?.version ?? 0) + 1;
      if (!(await store.savePolicyState(rolloutStateId, JSON.stringify(controller.toJSON()), version))) continue;
      this.adopt(controller.toJSON(), version, 'operator');
      return;
    }
    throw new InvalidArgumentError({ message: 'The rollout state kept changing while it was being updated; try again', issues: [{ field: 'action', reason: 'conflicting updates' }] });
  }

  status(): RolloutCoordinatorStatus {
    const status = this.controller.status();
    return { ...status, last_decision: this.lastDecision ?? status.last_decision, version: this.version, leader: this.leader };
  }

  async release(): Promise<void> {
    await this.options.store.releaseLeadership(rolloutLeadershipName);
  }

  private adopt(state: RolloutState, version: number, origin: 'operator' | 'ledger'): void {
    const controller = this.createController(state, 'evaluated');
    this.replaceController(controller);
    // The first state read (at start) is history; later ones bring changes made elsewhere.
    const announce = this.version > 0 || origin === 'operator';
    this.version = version;
    this.key = keyOf(state);
    if (announce) {
      for (const change of state.history) if (change.at > this.lastChangeAt) this.options.onStageChange(change, origin);
    }
    this.rememberLastChange(state.history);
  }

  private replaceController(controller: RolloutController): void {
    this.controller.detach(this.options.target);
    this.controller = controller;
    controller.attach(this.options.target);
  }

  private createController(state: RolloutState | undefined, origin: 'evaluated'): RolloutController {
    return createRolloutController({
      ...this.controllerOptions(),
      onStageChange: (change) => {
        this.rememberLastChange([change]);
        this.options.onStageChange(change, origin);
      },
      ...(state ? { state } : {}),
    });
  }

  private controllerOptions(): RolloutControllerOptions {
    const { settings, clock, log } = this.options;
    return {
      stages: [...settings.stages],
      guardrails: settings.guardrails as GuardrailConfig[],
      alpha: settings.alpha,
      minimum_samples_per_stage: settings.minimum_samples_per_stage,
      minimum_samples_for_test: settings.minimum_samples_for_test,
      minimum_stage_duration_ms: settings.minimum_stage_duration_ms,
      clock: () => clock.now(),
      evaluate_on_observe: false,
      // Stage changes are logged by the server (onStageChange) with their details; the
      // controller's own line for them would only repeat it.
      logger: { info: () => {}, warn: (message: string) => void (stageChangeLine.test(message) || log('warn', message)) },
    };
  }

  private parse(text: string): RolloutState | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const result = rolloutStateSchema.safeParse(value);
    if (!result.success) {
      this.options.log('warn', 'the stored rollout state is not readable; a new rollout starts at the first stage');
      return undefined;
    }
    const state = result.data as RolloutState;
    if (state.stages.join() !== this.options.settings.stages.join()) {
      this.options.log('warn', `rollout.stages changed from [${state.stages.join(', ')}] to [${this.options.settings.stages.join(', ')}]: a new rollout starts at the first stage`);
      return undefined;
    }
    return state;
  }

  private rememberLastChange(history: readonly StageChange[]): void {
    for (const change of history) if (change.at > this.lastChangeAt) this.lastChangeAt = change.at;
  }
}

function keyOf(state: RolloutState): string {
  return `rollout:${state.stage_started_at}`;
}
