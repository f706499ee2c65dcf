import { basename } from 'node:path';
import { normalizeGpuType, type GpuType } from '@aurora/router';
import { parseCsv, type CsvRow, type CsvTable } from './parse-csv';
import { SimulationDataError } from './simulation-data-error';

/** One unit of work from a trace: when it arrived, how many GPUs, how long it ran. */
export type TraceJob = {
  /** Seconds from an arbitrary origin (the trace's own). */
  arrival_s: number;
  gpu_count: number;
  /** Run length in seconds; absent when the trace does not say (a task that never ran). */
  duration_s?: number;
  /** Quality-of-service class where the trace has one (Alibaba: LS, BE, Burstable, Guaranteed). */
  qos?: string;
  /** GPU models the job accepts, canonical ids of the ones the core knows; empty = any. */
  gpu_models: GpuType[];
};

/** A trace recognised by its header. */
export type WorkloadTrace =
  | { kind: 'gpu-pods'; file: string; jobs: TraceJob[] }
  | { kind: 'image-requests'; file: string; jobs: TraceJob[] }
  | { kind: 'cold-start'; file: string; samples_ms: number[] };

const podColumns = ['num_gpu', 'gpu_milli', 'creation_time', 'scheduled_time', 'deletion_time'];
const imageColumns = ['gmt_create', 'exec_time_seconds'];
const coldStartColumns = ['timestamp_anon', 'value'];

/**
 * Reads a workload trace, recognised by its header: the Alibaba GPU pod list (cluster-trace-gpu-v2023
 * openb_pod_list_*.csv), the Stable Diffusion request trace (cluster-trace-v2026-GenAI
 * lora_request_trace.csv) or the base-model load (cold start) latency trace (its `value` in ms).
 */
export function parseWorkloadTrace(text: string, file: string): WorkloadTrace {
  const table = parseCsv(text, file);
  const has = (columns: string[]) => columns.every((column) => table.header.includes(column));
  const name = basename(file);
  if (has(podColumns)) return { kind: 'gpu-pods', file: name, jobs: parsePods(table, file) };
  if (has(imageColumns)) return { kind: 'image-requests', file: name, jobs: parseImageRequests(table, file) };
  if (has(coldStartColumns)) return { kind: 'cold-start', file: name, samples_ms: parseColdStarts(table, file) };
  throw new SimulationDataError({
    file,
    line: 1,
    reason: `unrecognised trace header (${table.header.join(',')}); expected the Alibaba GPU pod list (${podColumns.join(', ')}), ` +
      `the Stable Diffusion request trace (${imageColumns.join(', ')}) or the cold-start latency trace (${coldStartColumns.join(', ')})`,
  });
}

function parsePods(table: CsvTable, file: string): TraceJob[] {
  const jobs: TraceJob[] = [];
  for (const row of table.rows) {
    const gpus = integerField(row, 'num_gpu', file, { optional: false })!;
    const milli = integerField(row, 'gpu_milli', file, { optional: true }) ?? 0;
    if (gpus === 0 && milli === 0) continue; // CPU-only task
    const created = numberField(row, 'creation_time', file, { optional: false })!;
    const scheduled = numberField(row, 'scheduled_time', file, { optional: true });
    const deleted = numberField(row, 'deletion_time', file, { optional: true });
    const duration = scheduled !== undefined && deleted !== undefined ? deleted - scheduled : undefined;
    if (duration !== undefined && duration < 0) {
      throw new SimulationDataError({ file, line: row.line, reason: `deletion_time ${deleted} is before scheduled_time ${scheduled}` });
    }
    const spec = (row.fields['gpu_spec'] ?? '').trim();
    const models = spec === ''
      ? []
      : [...new Set(spec.split('|').map((model) => normalizeGpuType(model)?.gpu_type).filter((model): model is GpuType => model !== undefined))];
    const qos = (row.fields['qos'] ?? '').trim();
    jobs.push({
      arrival_s: created,
      gpu_count: Math.max(1, gpus),
      ...(duration !== undefined ? { duration_s: Math.max(1, duration) } : {}),
      ...(qos !== '' ? { qos } : {}),
      gpu_models: models,
    });
  }
  return jobs;
}

function parseImageRequests(table: CsvTable, file: string): TraceJob[] {
  const jobs: TraceJob[] = [];
  for (const row of table.rows) {
    const created = (row.fields['gmt_create'] ?? '').trim();
    const time = Date.parse(`${created.replace(' ', 'T')}Z`);
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(created) || Number.isNaN(time)) {
      throw new SimulationDataError({ file, line: row.line, reason: `gmt_create "${created}" is not a "YYYY-MM-DD HH:MM:SS" time` });
    }
    const exec = numberField(row, 'exec_time_seconds', file, { optional: true });
    jobs.push({
      arrival_s: time / 1000,
      gpu_count: 1,
      ...(exec !== undefined ? { duration_s: Math.max(1, exec) } : {}),
      gpu_models: [],
    });
  }
  return jobs;
}

function parseColdStarts(table: CsvTable, file: string): number[] {
  const samples: number[] = [];
  for (const row of table.rows) {
    const value = numberField(row, 'value', file, { optional: false })!;
    if (value < 0) throw new SimulationDataError({ file, line: row.line, reason: `value ${value} ms is negative` });
    samples.push(value);
  }
  if (samples.length === 0) throw new SimulationDataError({ file, reason: 'the cold-start trace has no rows' });
  return samples;
}

function numberField(row: CsvRow, column: string, file: string, { optional }: { optional: boolean }): number | undefined {
  const text = (row.fields[column] ?? '').trim();
  if (text === '') {
    if (optional) return undefined;
    throw new SimulationDataError({ file, line: row.line, reason: `${column} is empty` });
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new SimulationDataError({ file, line: row.line, reason: `${column} "${text}" is not a number` });
  return value;
}

function integerField(row: CsvRow, column: string, file: string, options: { optional: boolean }): number | undefined {
  const value = numberField(row, column, file, options);
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new SimulationDataError({ file, line: row.line, reason: `${column} "${row.fields[column]}" is not a whole number >= 0` });
  }
  return value;
}
