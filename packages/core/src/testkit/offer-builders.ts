import { offerSchema, type Offer, type OfferInput } from '../schemas/offer';
import { parseOrThrow } from '../schemas/parse';
import { routingRequestSchema, type RoutingRequest, type RoutingRequestInput } from '../schemas/routing-request';

/** A fixed quote time keeps fixtures and snapshots deterministic. */
export const fixtureQuotedAt = '2026-01-01T00:00:00.000Z';

const defaultOffer: OfferInput = {
  provider: 'mock',
  offer_id: 'offer-1',
  gpu_type: 'a100',
  gpu_memory_gb: 80,
  gpu_count: 1,
  region: 'us-west',
  price_usd_per_hour: 2,
  estimated_latency_ms: 100,
  reputation: 90,
  availability: 0.9,
  capacity: 4,
  interruptible: false,
  quoted_at: fixtureQuotedAt,
  provider_metadata: {},
};

/** A valid offer (an A100 in us-west at 2 USD/h) with `overrides` applied, parsed by `offerSchema`. */
export function createOffer(overrides: Partial<OfferInput> = {}): Offer {
  return parseOrThrow(offerSchema, { ...defaultOffer, ...overrides }, 'offer');
}

export type OfferOverrides = Partial<OfferInput> | ((index: number) => Partial<OfferInput>);

/**
 * `count` valid offers with ids `offer-1` ... `offer-N`. Without overrides for them, price and
 * latency vary deterministically by index (1.00 to 5.90 USD/h, 20 to 219 ms) so that rankings are
 * not all ties. `overrides` is one object for every offer or a function of the zero-based index.
 */
export function createOffers(count: number, overrides: OfferOverrides = {}): Offer[] {
  const offers: Offer[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const specific = typeof overrides === 'function' ? overrides(index) : overrides;
    offers[index] = createOffer({
      offer_id: `offer-${index + 1}`,
      price_usd_per_hour: 1 + (index % 50) * 0.1,
      estimated_latency_ms: 20 + ((index * 37) % 200),
      ...specific,
    });
  }
  return offers;
}

const defaultRequest: RoutingRequestInput = {
  workload_type: 'llm_inference',
  gpu_type: 'a100',
  gpu_count: 1,
  region: 'global',
};

/** A valid routing request (one A100, anywhere) with `overrides` applied, parsed by `routingRequestSchema`. */
export function createRoutingRequest(overrides: Partial<RoutingRequestInput> = {}): RoutingRequest {
  return parseOrThrow(routingRequestSchema, { ...defaultRequest, ...overrides }, 'routing request');
}
