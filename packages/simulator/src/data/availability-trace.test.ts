import { describe, expect, it } from 'vitest';
import { fixtureContents } from '../__fixtures__/market-files';
import { parseAvailabilityTrace } from './availability-trace';
import { SimulationDataError } from './simulation-data-error';

describe('parseAvailabilityTrace', () => {
  it('turns probe ticks into runs with and without capacity', () => {
    const trace = parseAvailabilityTrace(fixtureContents.spotTrace, '/x/zone-a_v100_1.json');
    expect(trace).toEqual({
      file: 'zone-a_v100_1.json',
      tick_ms: 60_000,
      runs: [{ up: true, ms: 180_000 }, { up: false, ms: 120_000 }, { up: true, ms: 240_000 }, { up: false, ms: 60_000 }],
      capacity_share: 0.7,
    });
    expect(parseAvailabilityTrace(fixtureContents.preemptionTrace, 'b.json').mean_price_usd_per_hour).toBeCloseTo(0.9);
  });

  it('names the file (and the line of a JSON syntax error)', () => {
    const syntax = catchError(() => parseAvailabilityTrace('{\n "metadata": {"gap_seconds": 60},\n "data": [1, 0,, 1]\n}', 'broken.json'));
    expect(SimulationDataError.isInstance(syntax)).toBe(true);
    expect(syntax).toMatchObject({ file: 'broken.json', line: 3 });
    expect(catchError(() => parseAvailabilityTrace('{"metadata": {}, "data": [1]}', 'nogap.json'))).toMatchObject({ file: 'nogap.json' });
    expect((catchError(() => parseAvailabilityTrace('{"metadata": {"gap_seconds": 5}, "data": [1, "x"]}', 'bad.json')) as Error).message)
      .toBe('bad.json: data[1] is not a count >= 0');
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
