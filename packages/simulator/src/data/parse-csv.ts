import { SimulationDataError } from './simulation-data-error';

/** One data row: its 1-based line in the file and its fields by header name. */
export type CsvRow = { line: number; fields: Record<string, string> };

export type CsvTable = { header: string[]; rows: CsvRow[] };

/**
 * Parses RFC 4180 CSV (quoted fields with doubled quotes and embedded commas or line breaks, LF
 * or CRLF line ends). The first record is the header. A record whose field count differs from the
 * header's, or an unterminated quote, is a `SimulationDataError` naming the file and line.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records = splitRecords(text, file);
  const first = records[0];
  if (!first || (first.values.length === 1 && first.values[0]!.trim() === '')) {
    throw new SimulationDataError({ file, line: 1, reason: 'empty file: expected a CSV header' });
  }
  const header = first.values.map((value, index) => (index === 0 ? value.replace(/^\uFEFF/, '') : value).trim());
  const rows: CsvRow[] = [];
  for (const record of records.slice(1)) {
    if (record.values.length === 1 && record.values[0] === '') continue;
    if (record.values.length !== header.length) {
      throw new SimulationDataError({
        file,
        line: record.line,
        reason: `expected ${header.length} fields (${header.join(',')}), found ${record.values.length}`,
      });
    }
    const fields: Record<string, string> = {};
    for (let index = 0; index < header.length; index++) fields[header[index]!] = record.values[index]!;
    rows.push({ line: record.line, fields });
  }
  return { header, rows };
}

type RawRecord = { line: number; values: string[] };

function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let index = 0;
  const endRecord = () => {
    values.push(field);
    records.push({ line: recordLine, values });
    values = [];
    field = '';
  };
  while (index < text.length) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        if (character === '\n') line += 1;
        field += character;
      }
      index += 1;
      continue;
    }
    if (character === '"' && field === '') {
      quoted = true;
    } else if (character === ',') {
      values.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += character;
    }
    index += 1;
  }
  if (quoted) throw new SimulationDataError({ file, line: recordLine, reason: 'unterminated quoted field' });
  if (field !== '' || values.length > 0) endRecord();
  return records;
}
