import { toFieldIssues } from '../schemas/parse';
import { DecisionLogLineError } from './decision-log-line-error';
import { decodeStoredDecisionLogRecord } from './decision-log-record-codec';
import { decisionLogRecordSchema, type DecisionLogRecord, type DecisionLogRecordInput } from './decision-log-record';

/** One JSON object per line, each line ending in `\n`; the format `parseJsonLines` reads. */
export function toJsonLines(records: readonly (DecisionLogRecord | DecisionLogRecordInput)[]): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}

/**
 * Parses a JSON-lines decision log: blank lines are skipped, `\r\n` endings accepted. Each line
 * must be a JSON object valid against `decisionLogRecordSchema` (lines in the columnar storage encoding,
 * `encodeDecisionLogRecord`, are decoded first); the first that is not throws
 * `DecisionLogLineError` with its 1-based line number and the field issues.
 */
export function parseJsonLines(text: string): DecisionLogRecord[] {
  const records: DecisionLogRecord[] = [];
  const lines = text.split('\n');
  for (let position = 0; position < lines.length; position++) {
    const line = lines[position]!.trim();
    if (line.length === 0) continue;
    const lineNumber = position + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DecisionLogLineError({ line: lineNumber, reason: `not valid JSON (${(error as Error).message})`, cause: error });
    }
    const result = decisionLogRecordSchema.safeParse(decodeStoredDecisionLogRecord(value));
    if (!result.success) {
      const issues = toFieldIssues(result.error).map((issue) => ({ field: `line ${lineNumber}: ${issue.field}`, reason: issue.reason }));
      throw new DecisionLogLineError({
        line: lineNumber,
        reason: issues.map((issue) => issue.field.slice(`line ${lineNumber}: `.length) + ': ' + issue.reason).join('; '),
        issues,
      });
    }
    records.push(result.data);
  }
  return records;
}
