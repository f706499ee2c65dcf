import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@aurora/router';
import { akashBlocksPerHour, akashDenomKind, akashPricePerBlockToUsdPerHour, akashUsdPerHourToPricePerBlock } from './akash-price';

describe('akashPricePerBlockToUsdPerHour', () => {
  it('uses 600 blocks an hour (6 s blocks)', () => {
    expect(akashBlocksPerHour).toBe(600);
  });

  it('converts the reference example: 1000 uact/block is 0.60 USD/h', () => {
    expect(akashPricePerBlockToUsdPerHour('1000', 'uact')).toBeCloseTo(0.6, 12);
  });

  it('reads the chain decimal strings bids carry', () => {
    // 1.3788 uact/block x 600 / 1e6 = 0.00082728 USD/h
    expect(akashPricePerBlockToUsdPerHour('1.378800000000000000', 'uact')).toBeCloseTo(0.00082728, 12);
    expect(akashPricePerBlockToUsdPerHour('2000.000000000000000000', 'uact')).toBeCloseTo(1.2, 12);
  });

  it('prices uakt with the AKT price: 1000 uakt/block at 2.50 USD/AKT is 1.50 USD/h', () => {
    expect(akashPricePerBlockToUsdPerHour(1000, 'uakt', { aktUsd: 2.5 })).toBeCloseTo(1.5, 12);
  });

  it('treats USDC (uusdc and IBC denoms) as dollars', () => {
    expect(akashPricePerBlockToUsdPerHour(1000, 'uusdc')).toBeCloseTo(0.6, 12);
    expect(akashPricePerBlockToUsdPerHour(1000, 'ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1')).toBeCloseTo(0.6, 12);
  });

  it('refuses uakt without the AKT price, unknown denoms and bad amounts', () => {
    expect(InvalidArgumentError.isInstance(catchError(() => akashPricePerBlockToUsdPerHour(1000, 'uakt')))).toBe(true);
    expect(InvalidArgumentError.isInstance(catchError(() => akashPricePerBlockToUsdPerHour(1000, 'uatom')))).toBe(true);
    expect(InvalidArgumentError.isInstance(catchError(() => akashPricePerBlockToUsdPerHour('abc', 'uact')))).toBe(true);
    expect(InvalidArgumentError.isInstance(catchError(() => akashPricePerBlockToUsdPerHour(-1, 'uact')))).toBe(true);
  });
});

describe('akashUsdPerHourToPricePerBlock', () => {
  it('is the inverse: 0.60 USD/h is 1000 uact/block, 1.50 USD/h at 2.50 USD/AKT is 1000 uakt/block', () => {
    expect(akashUsdPerHourToPricePerBlock(0.6, 'uact')).toBeCloseTo(1000, 9);
    expect(akashUsdPerHourToPricePerBlock(1.5, 'uakt', { aktUsd: 2.5 })).toBeCloseTo(1000, 9);
  });

  it('round-trips any price', () => {
    for (const usd of [0.01, 0.36, 1.2, 2.1, 17.5]) {
      expect(akashPricePerBlockToUsdPerHour(akashUsdPerHourToPricePerBlock(usd, 'uact'), 'uact')).toBeCloseTo(usd, 9);
    }
  });
});

describe('akashDenomKind', () => {
  it('sorts denoms into dollar-pegged, AKT and unknown', () => {
    expect(akashDenomKind('uact')).toBe('usd');
    expect(akashDenomKind('uakt')).toBe('akt');
    expect(akashDenomKind('uosmo')).toBeUndefined();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
