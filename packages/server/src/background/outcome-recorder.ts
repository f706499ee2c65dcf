import { accruedCostUsd, isTerminalStatus, type Deployment, type Outcome, type Router } from '@aurora/router';
import type { DeploymentStore, OutcomeClaim } from '../ledger/index';

export type OutcomeRecorderOptions = {
  router: Router;
  store: DeploymentStore;
  clock: { now(): number };
  onError: (error: unknown, what: string) => void;
};

const millisecondsPerHour = 3_600_000;

/**
 * Keeps the outcome of every decision in the ledger: the router's own outcomes (filled when a
 * deployment first runs, not filled when it fails before running) and, when a deployment that ran
 * ends, a final one with its real cost and GPU-hours, which also goes to the policy.
 */
export class OutcomeRecorder {
  private readonly options: OutcomeRecorderOptions;
  private readonly pending = new Set<Promise<unknown>>();
  /** Each outcome's write, by outcome: whoever asks first starts it, the others share it. */
  private readonly saves = new WeakMap<Outcome, Promise<OutcomeClaim>>();

  constructor(options: OutcomeRecorderOptions) {
    this.options = options;
  }

  attach(): void {
    const { router } = this.options;
    router.on('outcome', (outcome) => this.track(this.save(outcome), 'save outcome'));
    router.on('status-change', (event) => {
      if (event.to === 'completed' || event.to === 'failed' || event.to === 'terminated') {
        this.track(this.recordFinal(event.deployment_id), 'record final outcome');
      }
    });
  }

  /** A deployment that ended (terminated, completed, failed after running): its final outcome. */
  async recordFinal(deploymentId: string, failureReason?: string): Promise<void> {
    const deployment = await this.options.store.get(deploymentId);
    if (!deployment || !isTerminalStatus(deployment.status) || deployment.started_at === null) return;
    await this.options.router.recordOutcome(finalOutcome(deployment, this.options.clock.now(), failureReason));
  }

  /** A deployment that failed before it ever ran (e.g. found missing by the reconciler). */
  async recordUnfilled(deployment: Deployment, failureReason: string): Promise<void> {
    await this.options.router.recordOutcome({
      decision_id: deployment.decision_id,
      deployment_id: deployment.deployment_id,
      provider: deployment.provider,
      offer_id: deployment.offer_id,
      filled: false,
      failure_reason: failureReason,
      observed_at: new Date(this.options.clock.now()).toISOString(),
    });
  }

  /**
   * Writes the outcome to the ledger (once, however often it is asked for) and tells what this
   * write was the first to record there: what a replica may count in metrics shared with others.
   */
  save(outcome: Outcome): Promise<OutcomeClaim> {
    let saved = this.saves.get(outcome);
    if (!saved) {
      saved = this.options.store.saveOutcome(outcome);
      this.saves.set(outcome, saved);
    }
    return saved;
  }

  /** Waits for outcome writes in flight (at shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private track(promise: Promise<unknown>, what: string): void {
    const tracked = promise.catch((error: unknown) => this.options.onError(error, what));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

function finalOutcome(deployment: Deployment, now: number, failureReason: string | undefined): Outcome {
  const started = Date.parse(deployment.started_at!);
  const ended = deployment.ended_at === null ? now : Date.parse(deployment.ended_at);
  const hours = Math.max(0, ended - started) / millisecondsPerHour;
  const reason = failureReason ?? (deployment.status === 'failed' ? (deployment.error ?? 'failed') : undefined);
  return {
    decision_id: deployment.decision_id,
    deployment_id: deployment.deployment_id,
    provider: deployment.provider,
    offer_id: deployment.offer_id,
    filled: true,
    time_to_running_ms: Math.max(0, started - Date.parse(deployment.created_at)),
    cost_usd: Math.max(deployment.cost_usd, accruedCostUsd(deployment, now)),
    gpu_hours_delivered: Math.round(hours * deployment.gpu_count * 1e6) / 1e6,
    observed_at: new Date(now).toISOString(),
    ...(reason !== undefined ? { failure_reason: reason } : {}),
  };
}
