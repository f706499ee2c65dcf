import { normalizeGpuType, type GpuType } from '@aurora/router';

/** Akash's SDL model names where they differ from our canonical ids (`/v1/gpu-models` spelling). */
const akashModelNames: Partial<Record<GpuType, string>> = {
  '5090': 'rtx5090', '4090': 'rtx4090', '4080': 'rtx4080', '4070ti': 'rtx4070ti', '4070': 'rtx4070',
  '4060ti': 'rtx4060ti', '3090ti': 'rtx3090ti', '3090': 'rtx3090', '3080ti': 'rtx3080ti', '3080': 'rtx3080',
  '3070': 'rtx3070', '3060': 'rtx3060', a6000: 'rtxa6000', a5000: 'rtxa5000', a4500: 'rtxa4500', a4000: 'rtxa4000',
};

export type AkashGpuModel = { vendor: string; model: string };

/** The SDL vendor and model for a canonical GPU type (used when the catalog gave us nothing better). */
export function akashGpuModelFor(gpuType: string): AkashGpuModel {
  const model = akashModelNames[gpuType as GpuType] ?? gpuType;
  const vendor = gpuType.startsWith('mi') ? 'amd' : 'nvidia';
  return { vendor, model };
}

/** Our canonical GPU type for an Akash catalog model name ("rtx4090" -> "4090"), or undefined. */
export function canonicalGpuTypeOf(akashModel: string): GpuType | undefined {
  return normalizeGpuType(akashModel)?.gpu_type;
}

/** GB of an Akash memory string ("80Gi", "24GB", "16G"); undefined when unreadable. */
export function parseAkashMemoryGb(ram: string | null | undefined): number | undefined {
  if (!ram) return undefined;
  const match = ram.trim().match(/^(\d+(?:\.\d+)?)\s*(gi|g|gb|gib)?$/i);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
