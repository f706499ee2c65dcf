import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { createMockAdapter } from '../testkit/mock-adapter';
import { createOffer, createRoutingRequest } from '../testkit/offer-builders';
import { createRouterTelemetry } from '../telemetry/router-telemetry';
import { CircuitBreaker } from './circuit-breaker';
import { OfferCache } from './offer-cache';
import { OfferSource } from './offer-source';

function setup() {
  let now = 1_000_000;
  const clock = { now: () => now };
  const adapters = ['alpha', 'beta'].map((name) => createMockAdapter({ name, offers: [createOffer({ provider: name, offer_id: `${name}-1` })] }));
  const source = new OfferSource({
    adapters,
    cache: new OfferCache({ freshMs: 10_000, maxAgeMs: 60_000, maxEntries: 100, clock }),
    breaker: new CircuitBreaker({ consecutive_failures: 3, failure_rate: 0.5, window_ms: 60_000, minimum_calls: 6, cooldown_ms: 30_000, clock }),
    limit: pLimit(4),
    timeoutMs: 1_000,
    clock,
    telemetry: createRouterTelemetry(undefined),
  });
  return { source, adapters, advance: (ms: number) => (now += ms) };
}

describe('OfferSource.gather', () => {
  it('hands out the same offers array while every provider serves its cached list, and a new one once a list changes', async () => {
    const { source, adapters, advance } = setup();
    const request = createRoutingRequest();
    const first = await source.gather(request, undefined);
    const second = await source.gather(request, undefined);
    expect(first.offers.map((offer) => offer.offer_id)).toEqual(['alpha-1', 'beta-1']);
    expect(second.offers).toBe(first.offers);
    expect((await source.gather(createRoutingRequest({ region: 'eu-west' }), undefined)).offers).not.toBe(first.offers);

    adapters[1]!.setOffers([createOffer({ provider: 'beta', offer_id: 'beta-2' })]);
    advance(11_000);
    // The stale lists are served while the refresh runs; the refreshed one makes a new array.
    await expect.poll(async () => (await source.gather(request, undefined)).offers.map((offer) => offer.offer_id)).toEqual(['alpha-1', 'beta-2']);
    const refreshed = await source.gather(request, undefined);
    expect(refreshed.offers).not.toBe(first.offers);
    expect(await source.gather(request, undefined)).toMatchObject({ offers: refreshed.offers });
    expect((await source.gather(request, undefined)).offers).toBe(refreshed.offers);
  });
});
