import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv';
import { SimulationDataError } from './simulation-data-error';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers lines from 1', () => {
    const table = parseCsv('a,b,c\r\n1,"x, ""y""",3\n4,"multi\nline",6\n', 'test.csv');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      { line: 2, fields: { a: '1', b: 'x, "y"', c: '3' } },
      { line: 3, fields: { a: '4', b: 'multi\nline', c: '6' } },
    ]);
  });

  it('names the file and line of a row with the wrong number of fields', () => {
    const error = catchError(() => parseCsv('a,b\n1,2\n3\n', 'data/prices.csv'));
    expect(SimulationDataError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: 'data/prices.csv', line: 3, code: 'AURORA_ERR_SIMULATION_DATA' });
    expect((error as Error).message).toContain('data/prices.csv:3');
  });

  it('rejects an empty file and an unterminated quote', () => {
    expect(catchError(() => parseCsv('', 'empty.csv'))).toMatchObject({ file: 'empty.csv', line: 1 });
    expect(catchError(() => parseCsv('a,b\n1,"open\n', 'open.csv'))).toMatchObject({ file: 'open.csv', line: 2 });
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
