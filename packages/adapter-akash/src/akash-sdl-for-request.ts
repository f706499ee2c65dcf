import type { Offer, RoutingRequest } from '@aurora/router';
import { akashGpuModelFor } from './akash-gpu-model';
import { akashUsdPerHourToPricePerBlock } from './akash-price';
import { buildAkashSdl, type AkashSdlInput } from './akash-sdl';
import type { ResolvedAkashSettings } from './akash-settings';

export type AkashSdlForRequest = ReturnType<typeof buildAkashSdl> & { ceilingUsdPerHour: number };

/**
 * The SDL input for a request placed on one of our offers: the GPU model as the catalog spells it
 * (from the offer), the workload (image, env, ports, command), resources scaled by GPU count, and a
 * price ceiling of `max_price`, else the offer's price times `priceCeilingMultiplier`.
 */
export function akashSdlForRequest(
  request: RoutingRequest,
  offer: Offer,
  settings: ResolvedAkashSettings,
  aktUsd: number | undefined,
): AkashSdlForRequest {
  const metadata = offerGpu(offer);
  const fallback = akashGpuModelFor(request.gpu_type);
  const gpu = {
    vendor: metadata?.vendor ?? fallback.vendor,
    model: metadata?.model ?? fallback.model,
    ram: metadata?.ram ?? null,
    units: request.gpu_count,
  };
  const ceilingUsdPerHour = request.max_price ?? offer.price_usd_per_hour * settings.priceCeilingMultiplier;
  const input: AkashSdlInput = {
    serviceName: settings.serviceName,
    image: request.image ?? settings.defaultImage,
    // Without an image of its own the default image has nothing to run; keep the container alive.
    command: request.command ?? (request.image ? undefined : ['sleep', 'infinity']),
    env: request.env,
    ports: request.ports,
    gpu,
    cpuUnits: settings.resources.cpuUnitsPerGpu * request.gpu_count,
    memoryGi: settings.resources.memoryGiPerGpu * request.gpu_count,
    storageGi: settings.resources.storageGi,
    pricing: { denom: settings.denom, amount: akashUsdPerHourToPricePerBlock(ceilingUsdPerHour, settings.denom, { aktUsd }) },
  };
  return { ...buildAkashSdl(input), ceilingUsdPerHour };
}

/** The catalog GPU spelling our own offers carry in `provider_metadata.akash`. */
function offerGpu(offer: Offer): { vendor: string; model: string; ram: string | null } | undefined {
  const akash = offer.provider_metadata['akash'];
  if (typeof akash !== 'object' || akash === null) return undefined;
  const { vendor, model, ram } = akash as Record<string, unknown>;
  if (typeof vendor !== 'string' || typeof model !== 'string') return undefined;
  return { vendor, model, ram: typeof ram === 'string' ? ram : null };
}
