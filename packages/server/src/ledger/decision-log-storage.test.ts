import { createDecisionLogRecord, encodeDecisionLogRecord, normalizeWeights, scoreOffers, type DecisionLogRecord, type Offer, type ScoredCandidate } from '@aurora/router';
import { createOffers, createRoutingRequest } from '@aurora/router/testkit';
import { describe, expect, it } from 'vitest';
import { DecisionLogStorage, decodeDecisionLog, offerReferencesEncoding, offerRetentionCutoff, referencedOfferKeys, type StoredOffer } from './decision-log-storage';

const weights = normalizeWeights({ price: 0.5, latency: 0.2, reputation: 0.2, availability: 0.1 })!;

function quotedOffers(count: number): Offer[] {
  return createOffers(count, (index) => ({
    provider: index % 2 === 0 ? 'akash' : 'vastai',
    reputation: 60 + ((index * 7) % 40),
    availability: 0.5 + ((index * 3) % 10) / 20,
    provider_metadata: { host: `host-${index}` },
  }));
}

function recordOf(candidates: readonly ScoredCandidate[], options: { share?: boolean; id?: string } = {}): DecisionLogRecord {
  const context = { decision_id: options.id ?? 'dec-1', request: createRoutingRequest(), weights, now: Date.parse('2026-11-26T10:00:00.000Z'), tenant: 'acme' };
  return createDecisionLogRecord({
    context,
    candidates,
    choice: { index: 1, propensity: 0.2, scores: candidates.map((candidate) => candidate.score), policy_id: 'learner', policy_version: '3', arm: 'ai' },
    probabilities: candidates.map((_, index) => (index === 1 ? 0.2 : 0.8 / (candidates.length - 1))),
    ...(options.share ? { shareCandidates: true } : {}),
  });
}

/** What a reader gets back: the stored text parsed, its offers looked up among those written. */
function roundTrip(storage: DecisionLogStorage, record: DecisionLogRecord, written: Map<string, Offer>): DecisionLogRecord {
  const encoded = storage.encode(record);
  for (const { key, json } of encoded.newOffers) written.set(key, JSON.parse(json) as Offer);
  storage.markCommitted(encoded);
  const { text } = encoded;
  return decodeDecisionLog(JSON.parse(text), written);
}

