import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { computeReward, type RewardOptions } from '../policy/learning/compute-reward';
import type { PolicyChoice, PolicyContext } from '../policy/policy';
import type { ScoredCandidate } from '../schemas/decision';
import type { Outcome } from '../schemas/outcome';
import type { RoutingRequest } from '../schemas/routing-request';
import type { DecisionLogRecord, LoggedRequest } from './decision-log-record';

/** A choice as any policy returns it; learning policies add their distribution and diagnostics. */
export type LoggableChoice = PolicyChoice & { probabilities?: readonly number[]; greedy_index?: number; guarded?: boolean };

export type CreateDecisionLogRecordInput = {
  context: PolicyContext;
  candidates: readonly ScoredCandidate[];
  choice: LoggableChoice;
  /** The deciding policy's full distribution, when the choice does not carry it (e.g. from `probabilities()`). */
  probabilities?: readonly number[];
  /** ISO time of writing; defaults to the decision time. */
  logged_at?: string;
  /**
   * Refer to the candidates' offers and score objects instead of copying them, which is what a
   * hot path that stores the record right away wants. The record must then be treated as
   * read-only, and its offers keep their `provider_metadata` until the storage drops it.
   */
  shareCandidates?: boolean;
};

/**
 * The log record of a decision, at decision time (outcome and reward still null). Keeps only the
 * request fields in `loggedRequestSchema` and drops each offer's `provider_metadata` (unless `shareCandidates`).
 */
export function createDecisionLogRecord({ context, candidates, choice, probabilities, logged_at, shareCandidates }: CreateDecisionLogRecordInput): DecisionLogRecord {
  const chosen = candidates[choice.index];
  if (!chosen) throw new InvalidArgumentError({ issues: [{ field: 'choice.index', reason: `must index one of ${candidates.length} candidates` }] });
  const record: DecisionLogRecord = {
    record_version: 1,
    decision_id: context.decision_id,
    logged_at: logged_at ?? new Date(context.now).toISOString(),
    context: {
      now: context.now,
      request: loggedRequest(context.request),
      weights: { ...context.weights },
      ...(context.tenant !== undefined ? { tenant: context.tenant } : {}),
    },
    candidates: shareCandidates ? [...candidates] : candidates.map(copyWithoutMetadata),
    chosen_index: choice.index,
    chosen_offer_id: chosen.offer.offer_id,
    propensity: choice.propensity,
    policy_id: choice.policy_id,
    policy_version: choice.policy_version,
    arm: choice.arm,
    outcome: null,
    reward: null,
  };
  const distribution = probabilities ?? choice.probabilities;
  if (distribution) record.probabilities = [...distribution];
  if (choice.greedy_index !== undefined) record.greedy_index = choice.greedy_index;
  if (choice.guarded !== undefined) record.guarded = choice.guarded;
  if (choice.shadow) record.shadow = { ...choice.shadow };
  return record;
}

function copyWithoutMetadata(candidate: ScoredCandidate): ScoredCandidate {
  return {
    offer: { ...candidate.offer, provider_metadata: {} },
    rank: candidate.rank,
    score: candidate.score,
    normalized: { ...candidate.normalized },
    contributions: { ...candidate.contributions },
  };
}

/** The record with its outcome joined and the reward computed from it (a new object). */
export function attachOutcome(record: DecisionLogRecord, outcome: Outcome, options: RewardOptions = {}): DecisionLogRecord {
  if (outcome.decision_id !== record.decision_id) {
    throw new InvalidArgumentError({
      issues: [{ field: 'outcome.decision_id', reason: `is ${outcome.decision_id}, the record is ${record.decision_id}` }],
    });
  }
  const used = record.candidates[usedCandidateIndex(record.candidates, outcome, record.chosen_index)]!;
  const reward = computeReward({ outcome, offer: used.offer, candidates: record.candidates, weights: record.context.weights }, options);
  return { ...record, outcome, reward };
}

/**
 * The candidate the outcome is about: the one with the outcome's provider and offer id (failover
 * can run another offer than the pick), else `fallback`.
 */
export function usedCandidateIndex(
  candidates: readonly ScoredCandidate[],
  outcome: Pick<Outcome, 'provider' | 'offer_id'>,
  fallback: number,
): number {
  for (let index = 0; index < candidates.length; index++) {
    const offer = candidates[index]!.offer;
    if (offer.offer_id === outcome.offer_id && offer.provider === outcome.provider) return index;
  }
  return fallback;
}

/** The policy context a logged decision was made in, for replaying a policy on it. */
export function recordPolicyContext(record: DecisionLogRecord): PolicyContext {
  return {
    decision_id: record.decision_id,
    request: record.context.request as RoutingRequest,
    weights: record.context.weights,
    now: record.context.now,
    ...(record.context.tenant !== undefined ? { tenant: record.context.tenant } : {}),
  };
}

function loggedRequest(request: RoutingRequest): LoggedRequest {
  const logged: LoggedRequest = {
    workload_type: request.workload_type,
    gpu_type: request.gpu_type,
    gpu_count: request.gpu_count,
    region: request.region,
    allow_interruptible: request.allow_interruptible,
  };
  if (request.gpu_memory_gb !== undefined) logged.gpu_memory_gb = request.gpu_memory_gb;
  if (request.gpu_hours !== undefined) logged.gpu_hours = request.gpu_hours;
  if (request.max_price !== undefined) logged.max_price = request.max_price;
  if (request.max_latency_ms !== undefined) logged.max_latency_ms = request.max_latency_ms;
  if (request.min_reputation !== undefined) logged.min_reputation = request.min_reputation;
  return logged;
}
