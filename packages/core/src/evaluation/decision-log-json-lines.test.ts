import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { logDecisions, SyntheticWorld } from '../policy/learning/__fixtures__/synthetic-world';
import { LearningPolicy } from '../policy/learning/learning-policy';
import { RulePolicy } from '../policy/rule-policy';
import { parseJsonLines, toJsonLines } from './decision-log-json-lines';
import { DecisionLogLineError } from './decision-log-line-error';
import { createSeededRandom } from './seeded-random';

const providers = [
  { name: 'alpha', fill: 0.5, price: [1, 2] as [number, number] },
  { name: 'beta', fill: 0.9, price: [1.5, 3] as [number, number] },
];

function sampleRecords() {
  const world = new SyntheticWorld({ seed: 2, providers, candidates: 4 });
  const fromRules = logDecisions(world, new RulePolicy({ epsilon: 0.2, random: createSeededRandom(1) }), 3).records;
  const fromLearner = logDecisions(world, new LearningPolicy({ random: createSeededRandom(1) }), 2).records;
  return [...fromRules, ...fromLearner];
}

function expectLineError(text: string, line: number, fieldPart?: string): DecisionLogLineError {
  try {
    parseJsonLines(text);
  } catch (error) {
    expect(DecisionLogLineError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    const lineError = error as DecisionLogLineError;
    expect(lineError.code).toBe('AURORA_ERR_INVALID_ARGUMENT');
    expect(lineError.line).toBe(line);
    expect(lineError.message).toContain(`line ${line}`);
    expect(lineError.details).toMatchObject({ line });
    if (fieldPart) expect(lineError.issues.map((issue) => issue.field)).toContainEqual(expect.stringContaining(fieldPart));
    return lineError;
  }
  return expect.unreachable('parseJsonLines should have thrown') as never;
}

describe('decision log JSON lines', () => {
  it('round-trips records, one JSON object per line', () => {
    const records = sampleRecords();
    const text = toJsonLines(records);
    expect(text.split('\n')).toHaveLength(records.length + 1);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseJsonLines(text)).toEqual(records);
  });

  it('skips blank lines and accepts CRLF endings', () => {
    const records = sampleRecords().slice(0, 2);
    const lines = toJsonLines(records).trimEnd().split('\n');
    expect(parseJsonLines(`\n${lines[0]}\r\n\r\n   \n${lines[1]}\r\n`)).toEqual(records);
    expect(parseJsonLines('')).toEqual([]);
  });

  it('names the line of invalid JSON', () => {
    const lines = toJsonLines(sampleRecords().slice(0, 3)).trimEnd().split('\n');
    lines.splice(2, 0, '{"decision_id": "x", ');
    const error = expectLineError(lines.join('\n'), 3);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('names the line and field of a record that breaks the schema', () => {
    const [first, second] = sampleRecords();
    const bad = { ...second!, propensity: 0 };
    expectLineError(`${JSON.stringify(first)}\n${JSON.stringify(bad)}\n`, 2, 'propensity');
  });

  it('checks the record’s internal consistency', () => {
    const record = sampleRecords()[3]!;
    expect(record.probabilities).toBeDefined();
    expectLineError(JSON.stringify({ ...record, chosen_index: record.candidates.length }), 1, 'chosen_index');
    expectLineError(JSON.stringify({ ...record, chosen_offer_id: 'someone-else' }), 1, 'chosen_offer_id');
    expectLineError(JSON.stringify({ ...record, probabilities: record.probabilities!.map((value) => value / 2) }), 1, 'probabilities');
    const other = record.chosen_index === 0 ? 1 : 0;
    expectLineError(JSON.stringify({ ...record, propensity: record.probabilities![other] === record.propensity ? 0.999 : record.probabilities![other] }), 1, 'propensity');
    expectLineError(JSON.stringify({ ...record, outcome: { ...record.outcome!, decision_id: 'another' } }), 1, 'outcome.decision_id');
  });
});
