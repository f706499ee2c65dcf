import { canonicalizeRegion, normalizeGpuType, type ProviderAdapter } from '@aurora/router';
import { withListOffers } from './with-list-offers';

export type OfferRestrictions = {
  /** providers.yaml `gpu_types`: only these GPU types are offered. */
  gpuTypes?: readonly string[];
  /** providers.yaml `default_region`: where requests for `global` are placed on this provider. */
  defaultRegion?: string;
};

/**
 * The adapter with the operator's restrictions from providers.yaml applied to its offers. A
 * request for a GPU type the provider may not offer gets no offers without calling it.
 */
export function restrictOffers(adapter: ProviderAdapter, restrictions: OfferRestrictions): ProviderAdapter {
  const allowed = restrictions.gpuTypes ? new Set(restrictions.gpuTypes) : undefined;
  const defaultRegion = restrictions.defaultRegion;
  if (!allowed && defaultRegion === undefined) return adapter;
  return withListOffers(adapter, async (request, options) => {
    if (allowed && !allowed.has(request.gpu_type)) return { offers: [], warnings: [] };
    const result = await adapter.listOffers(request, options);
    const offers = result.offers.filter((offer) => {
      if (allowed) {
        const type = normalizeGpuType(String(offer.gpu_type))?.gpu_type;
        if (type === undefined || !allowed.has(type)) return false;
      }
      return defaultRegion === undefined || request.region !== 'global' || canonicalizeRegion(String(offer.region)) === defaultRegion;
    });
    return { ...result, offers };
  });
}
