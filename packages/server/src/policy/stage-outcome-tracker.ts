import { addToRatioMoments, createAbMetrics, emptyAbMetricsState, type AbMetricsState, type AbMetricsTracker, type HybridArm, type Outcome } from '@aurora/router';
import type { OutcomeClaim } from '../ledger/index';

/** Decisions remembered per stage to count each once; beyond this the oldest are forgotten. */
const rememberedDecisions = 200_000;

/**
 * This replica's A/B outcomes of one rollout stage, one sample per decision: the router reports a
 * decision first when its deployment runs (or fails to), and again with the bill when it ends. The
 * first report counts for the fill rate and time to running; the bill adds the cost per GPU-hour
 * only, so neither a filled decision nor a bill counts twice.
 */
export class StageOutcomeTracker {
  private key: string;
  private tracker: AbMetricsTracker = createAbMetrics();
  private readonly counted = new Set<string>();
  private readonly billed = new Set<string>();

  constructor(stageKey: string) {
    this.key = stageKey;
  }

  get stageKey(): string {
    return this.key;
  }

  /** Starts over for another stage (or empty, after the shared record took over what was here). */
  reset(stageKey: string = this.key): void {
    this.key = stageKey;
    this.tracker = createAbMetrics();
    this.counted.clear();
    this.billed.clear();
  }

  /**
   * With `claim` (what this replica's ledger write was the first to record), only that is counted:
   * another replica may have counted the rest, and the shared metrics add every replica's.
   */
  observe(outcome: Outcome, arm: HybridArm, claim?: OutcomeClaim): void {
    const id = outcome.decision_id;
    const hasBill = outcome.cost_usd !== undefined && outcome.gpu_hours_delivered !== undefined;
    if (claim && !claim.first) {
      if (claim.first_bill && !this.billed.has(id)) this.addBill(outcome, arm);
      return;
    }
    if (!this.counted.has(id)) {
      this.tracker.observe({ ...outcome, arm });
      remember(this.counted, id);
      if (hasBill) remember(this.billed, id);
      return;
    }
    if (!hasBill || this.billed.has(id)) return;
    this.addBill(outcome, arm);
  }

  /** The bill of a decision counted before: its cost per GPU-hour only. */
  private addBill(outcome: Outcome, arm: HybridArm): void {
    const bill = emptyAbMetricsState();
    addToRatioMoments(bill[arm].cost_per_gpu_hour, outcome.cost_usd!, outcome.gpu_hours_delivered!);
    this.tracker.merge(bill);
    remember(this.billed, outcome.decision_id);
  }

  metrics(): AbMetricsState {
    return this.tracker.toJSON();
  }

  /** Outcomes (decisions) counted per arm. */
  outcomes(arm: HybridArm): number {
    return this.tracker.outcomes(arm);
  }
}

function remember(set: Set<string>, id: string): void {
  set.add(id);
  if (set.size > rememberedDecisions) set.delete(set.values().next().value as string);
}
