import { basename } from 'node:path';
import { canonicalizeRegion, normalizeGpuType, type GpuType, type Region } from '@aurora/router';
import { parseCsv, type CsvRow } from './parse-csv';
import { SimulationDataError } from './simulation-data-error';

/** One machine shape of one provider in one region, at a price: a row of a SkyPilot catalog. */
export type CatalogEntry = {
  /** Lower-case provider id: the file name's first `_` token, or for Shadeform the InstanceType prefix. */
  provider: string;
  instance_type: string;
  gpu_type: GpuType;
  /** Memory per GPU in GB when the row says it (GpuInfo or the accelerator name). */
  gpu_memory_gb?: number;
  gpu_count: number;
  region: Exclude<Region, 'global'>;
  /** The region as the catalog spells it. */
  provider_region: string;
  /** USD per hour for the whole shape (all its GPUs). */
  price_usd_per_hour: number;
  /** USD per hour for interruptible capacity of the same shape, when the catalog has one. */
  spot_price_usd_per_hour?: number;
  /** `file:line` the entry came from. */
  source: string;
};

export type PriceCatalog = { entries: CatalogEntry[]; warnings: string[] };

const requiredColumns = ['InstanceType', 'AcceleratorName', 'AcceleratorCount', 'Price', 'Region'] as const;

/**
 * Reads a price catalog in the SkyPilot catalog CSV schema (column order free). `file` is the
 * file's path or name: its first `_`-separated token names the provider, except for Shadeform
 * (a broker), where each row's InstanceType prefix names the real cloud. Rows without a GPU are
 * skipped; rows with a GPU model or region the core does not know, or without a price, are
 * skipped with a warning; malformed rows throw `SimulationDataError` with the line.
 */
export function parsePriceCatalog(text: string, file: string): PriceCatalog {
  const table = parseCsv(text, file);
  const missing = requiredColumns.filter((column) => !table.header.includes(column));
  if (missing.length > 0) {
    throw new SimulationDataError({ file, line: 1, reason: `not a SkyPilot price catalog: missing column(s) ${missing.join(', ')}` });
  }
  const fileProvider = providerFromFileName(file);
  const entries: CatalogEntry[] = [];
  const warnings: string[] = [];
  for (const row of table.rows) {
    const entry = parseRow(row, file, fileProvider, warnings);
    if (entry) entries.push(entry);
  }
  return { entries, warnings };
}

/** The provider a catalog file stands for: the first `_` token of its name, lower-cased. */
export function providerFromFileName(file: string): string {
  const name = basename(file).replace(/\.[^.]*$/, '');
  return (name.split('_')[0] ?? name).toLowerCase();
}

function parseRow(row: CsvRow, file: string, fileProvider: string, warnings: string[]): CatalogEntry | undefined {
  const fields = row.fields;
  const where = `${basename(file)}:${row.line}`;
  const fail = (reason: string) => new SimulationDataError({ file, line: row.line, reason });
  const acceleratorName = fields['AcceleratorName']!.trim();
  const countText = fields['AcceleratorCount']!.trim();
  if (acceleratorName === '' && (countText === '' || Number(countText) === 0)) return undefined;

  const instanceType = fields['InstanceType']!.trim();
  if (instanceType === '') throw fail('InstanceType is empty');
  let provider = fileProvider;
  if (fileProvider === 'shadeform') {
    const separator = instanceType.indexOf('_');
    if (separator <= 0) throw fail(`Shadeform InstanceType "${instanceType}" has no "<cloud>_" prefix`);
    provider = instanceType.slice(0, separator).toLowerCase();
  }

  const count = Number(countText);
  if (!Number.isFinite(count) || count < 1 || !Number.isInteger(count)) {
    throw fail(`AcceleratorCount "${countText}" is not a whole number of GPUs >= 1`);
  }
  const normalized = normalizeGpuType(acceleratorName);
  if (!normalized) {
    warnings.push(`${where}: unknown GPU model "${acceleratorName}", row skipped`);
    return undefined;
  }
  const providerRegion = fields['Region']!.trim();
  const region = canonicalizeRegion(providerRegion);
  if (!region || region === 'global') {
    warnings.push(`${where}: region "${providerRegion}" cannot be placed, row skipped`);
    return undefined;
  }
  const priceText = fields['Price']!.trim();
  if (priceText === '') {
    warnings.push(`${where}: no Price, row skipped`);
    return undefined;
  }
  const price = Number(priceText);
  if (!Number.isFinite(price) || price <= 0) throw fail(`Price "${priceText}" is not a positive number of USD per hour`);
  const spotText = (fields['SpotPrice'] ?? '').trim();
  const spot = spotText === '' ? 0 : Number(spotText);
  if (!Number.isFinite(spot) || spot < 0) throw fail(`SpotPrice "${spotText}" is not a number of USD per hour`);

  const memory = memoryFromGpuInfo(fields['GpuInfo'] ?? '', count) ?? normalized.gpu_memory_gb;
  return {
    provider,
    instance_type: instanceType,
    gpu_type: normalized.gpu_type,
    ...(memory !== undefined ? { gpu_memory_gb: memory } : {}),
    gpu_count: count,
    region,
    provider_region: providerRegion,
    price_usd_per_hour: price,
    ...(spot > 0 ? { spot_price_usd_per_hour: spot } : {}),
    source: where,
  };
}

/**
 * GB per GPU from SkyPilot's GpuInfo text. Its `SizeInMiB` is the offer's total MiB in some
 * catalogs (Vast), MiB per GPU in others, and GB per GPU in others (Shadeform): values below 256
 * can only be GB; otherwise `TotalGpuMemoryInMiB` tells total from per-GPU.
 */
export function memoryFromGpuInfo(gpuInfo: string, gpuCount: number): number | undefined {
  const size = Number(gpuInfo.match(/'SizeInMiB':\s*([\d.]+)/)?.[1]);
  if (!Number.isFinite(size) || size <= 0) return undefined;
  if (size < 256) return Math.round(size);
  const total = Number(gpuInfo.match(/'TotalGpuMemoryInMiB':\s*([\d.]+)/)?.[1]);
  const perGpuMiB = Number.isFinite(total) && gpuCount > 1 && Math.abs(total - size) < 1 ? size / gpuCount : size;
  return Math.round(perGpuMiB / 1024);
}
