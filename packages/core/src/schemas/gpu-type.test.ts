import { describe, expect, it } from 'vitest';
import { canonicalGpuTypes, isCanonicalGpuType, normalizeGpuType } from './gpu-type';

describe('normalizeGpuType', () => {
  it.each([
    ['A100-SXM4-80GB', 'a100', 80],
    ['NVIDIA A100 80GB PCIe', 'a100', 80],
    ['NVIDIA A100-SXM4-40GB', 'a100', 40],
    ['a100_80gb', 'a100', 80],
    ['A100-80GB-SXM4', 'a100', 80],
    ['A100 SXM4', 'a100', undefined],
    ['H100_NVL', 'h100', undefined],
    ['NVIDIA H100 NVL', 'h100', undefined],
    ['H100 SXM5 80GB', 'h100', 80],
    ['NVIDIA H100 80GB HBM3', 'h100', 80],
    ['H100 PCIe', 'h100', undefined],
    ['RTX4090', '4090', undefined],
    ['rtx_4090', '4090', undefined],
    ['NVIDIA GeForce RTX 4090', '4090', undefined],
    ['RTX 4090 24GB', '4090', 24],
    ['RTX 3090 Ti', '3090ti', undefined],
    ['RTX 4070 Ti', '4070ti', undefined],
    ['RTX A6000', 'a6000', undefined],
    ['NVIDIA RTX A4500', 'a4500', undefined],
    ['RTX 6000 Ada', 'rtx6000ada', undefined],
    ['RTX 6000Ada', 'rtx6000ada', undefined],
    ['NVIDIA RTX 6000 Ada Generation', 'rtx6000ada', undefined],
    ['NVIDIA RTX 4000 Ada Generation', 'rtx4000ada', undefined],
    ['Tesla T4', 't4', undefined],
    ['Tesla V100-PCIE-16GB', 'v100', 16],
    ['NVIDIA L4', 'l4', undefined],
    ['L40S', 'l40s', undefined],
    ['A10G', 'a10g', undefined],
    ['NVIDIA A10', 'a10', undefined],
    ['AMD Instinct MI300X OAM', 'mi300x', undefined],
    ['GH200 96GB', 'gh200', 96],
    ['Quadro RTX 8000', 'quadrortx8000', undefined],
    ['TITAN RTX', 'titanrtx', undefined],
  ])('%s -> %s (%s GB)', (input, gpuType, memory) => {
    expect(normalizeGpuType(input)).toEqual(memory === undefined ? { gpu_type: gpuType } : { gpu_type: gpuType, gpu_memory_gb: memory });
  });

  it('does not read a model number ending in G as memory', () => {
    // A10G is a 24 GB card; "10G" is part of its name.
    expect(normalizeGpuType('NVIDIA A10G')?.gpu_memory_gb).toBeUndefined();
  });

  it('keeps every canonical id as itself', () => {
    for (const gpuType of canonicalGpuTypes) expect(normalizeGpuType(gpuType)?.gpu_type).toBe(gpuType);
    expect(canonicalGpuTypes.every(isCanonicalGpuType)).toBe(true);
  });

  it.each(['', '   ', 'GTX 1080', 'potato', 'NVIDIA'])('does not place %j', (input) => {
    expect(normalizeGpuType(input)).toBeUndefined();
  });
});
