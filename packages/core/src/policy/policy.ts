import type { Arm, ScoredCandidate } from '../schemas/decision';
import type { Outcome } from '../schemas/outcome';
import type { RoutingRequest } from '../schemas/routing-request';
import type { Weights } from '../schemas/weights';

/** What a policy knows about the request it decides for. */
export type PolicyContext = {
  decision_id: string;
  request: RoutingRequest;
  weights: Weights;
  tenant?: string;
  idempotency_key?: string;
  /** Milliseconds since the epoch; injected so decisions are reproducible in simulations. */
  now: number;
};

export type PolicyChoice = {
  /** Index into the candidates passed to `decide`. */
  index: number;
  /** Probability that this policy picks this candidate in this context, in (0, 1]. */
  propensity: number;
  /** The policy's own score of every candidate, same order as the input. */
  scores: number[];
  policy_id: string;
  policy_version: string;
  arm: Arm;
  /** A shadow policy's pick, recorded but never deployed. */
  shadow?: { policy_id: string; policy_version: string; index: number; propensity: number };
};

/**
 * Chooses one of the ranked candidates. Candidates arrive sorted by the scorer, best first, and
 * never empty. `observe` receives outcomes of earlier decisions, joined by `decision_id`.
 */
export interface Policy {
  readonly id: string;
  readonly version: string;
  decide(context: PolicyContext, candidates: readonly ScoredCandidate[]): PolicyChoice | Promise<PolicyChoice>;
  observe?(outcome: Outcome): void | Promise<void>;
}
