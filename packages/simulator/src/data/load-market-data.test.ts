import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeMarketFixture, type MarketFixture } from '../__fixtures__/market-files';
import { loadMarketData } from './load-market-data';
import { SimulationDataError } from './simulation-data-error';

describe('loadMarketData', () => {
  let fixture: MarketFixture;
  beforeAll(async () => {
    fixture = await writeMarketFixture();
  });
  afterAll(async () => {
    await fixture.remove();
  });

  it('loads catalogs, traces by header and every JSON trace under the availability directory', async () => {
    const data = await loadMarketData({ prices: fixture.prices, traces: fixture.traces, availability: fixture.availability });
    expect(new Set(data.catalog.map((entry) => entry.provider))).toEqual(new Set(['vast', 'runpod', 'cloudalpha', 'cloudbeta']));
    expect(data.traces.map((trace) => trace.kind)).toEqual(['gpu-pods', 'image-requests', 'cold-start']);
    expect(data.availability.map((trace) => trace.file)).toEqual(['zone-a_v100_1.json', 'zone-b_v100_1.json']);
    expect(data.warnings).toHaveLength(1);
  });

  it('reports a missing file or directory as a SimulationDataError naming it', async () => {
    const missing = join(fixture.directory, 'nope.csv');
    const error = await loadMarketData({ prices: [missing] }).catch((caught: unknown) => caught);
    expect(SimulationDataError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: missing });
    await expect(loadMarketData({ availability: fixture.prices[0] })).rejects.toMatchObject({ file: fixture.prices[0] });
  });
});
