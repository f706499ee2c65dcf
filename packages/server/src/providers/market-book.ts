import { canonicalizeRegion, normalizeGpuType, type OfferInput, type ProviderAdapter } from '@aurora/router';
import { withListOffers } from './with-list-offers';

/** What the last quotes showed of one provider's market. */
export type MarketView = {
  /** Offers with free capacity in the latest answer per request shape, summed. */
  capacity: number;
  gpu_types: string[];
  regions: string[];
  price_range: { min_usd_per_hour: number; max_usd_per_hour: number } | null;
  observed_at: string;
};

type Observation = { capacity: number; gpuTypes: Set<string>; regions: Set<string>; min: number; max: number; at: number };

/** Remembers, per provider and request shape, what `listOffers` returned last, for GET /providers. */
export class MarketBook {
  private readonly observations = new Map<string, Map<string, Observation>>();
  private readonly clock: { now(): number };
  private readonly maxShapesPerProvider: number;

  constructor(options: { clock?: { now(): number }; maxShapesPerProvider?: number } = {}) {
    this.clock = options.clock ?? Date;
    this.maxShapesPerProvider = options.maxShapesPerProvider ?? 64;
  }

  /** The adapter, reporting each `listOffers` answer to this book. */
  observe(adapter: ProviderAdapter): ProviderAdapter {
    return withListOffers(adapter, async (request, options) => {
      const result = await adapter.listOffers(request, options);
      this.record(adapter.name, `${request.gpu_type}/${request.gpu_count}/${request.region}`, result.offers);
      return result;
    });
  }

  record(provider: string, shape: string, offers: readonly OfferInput[]): void {
    let shapes = this.observations.get(provider);
    if (!shapes) {
      shapes = new Map();
      this.observations.set(provider, shapes);
    }
    const observation: Observation = { capacity: 0, gpuTypes: new Set(), regions: new Set(), min: Infinity, max: -Infinity, at: this.clock.now() };
    for (const offer of offers) {
      if (typeof offer.capacity === 'number' && offer.capacity > 0) observation.capacity += offer.capacity;
      const gpu = normalizeGpuType(String(offer.gpu_type))?.gpu_type;
      if (gpu) observation.gpuTypes.add(gpu);
      const region = typeof offer.region === 'string' ? canonicalizeRegion(offer.region) : undefined;
      if (region) observation.regions.add(region);
      if (typeof offer.price_usd_per_hour === 'number' && offer.gpu_count > 0) {
        const perGpu = offer.price_usd_per_hour / offer.gpu_count;
        observation.min = Math.min(observation.min, perGpu);
        observation.max = Math.max(observation.max, perGpu);
      }
    }
    shapes.delete(shape);
    shapes.set(shape, observation);
    if (shapes.size > this.maxShapesPerProvider) shapes.delete(shapes.keys().next().value!);
  }

  view(provider: string): MarketView | null {
    const shapes = this.observations.get(provider);
    if (!shapes || shapes.size === 0) return null;
    let capacity = 0;
    let min = Infinity;
    let max = -Infinity;
    let at = 0;
    const gpuTypes = new Set<string>();
    const regions = new Set<string>();
    for (const observation of shapes.values()) {
      capacity += observation.capacity;
      min = Math.min(min, observation.min);
      max = Math.max(max, observation.max);
      at = Math.max(at, observation.at);
      for (const gpu of observation.gpuTypes) gpuTypes.add(gpu);
      for (const region of observation.regions) regions.add(region);
    }
    return {
      capacity,
      gpu_types: [...gpuTypes].sort(),
      regions: [...regions].sort(),
      price_range: Number.isFinite(min) ? { min_usd_per_hour: round(min), max_usd_per_hour: round(max) } : null,
      observed_at: new Date(at).toISOString(),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
