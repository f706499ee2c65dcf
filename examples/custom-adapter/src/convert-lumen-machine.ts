import { canonicalizeRegion, normalizeGpuType, type OfferInput, type RoutingRequest } from '@aurora/router';
import { lumenMachineSchema } from './lumen-api';

/** Without a measured ping, assume a cross-region round trip. */
const defaultLatencyMs = 150;

export type ConvertedMachine = { offer: OfferInput; warning?: undefined } | { offer?: undefined; warning: string };

/**
 * One Lumen machine as an Aurora offer, or a warning saying why it was skipped. Prices are per
 * machine-hour, which is the whole request's price since Lumen rents whole machines.
 */
export function convertLumenMachine(raw: unknown, request: RoutingRequest, provider: string, quotedAt: string): ConvertedMachine {
  const parsed = lumenMachineSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : '(no id)';
    return { warning: `machine ${id} skipped: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}` };
  }
  const machine = parsed.data;
  const gpu = normalizeGpuType(machine.gpu_model);
  if (!gpu) return { warning: `machine ${machine.id} skipped: unknown GPU model "${machine.gpu_model}"` };
  if (gpu.gpu_type !== request.gpu_type) {
    return { warning: `machine ${machine.id} skipped: ${gpu.gpu_type} returned for a ${request.gpu_type} query` };
  }
  if (machine.gpu_count < request.gpu_count) {
    return { warning: `machine ${machine.id} skipped: ${machine.gpu_count} GPU(s) returned for a ${request.gpu_count}-GPU query` };
  }
  const region = canonicalizeRegion(machine.location);
  if (!region) return { warning: `machine ${machine.id} skipped: unknown location "${machine.location}"` };

  const memory = machine.vram_gb ?? gpu.gpu_memory_gb;
  return {
    offer: {
      provider,
      offer_id: machine.id,
      gpu_type: gpu.gpu_type,
      ...(memory !== undefined ? { gpu_memory_gb: memory } : {}),
      gpu_count: machine.gpu_count,
      region,
      price_usd_per_hour: machine.hourly_usd,
      estimated_latency_ms: machine.ping_ms ?? defaultLatencyMs,
      // Unknown ratings land mid-scale rather than at the extremes.
      reputation: machine.host_rating != null ? machine.host_rating * 20 : 50,
      availability: machine.uptime_pct != null ? machine.uptime_pct / 100 : 0.5,
      capacity: machine.available ?? 1,
      interruptible: machine.spot ?? false,
      quoted_at: quotedAt,
      provider_metadata: { lumen: { machine_id: machine.id, location: machine.location, gpu_model: machine.gpu_model } },
    },
  };
}
