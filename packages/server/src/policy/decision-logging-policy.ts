import {
  createDecisionLogRecord,
  type Arm,
  type DecisionLogRecord,
  type LoggableChoice,
  type Outcome,
  type Policy,
  type PolicyChoice,
  type PolicyContext,
  type RulePolicy,
  type ScoredCandidate,
} from '@aurora/router';
import { BoundedMap } from './bounded-map';

export type DecisionLoggingPolicyOptions = {
  /** The policy of the mode (rules, learner, or a hybrid split). */
  inner: Policy;
  /** The rule policy inside `inner`: its epsilon-greedy distribution is logged with its choices. */
  rules: RulePolicy;
  /** Reported as `aurora_ai_reward` by the router. */
  lastReward?: () => number | undefined;
  /** Reported as `aurora_ai_fill_rate_improvement` by the router. */
  fillRateImprovement?: () => number | undefined;
  /** Decisions whose arm is remembered for joining outcomes. Default 10,000. */
  rememberedArms?: number;
  /** Write log records (default true); without, only arms and counts are kept. */
  logRecords?: boolean;
};

/** Log records waiting for the ledger: a route saves its decision within seconds, so few are ever here. */
const maximumWaitingRecords = 10_000;

/**
 * The router's policy: it lets `inner` decide and writes down every decision as a
 * `DecisionLogRecord` (context, every candidate with its features, the pick, its propensity and,
 * when known, the whole distribution) until the ledger registry saves it with the decision. It
 * also remembers each decision's arm, counts decisions per arm, and reports the server's ai gauges.
 */
export class DecisionLoggingPolicy implements Policy {
  private readonly inner: Policy;
  private readonly rules: RulePolicy;
  private readonly options: DecisionLoggingPolicyOptions;
  private readonly waiting = new BoundedMap<string, DecisionLogRecord>(maximumWaitingRecords);
  private readonly arms: BoundedMap<string, Arm>;
  private counts: Record<Arm, number> = { rules: 0, ai: 0, shadow: 0 };

  constructor(options: DecisionLoggingPolicyOptions) {
    this.inner = options.inner;
    this.rules = options.rules;
    this.options = options;
    this.arms = new BoundedMap(options.rememberedArms ?? 10_000);
  }

  get id(): string {
    return this.inner.id;
  }

  get version(): string {
    return this.inner.version;
  }

  async decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): Promise<PolicyChoice> {
    const choice: LoggableChoice = await this.inner.decide(context, candidates);
    if (this.options.logRecords !== false) {
      const probabilities = choice.probabilities ?? (choice.policy_id === this.rules.id ? this.ruleDistribution(candidates.length) : undefined);
      const record = createDecisionLogRecord({ context, candidates, choice, shareCandidates: true, ...(probabilities ? { probabilities } : {}) });
      this.waiting.set(context.decision_id, record);
    }
    this.arms.set(context.decision_id, choice.arm);
    this.counts[choice.arm] += 1;
    return choice;
  }

  async observe(outcome: Outcome): Promise<void> {
    await this.inner.observe?.(outcome);
  }

  /** The log record of a decision not saved yet, handed over once (to the ledger registry). */
  takeRecord(decisionId: string): DecisionLogRecord | undefined {
    const record = this.waiting.get(decisionId);
    if (record) this.waiting.delete(decisionId);
    return record;
  }

  /** Forgets a decision's record that will never be saved (its route ended without it). */
  discardRecord(decisionId: string): void {
    this.waiting.delete(decisionId);
  }

  /** The arm of a recent decision of this process. */
  armOf(decisionId: string): Arm | undefined {
    return this.arms.get(decisionId);
  }

  /** Decisions per arm since the last `resetCounts()`. */
  decisionCounts(): Record<Arm, number> {
    return { ...this.counts };
  }

  resetCounts(): void {
    this.counts = { rules: 0, ai: 0, shadow: 0 };
  }

  lastReward(): number | undefined {
    return this.options.lastReward?.();
  }

  fillRateImprovement(): number | undefined {
    return this.options.fillRateImprovement?.();
  }

  private ruleDistribution(count: number): number[] {
    return Array.from({ length: count }, (_, index) => this.rules.propensityOf(index, count));
  }
}
