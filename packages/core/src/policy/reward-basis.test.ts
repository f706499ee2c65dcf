import { describe, expect, it } from 'vitest';
import { attachOutcome, createDecisionLogRecord } from '../evaluation/create-decision-log-record';
import { policyContext, rankedCandidates } from './__fixtures__/policy-fixtures';
import { rewardBasisOf, rewardFromBasis } from './reward-basis';

function loggedDecision(count: number, chosen: number) {
  const candidates = rankedCandidates(count);
  const choice = { index: chosen, propensity: 0.5, scores: candidates.map((candidate) => candidate.score), policy_id: 'learner', policy_version: '1', arm: 'ai' as const };
  return createDecisionLogRecord({ context: policyContext(), candidates, choice });
}

function outcomeFor(offer: { provider: string; offer_id: string }, extra: Record<string, unknown> = {}) {
  return { decision_id: 'dec-1', provider: offer.provider, offer_id: offer.offer_id, filled: true, time_to_running_ms: 40_000, achieved_latency_ms: 80, cost_usd: 3, gpu_hours_delivered: 2, observed_at: '2026-01-01T01:00:00.000Z', ...extra };
}

describe('rewardBasisOf / rewardFromBasis', () => {
  it('gives the reward attachOutcome gives, for the pick and for the failover candidates it keeps', () => {
    const record = loggedDecision(30, 12);
    const basis = rewardBasisOf(record);
    expect(basis.offers.map((offer) => offer.offer_id)).toEqual([12, 0, 1, 2, 3, 4, 5, 6, 7].map((index) => record.candidates[index]!.offer.offer_id));
    for (const index of [12, 0, 3, 7]) {
      const offer = record.candidates[index]!.offer;
      for (const outcome of [outcomeFor(offer), outcomeFor(offer, { filled: false, failure_reason: 'no_capacity' }), outcomeFor(offer, { failure_reason: 'preempted', cost_usd: 9 })]) {
        expect(rewardFromBasis(basis, outcome)).toBe(attachOutcome(record, outcome).reward);
      }
    }
  });

  it('falls back to the pick for an offer it did not keep, and honours the reward options', () => {
    const record = loggedDecision(30, 2);
    const basis = rewardBasisOf(record, 3);
    const unkept = record.candidates[20]!.offer;
    const asPick = outcomeFor(record.candidates[2]!.offer);
    expect(rewardFromBasis(basis, outcomeFor(unkept))).toBe(rewardFromBasis(basis, asPick));
    expect(rewardFromBasis(basis, outcomeFor(unkept, { filled: false }), { failureReward: -3 })).toBe(-3);
  });

  it('is much smaller than the record it summarises', () => {
    const record = loggedDecision(80, 0);
    expect(JSON.stringify(rewardBasisOf(record)).length * 10).toBeLessThan(JSON.stringify(record).length);
  });
});
