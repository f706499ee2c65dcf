import { AuroraError } from './aurora-error';

const name = 'NoEligibleOfferError';
const marker = `aurora.error.${name}`;
const symbol = Symbol.for(marker);

export type RejectionCounts = {
  total_offers: number;
  by_reason: Record<string, number>;
  by_provider: Record<string, number>;
};

/** Nothing satisfies the request. Says how many offers were seen and why each was rejected. */
export class NoEligibleOfferError extends AuroraError {
  private readonly [symbol] = true;
  readonly rejections: RejectionCounts;

  constructor({ rejections, cause }: { rejections: RejectionCounts; cause?: unknown }) {
    super({
      message: describeRejections(rejections),
      code: 'AURORA_ERR_NO_ELIGIBLE_OFFER',
      cause,
      details: { ...rejections },
    });
    this.name = name;
    this.rejections = rejections;
  }

  static override isInstance(error: unknown): error is NoEligibleOfferError {
    return AuroraError.hasMarker(error, marker);
  }
}

/** "0 of 42 offers eligible: 30 price_above_max, 12 region_mismatch" */
export function describeRejections(rejections: RejectionCounts): string {
  const reasons = Object.entries(rejections.by_reason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${count} ${reason}`);
  const summary = `0 of ${rejections.total_offers} offers eligible`;
  return reasons.length > 0 ? `${summary}: ${reasons.join(', ')}` : `${summary} (no provider returned an offer)`;
}
