import { describe, expect, it } from 'vitest';
import { createOffer, createRoutingRequest } from '@aurora/router/testkit';
import type { RoutingRequestInput } from '@aurora/router';
import type { AkashProviderProfile } from './akash-provider-profile';
import { chooseCheapestEligibleBid, type AkashBidCandidate, type AkashBidChoiceContext } from './choose-bid';

function profile(address: string, overrides: Partial<AkashProviderProfile> = {}): AkashProviderProfile {
  return { address, hostUri: `https://${address}:8443`, isOnline: true, isAudited: true, region: 'us-west', uptime: 0.99, reputation: 99, ...overrides };
}

function bid(provider: string, priceUsdPerHour: number): AkashBidCandidate {
  return { dseq: '1', gseq: 1, oseq: 1, bseq: 1, provider, denom: 'uact', amount: String((priceUsdPerHour * 1e6) / 600), price_usd_per_hour: priceUsdPerHour };
}

type ContextOverrides = Partial<Omit<AkashBidChoiceContext, 'request'>> & { request?: Partial<RoutingRequestInput> };

function context(bids: AkashBidCandidate[], profiles: AkashProviderProfile[], overrides: ContextOverrides = {}): AkashBidChoiceContext {
  const { request, ...rest } = overrides;
  return {
    request: createRoutingRequest({ gpu_type: 'a100', ...request }),
    offer: createOffer({ region: 'global' }),
    bids,
    providers: new Map(profiles.map((entry) => [entry.address, entry])),
    recentlyFailedProviders: new Set(),
    minimumUptime: 0.9,
    ...rest,
  };
}

describe('chooseCheapestEligibleBid', () => {
  it('takes the cheapest bid', () => {
    const chosen = chooseCheapestEligibleBid(context([bid('a', 1.5), bid('b', 1.2), bid('c', 1.3)], [profile('a'), profile('b'), profile('c')]));
    expect(chosen).toMatchObject({ provider: 'b' });
  });

  it('skips providers outside the request region, but takes any region for global', () => {
    const bids = [bid('west', 1.5), bid('east', 1.0)];
    const profiles = [profile('west', { region: 'us-west' }), profile('east', { region: 'us-east' })];
    expect(chooseCheapestEligibleBid(context(bids, profiles, { request: { region: 'us-west' } }))).toMatchObject({ provider: 'west' });
    expect(chooseCheapestEligibleBid(context(bids, profiles))).toMatchObject({ provider: 'east' });
  });

  it('skips providers below min_reputation and below the minimum uptime', () => {
    const bids = [bid('cheap-unreliable', 0.5), bid('cheap-unaudited', 0.6), bid('solid', 1.0)];
    const profiles = [
      profile('cheap-unreliable', { uptime: 0.7, reputation: 96 }),
      profile('cheap-unaudited', { isAudited: false, reputation: 79 }),
      profile('solid', { reputation: 99 }),
    ];
    expect(chooseCheapestEligibleBid(context(bids, profiles, { request: { min_reputation: 90 } }))).toMatchObject({ provider: 'solid' });
    expect(chooseCheapestEligibleBid(context(bids, profiles))).toMatchObject({ provider: 'cheap-unaudited' });
  });

  it('skips bids above max_price, offline providers and providers it knows nothing about', () => {
    const bids = [bid('pricey', 3), bid('offline', 1), bid('unknown', 0.5)];
    const profiles = [profile('pricey'), profile('offline', { isOnline: false })];
    expect(chooseCheapestEligibleBid(context(bids, profiles, { request: { max_price: 2.5 } }))).toBeUndefined();
    expect(chooseCheapestEligibleBid(context(bids, profiles))).toMatchObject({ provider: 'pricey' });
  });

  it('prefers providers in the chosen offer region over cheaper ones elsewhere', () => {
    const bids = [bid('west', 1.5), bid('east', 1.0)];
    const profiles = [profile('west', { region: 'us-west' }), profile('east', { region: 'us-east' })];
    expect(chooseCheapestEligibleBid(context(bids, profiles, { offer: createOffer({ region: 'us-west' }) }))).toMatchObject({ provider: 'west' });
  });

  it('avoids providers that failed recently while others bid, but still uses them as a last resort', () => {
    const bids = [bid('flaky', 1.0), bid('steady', 1.4)];
    const profiles = [profile('flaky'), profile('steady')];
    expect(chooseCheapestEligibleBid(context(bids, profiles, { recentlyFailedProviders: new Set(['flaky']) }))).toMatchObject({ provider: 'steady' });
    expect(chooseCheapestEligibleBid(context([bid('flaky', 1.0)], profiles, { recentlyFailedProviders: new Set(['flaky']) }))).toMatchObject({ provider: 'flaky' });
  });

  it('breaks price ties by reputation, then by address', () => {
    const bids = [bid('b', 1), bid('a', 1), bid('c', 1)];
    expect(chooseCheapestEligibleBid(context(bids, [profile('a', { reputation: 95 }), profile('b', { reputation: 98 }), profile('c', { reputation: 95 })]))).toMatchObject({ provider: 'b' });
    expect(chooseCheapestEligibleBid(context(bids, [profile('a'), profile('b'), profile('c')]))).toMatchObject({ provider: 'a' });
  });

  it('returns undefined without bids', () => {
    expect(chooseCheapestEligibleBid(context([], [profile('a')]))).toBeUndefined();
  });
});
