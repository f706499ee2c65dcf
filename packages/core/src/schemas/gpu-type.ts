/**
 * One alias table for GPU models. Providers spell the same card many ways ("A100-SXM4-80GB",
 * "NVIDIA A100 80GB PCIe", "a100_80gb"); the router compares canonical ids and keeps the memory
 * size as a separate field.
 */
export const canonicalGpuTypes = [
  'b200', 'h200', 'h100', 'gh200', 'a100', 'a800', 'l40s', 'l40', 'l4', 'a40', 'a30', 'a10g', 'a10',
  'a16', 'a2', 'a6000', 'a5000', 'a4500', 'a4000', 'rtx6000ada', 'rtx5000ada', 'rtx4000ada',
  '5090', '4090', '4080', '4070ti', '4070', '4060ti', '3090ti', '3090', '3080ti', '3080', '3070', '3060',
  'v100', 't4', 'p100', 'p40', 'p4', 'k80', 'mi300x', 'mi250', 'mi210', 'titanrtx', 'quadrortx8000',
] as const;

export type GpuType = (typeof canonicalGpuTypes)[number];

const canonicalSet = new Set<string>(canonicalGpuTypes);

/** Spellings that do not reduce to a canonical id by stripping vendor words and memory. */
const aliases: Record<string, GpuType> = {
  rtx4090: '4090', geforcertx4090: '4090', rtx5090: '5090', rtx4080: '4080', rtx4070ti: '4070ti',
  rtx4070: '4070', rtx4060ti: '4060ti', rtx3090: '3090', rtx3090ti: '3090ti', rtx3080: '3080',
  rtx3080ti: '3080ti', rtx3070: '3070', rtx3060: '3060', rtxa6000: 'a6000', rtxa5000: 'a5000',
  rtxa4500: 'a4500', rtxa4000: 'a4000', a6000ada: 'rtx6000ada', rtx6000: 'rtx6000ada',
  l40g: 'l40', v100m16: 'v100', v100m32: 'v100', tesla: 't4', instinctmi300x: 'mi300x',
  h100sxm: 'h100', h100pcie: 'h100', h100nvl: 'h100', a100sxm: 'a100', a100pcie: 'a100',
  rtx6000adageneration: 'rtx6000ada', rtxpro6000: 'rtx6000ada', titanrtx: 'titanrtx',
  quadrortx8000: 'quadrortx8000', a10gpu: 'a10',
};

export type NormalizedGpu = { gpu_type: GpuType; gpu_memory_gb?: number };

// Not preceded by a letter or digit, so the model number in "A10G" is not read as 10 GB.
const memoryPattern = /(?<![a-z0-9])(\d{1,3})\s*g(?:i?b)?(?![a-z0-9])/i;
const noiseWords = /\b(nvidia|geforce|tesla|amd|radeon|gpu|tensor core|generation|sxm\d?|pcie|nvl|nvlink|hbm\d?e?|\d+\s*g(i?b)?)\b/gi;

/** Canonical id and memory of a GPU name, or `undefined` when the name is not a known GPU. */
export function normalizeGpuType(input: string): NormalizedGpu | undefined {
  const raw = input.trim().toLowerCase();
  if (raw.length === 0) return undefined;
  const memoryMatch = raw.match(memoryPattern);
  const memory = memoryMatch ? Number(memoryMatch[1]) : undefined;
  const gpuMemory = memory !== undefined && memory >= 4 ? { gpu_memory_gb: memory } : {};

  const compactAll = raw.replace(/[^a-z0-9]/g, '');
  const direct = lookup(compactAll);
  if (direct) return { gpu_type: direct, ...gpuMemory };

  const withoutNoise = raw.replace(/[-_/]/g, ' ').replace(noiseWords, ' ');
  const compact = withoutNoise.replace(/[^a-z0-9]/g, '');
  const stripped = lookup(compact);
  if (stripped) return { gpu_type: stripped, ...gpuMemory };

  // Last resort: the first token that is itself a known id ("A100-80GB-SXM4" -> a100).
  for (const token of withoutNoise.split(/\s+/)) {
    const found = lookup(token.replace(/[^a-z0-9]/g, ''));
    if (found) return { gpu_type: found, ...gpuMemory };
  }
  return undefined;
}

function lookup(key: string): GpuType | undefined {
  if (canonicalSet.has(key)) return key as GpuType;
  return aliases[key];
}

export function isCanonicalGpuType(value: string): value is GpuType {
  return canonicalSet.has(value);
}
