import type { DecisionLogRecord, LearningChoice, LearningPolicy, Outcome, Policy, PolicyContext, PsiDecision, ScoredCandidate } from '@aurora/router';
import { BoundedMap } from './bounded-map';

/**
 * The learning policy as the router's `ai` policy, remembering the distribution of its latest
 * decisions for the Psi-field indicators: as the treatment of a hybrid split and as a shadow alike.
 * Its choices carry the model version (`<package version>+state.<ledger version>`), so a decision
 * says which model took it.
 */
export class RecordedLearner implements Policy {
  readonly learner: LearningPolicy;
  private readonly capacity: number;
  private readonly recent: PsiDecision[] = [];
  private next = 0;
  private stateVersion = 0;
  /** Decisions this process took, as far back as the learner keeps them pending for their outcomes. */
  private readonly decided: BoundedMap<string, true>;

  /** `pendingCapacity`: the learner's `maxPendingDecisions`. */
  constructor(learner: LearningPolicy, capacity: number, pendingCapacity: number) {
    this.learner = learner;
    this.capacity = capacity;
    this.decided = new BoundedMap(pendingCapacity);
  }

  /** True when this process took the decision recently enough for the learner to match its outcome. */
  decidedHere(decisionId: string): boolean {
    return this.decided.has(decisionId);
  }

  /**
   * Learns from a decision another replica (or this process before a restart) took, with its
   * outcome joined: the log record carries every feature the learner needs.
   */
  learnFromLog(record: DecisionLogRecord): void {
    this.learner.warmStart([record]);
  }

  get id(): string {
    return this.learner.id;
  }

  get version(): string {
    return `${this.learner.version}+state.${this.stateVersion}`;
  }

  /** The ledger version of the model state the learner now holds. */
  setStateVersion(version: number): void {
    this.stateVersion = version;
  }

  decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): LearningChoice {
    const choice = this.learner.decide(context, candidates);
    this.decided.set(context.decision_id, true);
    const entry: PsiDecision = { probabilities: choice.probabilities, greedy_index: choice.greedy_index, rule_index: choice.rule_index, guarded: choice.guarded };
    if (this.recent.length < this.capacity) this.recent.push(entry);
    else this.recent[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    return { ...choice, policy_version: this.version };
  }

  observe(outcome: Outcome): void {
    this.learner.observe(outcome);
  }

  probabilities(context: PolicyContext, candidates: readonly ScoredCandidate[]): number[] {
    return this.learner.probabilities(context, candidates);
  }

  predict(context: PolicyContext, candidates: readonly ScoredCandidate[]): number[] {
    return this.learner.predict(context, candidates);
  }

  /** The latest decisions, oldest first (at most the capacity). */
  recentDecisions(): PsiDecision[] {
    if (this.recent.length < this.capacity) return this.recent.slice();
    return [...this.recent.slice(this.next), ...this.recent.slice(0, this.next)];
  }
}
