import { describe, expect, it } from 'vitest';
import { policyContext, rankedCandidates } from '../policy/__fixtures__/policy-fixtures';
import { RulePolicy } from '../policy/rule-policy';
import { createDecisionLogRecord } from './create-decision-log-record';
import { parseJsonLines, toJsonLines } from './decision-log-json-lines';
import type { DecisionLogRecord } from './decision-log-record';
import { compactCandidatesEncoding, decodeStoredDecisionLogRecord, encodeDecisionLogRecord } from './decision-log-record-codec';

function sampleRecord(count: number): DecisionLogRecord {
  const candidates = rankedCandidates(count);
  const context = policyContext({ tenant: 'acme' });
  return createDecisionLogRecord({ context, candidates, choice: new RulePolicy().decide(context, candidates), probabilities: candidates.map((_, index) => (index === 0 ? 1 : 0)) });
}

describe('encodeDecisionLogRecord / decodeStoredDecisionLogRecord', () => {
  it('stores the candidates as tagged columns and decodes to the same record, serialising identically', () => {
    const record = sampleRecord(5);
    const stored = JSON.parse(encodeDecisionLogRecord(record)) as Record<string, unknown>;
    expect(stored.candidates).toBeUndefined();
    expect(stored.candidates_encoding).toBe(compactCandidatesEncoding);
    expect((stored.candidate_columns as { offer_id: string[] }).offer_id).toEqual(record.candidates.map((candidate) => candidate.offer.offer_id));
    const decoded = decodeStoredDecisionLogRecord(stored);
    expect(decoded).toEqual(record);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(record));
  });

  it('is smaller than the record JSON', () => {
    const record = sampleRecord(60);
    expect(encodeDecisionLogRecord(record).length).toBeLessThan(JSON.stringify(record).length * 0.6);
  });

  it('keeps ranks out of order, missing gpu memory and provider metadata when a record has them', () => {
    const record = sampleRecord(3);
    const [first, second, third] = record.candidates;
    const { gpu_memory_gb: _memory, ...withoutMemory } = first!.offer;
    const unusual: DecisionLogRecord = {
      ...record,
      candidates: [
        { ...first!, offer: withoutMemory, rank: 2 },
        { ...second!, rank: 1, offer: { ...second!.offer, gpu_memory_gb: 80, provider_metadata: { zone: 'a' } } },
        third!,
      ],
    };
    const decoded = decodeStoredDecisionLogRecord(JSON.parse(encodeDecisionLogRecord(unusual)));
    expect(decoded).toEqual(unusual);
    expect('gpu_memory_gb' in decoded.candidates[0]!.offer).toBe(false);
  });

  it('returns records stored before the encoding as they are', () => {
    const record = sampleRecord(2);
    const plain = JSON.parse(JSON.stringify(record)) as unknown;
    expect(decodeStoredDecisionLogRecord(plain)).toBe(plain);
  });

  it('lets parseJsonLines read stored lines in either form', () => {
    const record = sampleRecord(3);
    const text = `${encodeDecisionLogRecord(record)}\n${toJsonLines([record])}`;
    expect(parseJsonLines(text)).toEqual([record, record]);
  });

  it('leaves malformed columns for the schema to reject', () => {
    const stored = JSON.parse(encodeDecisionLogRecord(sampleRecord(2))) as { candidate_columns: { score: number[] } };
    stored.candidate_columns.score = [1];
    expect(() => parseJsonLines(JSON.stringify(stored))).toThrow(/candidates/);
  });
});
