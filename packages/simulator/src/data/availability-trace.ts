import { basename } from 'node:path';
import { locateJsonError } from './locate-json-error';
import { SimulationDataError } from './simulation-data-error';

/**
 * A spot capacity probe series (SkyPilot spot-traces format) reduced to what the market needs:
 * the lengths of its runs with capacity ("up") and without ("down"), in milliseconds, in order.
 */
export type AvailabilityTrace = {
  file: string;
  tick_ms: number;
  /** Alternating runs, first one as in the file: `[up?, ms]`. */
  runs: Array<{ up: boolean; ms: number }>;
  /** Share of ticks with capacity. */
  capacity_share: number;
  /** Mean spot price over the ticks, USD/h, when the file has prices. */
  mean_price_usd_per_hour?: number;
};

/**
 * Parses `{"metadata": {"gap_seconds": g}, "data": [n, ...], "prices": [...]?}`: `data[i]` is the
 * number of instances available at tick i (0 = no capacity). Throws `SimulationDataError` naming
 * the file (and the line, for JSON syntax errors).
 */
export function parseAvailabilityTrace(text: string, file: string): AvailabilityTrace {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const line = locateJsonError(text);
    throw new SimulationDataError({ file, ...(line !== undefined ? { line } : {}), reason: 'not valid JSON', cause: error });
  }
  const fail = (reason: string) => new SimulationDataError({ file, reason });
  if (document === null || typeof document !== 'object') throw fail('expected an object with metadata and data');
  const { metadata, data, prices } = document as { metadata?: { gap_seconds?: unknown }; data?: unknown; prices?: unknown };
  const gap = metadata?.gap_seconds;
  if (typeof gap !== 'number' || !Number.isFinite(gap) || gap <= 0) throw fail('metadata.gap_seconds must be a positive number');
  if (!Array.isArray(data) || data.length === 0) throw fail('data must be a non-empty array of instance counts');
  const tickMs = gap * 1000;
  const runs: AvailabilityTrace['runs'] = [];
  let upTicks = 0;
  for (let index = 0; index < data.length; index++) {
    const value = data[index];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail(`data[${index}] is not a count >= 0`);
    const up = value > 0;
    if (up) upTicks += 1;
    const last = runs[runs.length - 1];
    if (last && last.up === up) last.ms += tickMs;
    else runs.push({ up, ms: tickMs });
  }
  let meanPrice: number | undefined;
  if (prices !== undefined && prices !== null) {
    if (!Array.isArray(prices)) throw fail('prices must be an array of USD/h');
    const valid = prices.filter((price): price is number => typeof price === 'number' && Number.isFinite(price) && price > 0);
    if (valid.length > 0) meanPrice = valid.reduce((sum, price) => sum + price, 0) / valid.length;
  }
  return {
    file: basename(file),
    tick_ms: tickMs,
    runs,
    capacity_share: upTicks / data.length,
    ...(meanPrice !== undefined ? { mean_price_usd_per_hour: meanPrice } : {}),
  };
}
