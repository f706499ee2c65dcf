import fc from 'fast-check';
import type { GpuType } from '../../schemas/gpu-type';
import type { Offer } from '../../schemas/offer';
import type { Region } from '../../schemas/region';
import type { RoutingRequest } from '../../schemas/routing-request';
import type { Weights } from '../../schemas/weights';

const providers = ['akash', 'ionet', 'vastai', 'runpod'];
const gpuTypes: GpuType[] = ['a100', 'h100', '4090'];
const regions: Region[] = ['us-west', 'us-east', 'eu-central'];

const price = fc.double({ min: 0, max: 20, noNaN: true, noDefaultInfinity: true });
const latency = fc.double({ min: 0, max: 2_000, noNaN: true, noDefaultInfinity: true });
const reputation = fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true });
const unit = fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true });

/** Criterion values drawn from a few levels, so ties and exact dominance are common. */
const coarse = <T>(values: readonly T[], fine: fc.Arbitrary<T>) => fc.oneof(fc.constantFrom(...values), fine);

/** What `toOffer` needs: an offer without id, time and metadata. */
export type OfferBody = Omit<Offer, 'offer_id' | 'quoted_at' | 'provider_metadata' | 'gpu_memory_gb'> & { gpu_memory_gb: number | undefined };

/** Ids are assigned by position so they are unique. */
export function toOffer(body: OfferBody, index: number): Offer {
  const { gpu_memory_gb: _memory, ...rest } = body;
  return {
    ...rest,
    ...(body.gpu_memory_gb === undefined ? {} : { gpu_memory_gb: body.gpu_memory_gb }),
    offer_id: `offer-${index}`,
    quoted_at: '2026-01-01T00:00:00.000Z',
    provider_metadata: {},
  };
}

/** A request loose enough that some offers usually pass. */
export const request: fc.Arbitrary<RoutingRequest> = fc
  .record({
    gpu_type: fc.constantFrom(...gpuTypes),
    gpu_count: fc.integer({ min: 1, max: 3 }),
    region: fc.constantFrom<Region>('global', 'global', ...regions),
    gpu_memory_gb: fc.option(fc.constantFrom(24, 40, 80), { nil: undefined }),
    max_price: fc.option(fc.double({ min: 0.5, max: 20, noNaN: true }), { nil: undefined }),
    max_latency_ms: fc.option(fc.double({ min: 10, max: 2_000, noNaN: true }), { nil: undefined }),
    min_reputation: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    allow_interruptible: fc.boolean(),
    gpu_hours: fc.option(fc.double({ min: 0.5, max: 100, noNaN: true }), { nil: undefined }),
  })
  .map((fields) => {
    const built: RoutingRequest = {
      workload_type: 'llm_inference',
      gpu_type: fields.gpu_type,
      gpu_count: fields.gpu_count,
      region: fields.region,
      allow_interruptible: fields.allow_interruptible,
    };
    for (const key of ['gpu_memory_gb', 'max_price', 'max_latency_ms', 'min_reputation', 'gpu_hours'] as const) {
      if (fields[key] !== undefined) built[key] = fields[key];
    }
    return built;
  });

/** Mostly `likely`, sometimes anything from `other`: offers usually fit the request, but not all. */
const mostly = <T>(likely: fc.Arbitrary<T>, other: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: likely }, { weight: 1, arbitrary: other });

/** Offers that mostly satisfy `routingRequest`, so rankings usually have several candidates. */
export function offersFor(routingRequest: RoutingRequest, options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<Offer[]> {
  const body = fc.record({
    provider: fc.constantFrom(...providers),
    gpu_type: mostly(fc.constant(routingRequest.gpu_type), fc.constantFrom(...gpuTypes)),
    gpu_memory_gb: mostly(
      fc.constantFrom(80, Math.max(routingRequest.gpu_memory_gb ?? 24, 24)),
      fc.option(fc.constantFrom(24, 40, 80), { nil: undefined }),
    ),
    gpu_count: mostly(fc.integer({ min: routingRequest.gpu_count, max: 4 }), fc.integer({ min: 1, max: 4 })),
    region: routingRequest.region === 'global' ? fc.constantFrom(...regions) : mostly(fc.constant(routingRequest.region), fc.constantFrom(...regions)),
    price_usd_per_hour: mostly(
      coarse([0, 0.5], fc.double({ min: 0, max: routingRequest.max_price ?? 20, noNaN: true, noDefaultInfinity: true })),
      price,
    ),
    estimated_latency_ms: mostly(
      coarse([0, 10], fc.double({ min: 0, max: routingRequest.max_latency_ms ?? 2_000, noNaN: true, noDefaultInfinity: true })),
      latency,
    ),
    reputation: mostly(
      coarse([100], fc.double({ min: routingRequest.min_reputation ?? 0, max: 100, noNaN: true, noDefaultInfinity: true })),
      reputation,
    ),
    availability: coarse([0, 0.5, 1], unit),
    capacity: mostly(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 })),
    interruptible: mostly(fc.constant(false), fc.boolean()),
  });
  return fc.array(body, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 30 }).map((bodies) => bodies.map(toOffer));
}

/** A request and offers quoted for it. */
export const scenario = (options: { minLength?: number; maxLength?: number } = {}) =>
  request.chain((routingRequest) => offersFor(routingRequest, options).map((quoted) => ({ request: routingRequest, offers: quoted })));

/** Raw weights, not all zero. */
export const rawWeights: fc.Arbitrary<Weights> = fc
  .record({ price: unit, latency: unit, reputation: unit, availability: unit })
  .filter((weights) => weights.price + weights.latency + weights.reputation + weights.availability > 1e-6);
