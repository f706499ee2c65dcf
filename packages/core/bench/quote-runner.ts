import { createRouter } from '../src/router/create-router';
import type { QuoteResult } from '../src/router/quote-offers';
import type { Offer } from '../src/schemas/offer';
import { createMockAdapter } from '../src/testkit/mock-adapter';
import { benchProviders, benchRequestInput } from './bench-offers';

export type QuoteRunner = { quote: () => Promise<QuoteResult>; close: () => Promise<void> };

const anHour = 3_600_000;

/**
 * A router over eight mock adapters that share `offers` between them, with the offer cache kept
 * fresh for the whole run: `quote` then measures the router's own work (request parsing, cache
 * lookup, filter, score, the bounded result, telemetry through the no-op API), no network.
 */
export async function createQuoteRunner(offers: readonly Offer[]): Promise<QuoteRunner> {
  const adapters = benchProviders.map((name) =>
    createMockAdapter({ name, offers: offers.filter((offer) => offer.provider === name) }),
  );
  const router = createRouter({
    adapters,
    limits: { offer_cache_fresh_ms: anHour, offer_cache_max_age_ms: anHour },
  });
  await router.quote(benchRequestInput); // fills the offer cache
  return { quote: () => router.quote(benchRequestInput), close: () => router.close() };
}
