import { describe, expect, it } from 'vitest';
import { policyContext, rankedCandidates } from '../policy/__fixtures__/policy-fixtures';
import { computeReward } from '../policy/learning/compute-reward';
import { LearningPolicy } from '../policy/learning/learning-policy';
import { RulePolicy } from '../policy/rule-policy';
import { createRoutingRequest } from '../testkit/offer-builders';
import { attachOutcome, createDecisionLogRecord, recordPolicyContext } from './create-decision-log-record';
import { decisionLogRecordSchema } from './decision-log-record';
import { createSeededRandom } from './seeded-random';

const request = createRoutingRequest({ image: 'vllm/vllm-openai', env: { HF_TOKEN: 'secret-token' }, command: ['serve'], ports: [8000], max_price: 9 });

describe('createDecisionLogRecord', () => {
  it('logs the request without the workload (env can hold secrets) and offers without provider metadata', () => {
    const candidates = rankedCandidates(3).map((candidate) => ({ ...candidate, offer: { ...candidate.offer, provider_metadata: { mock: { token: 'x' } } } }));
    const context = policyContext({ request, tenant: 'acme' });
    const record = createDecisionLogRecord({ context, candidates, choice: new RulePolicy().decide(context, candidates) });
    expect(JSON.stringify(record)).not.toContain('secret-token');
    expect(record.context.request).toEqual({ workload_type: 'llm_inference', gpu_type: 'a100', gpu_count: 1, region: 'global', allow_interruptible: true, max_price: 9 });
    expect(record.context.tenant).toBe('acme');
    expect(record.candidates.every((candidate) => Object.keys(candidate.offer.provider_metadata).length === 0)).toBe(true);
    expect(record).toMatchObject({ chosen_index: 0, chosen_offer_id: candidates[0]!.offer.offer_id, propensity: 1, policy_id: 'rules', arm: 'rules', outcome: null, reward: null });
    expect(record.probabilities).toBeUndefined();
    expect(decisionLogRecordSchema.parse(record)).toEqual(record);
    expect(recordPolicyContext(record)).toEqual({ decision_id: 'dec-1', request: record.context.request, weights: context.weights, now: context.now, tenant: 'acme' });
  });

  it('refers to the candidates instead of copying them when asked to share them', () => {
    const candidates = rankedCandidates(3);
    const context = policyContext();
    const choice = new RulePolicy().decide(context, candidates);
    const shared = createDecisionLogRecord({ context, candidates, choice, shareCandidates: true });
    const copied = createDecisionLogRecord({ context, candidates, choice });
    expect(shared.candidates.every((candidate, index) => candidate === candidates[index])).toBe(true);
    expect(copied.candidates.some((candidate, index) => candidate === candidates[index] || candidate.offer === candidates[index]!.offer)).toBe(false);
    expect(shared).toEqual(copied);
  });

  it('keeps a learning policy’s distribution and diagnostics', () => {
    const candidates = rankedCandidates(4);
    const context = policyContext();
    const choice = new LearningPolicy({ random: createSeededRandom(1) }).decide(context, candidates);
    const record = createDecisionLogRecord({ context, candidates, choice });
    expect(record).toMatchObject({ probabilities: choice.probabilities, greedy_index: choice.greedy_index, guarded: true, arm: 'ai' });
    expect(decisionLogRecordSchema.safeParse(record).success).toBe(true);
  });
});

describe('attachOutcome', () => {
  it('joins the outcome and computes the reward of the offer that actually ran', () => {
    const candidates = rankedCandidates(3);
    const context = policyContext();
    const record = createDecisionLogRecord({ context, candidates, choice: new RulePolicy().decide(context, candidates) });
    const failedOver = candidates[2]!.offer;
    const outcome = { decision_id: 'dec-1', provider: failedOver.provider, offer_id: failedOver.offer_id, filled: true, time_to_running_ms: 5_000, observed_at: '2026-01-01T00:01:00.000Z' };
    const joined = attachOutcome(record, outcome);
    expect(joined.outcome).toEqual(outcome);
    expect(joined.reward).toBe(computeReward({ outcome, offer: failedOver, candidates: record.candidates, weights: context.weights }));
    expect(joined.reward).not.toBe(computeReward({ outcome, offer: candidates[0]!.offer, candidates: record.candidates, weights: context.weights }));
    expect(attachOutcome(record, { ...outcome, filled: false }, { failureReward: -3 }).reward).toBe(-3);
    expect(record.outcome).toBeNull();
    expect(() => attachOutcome(record, { ...outcome, decision_id: 'dec-2' })).toThrow(expect.objectContaining({ code: 'AURORA_ERR_INVALID_ARGUMENT' }));
  });
});
