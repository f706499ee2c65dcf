import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAvailabilityTrace, type AvailabilityTrace } from './availability-trace';
import { parsePriceCatalog, type CatalogEntry } from './price-catalog';
import { SimulationDataError } from './simulation-data-error';
import { parseWorkloadTrace, type WorkloadTrace } from './workload-trace';

/** Real data for the market simulator; every part is optional (the synthetic market fills gaps). */
export type MarketData = {
  catalog: CatalogEntry[];
  traces: WorkloadTrace[];
  availability: AvailabilityTrace[];
  warnings: string[];
};

export type MarketDataFiles = {
  /** SkyPilot-schema price catalogs. */
  prices?: readonly string[];
  /** Workload traces (pods, image requests, cold starts), recognised by header. */
  traces?: readonly string[];
  /** A directory searched recursively for spot availability JSON traces. */
  availability?: string;
};

/** Reads and parses the given files. Only reads when called; no file is written. */
export async function loadMarketData(files: MarketDataFiles): Promise<MarketData> {
  const warnings: string[] = [];
  const catalog: CatalogEntry[] = [];
  for (const file of files.prices ?? []) {
    const parsed = parsePriceCatalog(await readText(file), file);
    if (parsed.entries.length === 0) throw new SimulationDataError({ file, reason: 'no usable GPU offer rows' });
    catalog.push(...parsed.entries);
    warnings.push(...parsed.warnings);
  }
  const traces: WorkloadTrace[] = [];
  for (const file of files.traces ?? []) traces.push(parseWorkloadTrace(await readText(file), file));
  const availability: AvailabilityTrace[] = [];
  if (files.availability !== undefined) {
    const jsonFiles = await listJsonFiles(files.availability);
    if (jsonFiles.length === 0) throw new SimulationDataError({ file: files.availability, reason: 'no .json availability traces in this directory' });
    for (const file of jsonFiles) availability.push(parseAvailabilityTrace(await readText(file), file));
  }
  return { catalog, traces, availability, warnings };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new SimulationDataError({ file, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, cause: error });
  }
}

async function listJsonFiles(directory: string): Promise<string[]> {
  let info;
  try {
    info = await stat(directory);
  } catch (error) {
    throw new SimulationDataError({ file: directory, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, cause: error });
  }
  if (!info.isDirectory()) throw new SimulationDataError({ file: directory, reason: 'expected a directory of .json traces' });
  const found: string[] = [];
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await listJsonFiles(path)));
    else if (entry.name.endsWith('.json')) found.push(path);
  }
  return found;
}
