import { describe, expect, it } from 'vitest';
import { fixtureContents } from '../__fixtures__/market-files';
import { memoryFromGpuInfo, parsePriceCatalog, providerFromFileName } from './price-catalog';
import { SimulationDataError } from './simulation-data-error';

describe('parsePriceCatalog', () => {
  it('reads a Vast catalog: provider from the file name, canonical GPU and region, per-GPU memory from total MiB', () => {
    const { entries, warnings } = parsePriceCatalog(fixtureContents.vastCatalog, '/data/vast_catalog_test.csv');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({
      provider: 'vast', instance_type: '1x-H100_SXM-32-65536', gpu_type: 'h100', gpu_memory_gb: 80, gpu_count: 1,
      region: 'us-central', provider_region: 'Texas, US, NA', price_usd_per_hour: 1.9, source: 'vast_catalog_test.csv:2',
    });
    // Two GPUs, 163,118 MiB in all: 80 GB each; Price stays the whole offer's.
    expect(entries[1]).toMatchObject({ gpu_count: 2, gpu_memory_gb: 80, region: 'eu-central', price_usd_per_hour: 3.7 });
    expect(entries[2]).toMatchObject({ gpu_type: '4090', gpu_memory_gb: 24, region: 'us-west' });
    // Vast's SpotPrice 0.00 means "not populated", not free spot capacity.
    expect(entries.every((entry) => entry.spot_price_usd_per_hour === undefined)).toBe(true);
    expect(warnings).toEqual(['vast_catalog_test.csv:5: unknown GPU model "MysteryGPU", row skipped']);
  });

  it('reads a RunPod catalog in its own column order, with spot prices and country-code regions', () => {
    const { entries } = parsePriceCatalog(fixtureContents.runpodCatalog, 'runpod_catalog_test.csv');
    expect(entries.map((entry) => [entry.provider, entry.gpu_type, entry.gpu_count, entry.region, entry.price_usd_per_hour, entry.spot_price_usd_per_hour])).toEqual([
      ['runpod', 'h100', 1, 'us-east', 4.1, undefined],
      ['runpod', '4090', 1, 'us-east', 0.7, 0.45],
      ['runpod', '4090', 1, 'eu-north', 0.7, 0.45],
      ['runpod', '4090', 2, 'us-east', 1.4, 0.9],
    ]);
  });

  it('takes a Shadeform row provider from the InstanceType prefix and GB per GPU from its GpuInfo', () => {
    const { entries } = parsePriceCatalog(fixtureContents.shadeformCatalog, 'shadeform_catalog_test.csv');
    expect(entries.map((entry) => [entry.provider, entry.gpu_type, entry.gpu_count, entry.gpu_memory_gb, entry.region])).toEqual([
      ['cloudalpha', 'h100', 1, 80, 'us-central'],
      ['cloudbeta', 'a6000', 4, 48, 'us-east'],
    ]);
  });

  it('names the file and line of malformed rows', () => {
    const header = fixtureContents.runpodCatalog.split('\n')[0];
    const badCount = `${header}\n1x_H100_SECURE,H100,1.0,16.0,80.0,H100,US,,4.10\n1x_H100_SECURE,H100,one,16.0,80.0,H100,US,,4.10`;
    expect(catchError(() => parsePriceCatalog(badCount, 'runpod_bad.csv'))).toMatchObject({ file: 'runpod_bad.csv', line: 3 });
    const badPrice = `${header}\n1x_H100_SECURE,H100,1.0,16.0,80.0,H100,US,,free`;
    const error = catchError(() => parsePriceCatalog(badPrice, 'runpod_bad.csv'));
    expect(SimulationDataError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('runpod_bad.csv:2: Price "free" is not a positive number of USD per hour');
    const noPrefix = fixtureContents.shadeformCatalog.replace('cloudalpha_H100', 'H100');
    expect(catchError(() => parsePriceCatalog(noPrefix, 'shadeform_x.csv'))).toMatchObject({ line: 2 });
  });

  it('rejects a file that is not a price catalog, at line 1', () => {
    const error = catchError(() => parsePriceCatalog('name,value\na,1', 'notes.csv'));
    expect(error).toMatchObject({ file: 'notes.csv', line: 1 });
    expect((error as Error).message).toContain('missing column(s) InstanceType, AcceleratorName, AcceleratorCount, Price, Region');
  });
});

describe('catalog helpers', () => {
  it('takes the provider from the first _ token of the file name', () => {
    expect(providerFromFileName('/x/y/Vast_catalog_v7.csv')).toBe('vast');
    expect(providerFromFileName('lambdalabs.csv')).toBe('lambdalabs');
  });

  it('reads GpuInfo memory in every unit the catalogs use', () => {
    expect(memoryFromGpuInfo("{'SizeInMiB': 48, 'TotalGpuMemoryInMiB': 192}", 4)).toBe(48);
    expect(memoryFromGpuInfo("{'SizeInMiB': 163118}], 'TotalGpuMemoryInMiB': 163118}", 2)).toBe(80);
    expect(memoryFromGpuInfo("{'SizeInMiB': 24576}], 'TotalGpuMemoryInMiB': 98304}", 4)).toBe(24);
    expect(memoryFromGpuInfo('A100-80GB', 1)).toBeUndefined();
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
