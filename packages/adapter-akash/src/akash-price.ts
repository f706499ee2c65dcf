import { InvalidArgumentError } from '@aurora/router';

/** Console's average block time is 6 s: 600 blocks an hour. */
export const akashBlocksPerHour = 600;

const microUnitsPerUnit = 1_000_000;

/**
 * How a denom is worth in USD: `usd` for the dollar-pegged ones (ACT, USDC) and `akt` for uakt,
 * which needs the AKT price. `undefined` for denoms we cannot price.
 */
export function akashDenomKind(denom: string): 'usd' | 'akt' | undefined {
  const normalized = denom.trim().toLowerCase();
  if (normalized === 'uact' || normalized === 'uusdc') return 'usd';
  // USDC over IBC shows up as ibc/<hash>; Akash only ever listed USDC as an IBC pricing denom.
  if (normalized.startsWith('ibc/')) return 'usd';
  if (normalized === 'uakt') return 'akt';
  return undefined;
}

export type AkashPriceOptions = {
  /** USD per AKT, from GET /v1/market-data; required for `uakt`. */
  aktUsd?: number;
};

/**
 * USD per hour of a price in micro-units per block: `amount x 600 / 1e6` (x AKT price for uakt).
 * 1000 uact/block -> 0.60 USD/h.
 */
export function akashPricePerBlockToUsdPerHour(amount: string | number, denom: string, options: AkashPriceOptions = {}): number {
  const perBlock = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(perBlock) || perBlock < 0) {
    throw new InvalidArgumentError({ message: `Akash price amount "${amount}" is not a non-negative number`, issues: [{ field: 'price.amount', reason: 'not a non-negative number' }] });
  }
  const unitsPerHour = (perBlock * akashBlocksPerHour) / microUnitsPerUnit;
  return unitsPerHour * usdPerUnit(denom, options);
}

/** The inverse, for SDL price ceilings: micro-units per block for a USD-per-hour amount. */
export function akashUsdPerHourToPricePerBlock(usdPerHour: number, denom: string, options: AkashPriceOptions = {}): number {
  if (!Number.isFinite(usdPerHour) || usdPerHour < 0) {
    throw new InvalidArgumentError({ message: `${usdPerHour} USD/h is not a non-negative number`, issues: [{ field: 'usd_per_hour', reason: 'not a non-negative number' }] });
  }
  return (usdPerHour / usdPerUnit(denom, options) / akashBlocksPerHour) * microUnitsPerUnit;
}

function usdPerUnit(denom: string, options: AkashPriceOptions): number {
  const kind = akashDenomKind(denom);
  if (kind === 'usd') return 1;
  if (kind === 'akt') {
    if (options.aktUsd === undefined || !(options.aktUsd > 0)) {
      throw new InvalidArgumentError({ message: 'Pricing uakt needs the AKT price in USD (GET /v1/market-data)', issues: [{ field: 'aktUsd', reason: 'required for uakt' }] });
    }
    return options.aktUsd;
  }
  throw new InvalidArgumentError({ message: `Unknown Akash price denom "${denom}"`, issues: [{ field: 'price.denom', reason: `unknown denom ${denom}` }] });
}