describe('DecisionLogStorage', () => {
  it('stores a scored record by offer keys alone and decodes it to the record the copying builder makes', () => {
    const candidates = scoreOffers(quotedOffers(40), weights);
    const storage = new DecisionLogStorage();
    const { text } = storage.encode(recordOf(candidates, { share: true }));
    const stored = JSON.parse(text) as Record<string, unknown>;

    expect(stored.candidates_encoding).toBe(offerReferencesEncoding);
    expect(stored.candidates).toBeUndefined();
    expect(stored.scores).toBe('min-max-v1');
    expect(referencedOfferKeys(stored)).toHaveLength(40);
    expect(text).not.toContain('host-');

    const decoded = roundTrip(new DecisionLogStorage(), recordOf(candidates, { share: true }), new Map());
    const copied = recordOf(candidates);
    expect(decoded).toEqual(copied);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(copied));
  });

  it('hands out each offer for insertion until a write of it has committed', () => {
    const candidates = scoreOffers(quotedOffers(10), weights);
    const storage = new DecisionLogStorage();
    const first = storage.encode(recordOf(candidates, { share: true, id: 'dec-1' }));
    const beforeCommit = storage.encode(recordOf(candidates, { share: true, id: 'dec-2' }));
    expect(first.newOffers).toHaveLength(10);
    expect(beforeCommit.newOffers.map((offer) => offer.key)).toEqual(first.newOffers.map((offer) => offer.key));

    storage.markCommitted(first);
    expect(storage.encode(recordOf(candidates, { share: true, id: 'dec-3' })).newOffers).toEqual([]);

    const requoted = scoreOffers([...candidates.map((candidate) => ({ ...candidate.offer })), ...quotedOffers(11).slice(10)], weights);
    const next = storage.encode(recordOf(requoted, { share: true, id: 'dec-4' }));
    expect(next.newOffers.map((offer: StoredOffer) => JSON.parse(offer.json).offer_id)).toEqual(['offer-11']);
  });

  it('hands out an offer again once its last committed write is older than the refresh interval', () => {
    const candidates = scoreOffers(quotedOffers(3), weights);
    let now = Date.parse('2026-11-26T10:00:00.000Z');
    const storage = new DecisionLogStorage({ offerRefreshMs: 60_000, now: () => now });
    const first = storage.encode(recordOf(candidates, { share: true, id: 'dec-1' }));
    expect(first.seenAt).toBe(now);
    storage.markCommitted(first);

    now += 60_000;
    expect(storage.encode(recordOf(candidates, { share: true, id: 'dec-2' })).newOffers).toEqual([]);
    now += 1;
    const refreshed = storage.encode(recordOf(candidates, { share: true, id: 'dec-3' }));
    expect(refreshed.newOffers.map((offer) => offer.key)).toEqual(first.newOffers.map((offer) => offer.key));
    expect(refreshed.seenAt).toBe(now);
    storage.markCommitted(refreshed);
    expect(storage.encode(recordOf(candidates, { share: true, id: 'dec-4' })).newOffers).toEqual([]);
  });

  it('lets retention delete offers only older than every record that may still refer to them', () => {
    const decisionCutoff = new Date('2026-11-26T00:00:00.000Z');
    expect(offerRetentionCutoff(decisionCutoff, 3_600_000).toISOString()).toBe('2026-11-25T22:00:00.000Z');
    expect(offerRetentionCutoff(decisionCutoff, 60_000).toISOString()).toBe('2026-11-25T22:59:00.000Z');
  });

  it('keys an offer by its content, whatever its metadata', () => {
    const [offer] = quotedOffers(1);
    const storage = new DecisionLogStorage();
    const key = (value: Offer) => storage.encode(recordOf(scoreOffers([value, { ...value, offer_id: 'other' }], weights))).newOffers[0]!.key;
    expect(key({ ...offer!, provider_metadata: { host: 'elsewhere' } })).toBe(key(offer!));
    expect(key({ ...offer!, price_usd_per_hour: offer!.price_usd_per_hour + 0.01 })).not.toBe(key(offer!));
  });

  it('stores the scores and the ranks when they are not the min-max scorer\'s', () => {
    const scored = scoreOffers(quotedOffers(6), weights);
    const unusual = scored.map((candidate, index) => ({ ...candidate, score: candidate.score + 0.001 * index, rank: scored.length - index }));
    const storage = new DecisionLogStorage();
    const stored = JSON.parse(storage.encode(recordOf(unusual)).text) as { scores: unknown; ranks?: number[] };
    expect(stored.scores).toMatchObject({ score: unusual.map((candidate) => candidate.score) });
    expect(stored.ranks).toEqual([6, 5, 4, 3, 2, 1]);

    const record = recordOf(unusual);
    expect(roundTrip(new DecisionLogStorage(), record, new Map())).toEqual(record);
  });

  it('stores a distribution of few distinct values as runs, in its place, and gives it back exactly', () => {
    const candidates = scoreOffers(quotedOffers(40), weights);
    const epsilonGreedy = candidates.map((_, index) => (index === 0 ? 0.95 + 0.05 / 40 : 0.05 / 40));
    const context = { decision_id: 'dec-9', request: createRoutingRequest(), weights, now: 0 };
    const choice = { index: 0, propensity: epsilonGreedy[0]!, scores: [], policy_id: 'learner', policy_version: '1', arm: 'ai' as const, greedy_index: 0, guarded: true };
    const record = createDecisionLogRecord({ context, candidates, choice, probabilities: epsilonGreedy });
    const { text } = new DecisionLogStorage().encode(record);
    const stored = JSON.parse(text) as Record<string, unknown>;
    expect(stored.probabilities).toBeUndefined();
    expect(stored.probability_runs).toEqual([[epsilonGreedy[0], 1], [epsilonGreedy[1], 39]]);
    const decoded = roundTrip(new DecisionLogStorage(), record, new Map());
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(record));

    const weightsByRank = candidates.map((_, index) => 1 / (index + 2));
    const total = weightsByRank.reduce((sum, value) => sum + value, 0);
    const softmaxLike = weightsByRank.map((value) => value / total);
    const spread = createDecisionLogRecord({ context, candidates, choice: { ...choice, propensity: softmaxLike[0]! }, probabilities: softmaxLike });
    expect(JSON.parse(new DecisionLogStorage().encode(spread).text)).toHaveProperty('probabilities', softmaxLike);
  });

  it('is an order of magnitude smaller than the columnar encoding', () => {
    const record = recordOf(scoreOffers(quotedOffers(80), weights));
    const withoutProbabilities = { ...record, probabilities: undefined };
    delete withoutProbabilities.probabilities;
    const stored = new DecisionLogStorage().encode(withoutProbabilities).text.length;
    expect(stored * 5).toBeLessThan(encodeDecisionLogRecord(withoutProbabilities).length);
  });

  it('decodes records of the older encodings, and leaves a record whose offers are gone without candidates', () => {
    const record = recordOf(scoreOffers(quotedOffers(3), weights));
    expect(decodeDecisionLog(JSON.parse(encodeDecisionLogRecord(record)), new Map())).toEqual(record);

    const storage = new DecisionLogStorage();
    const { text } = storage.encode(record);
    expect(decodeDecisionLog(JSON.parse(text), new Map())).not.toHaveProperty('candidates');
  });
});
