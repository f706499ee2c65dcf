import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import { CliError, type CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';
import { printResult } from '../output/print-result';
import { parseDurationHours } from '../parse-duration';
import { waitUntilRunning } from './wait-until-running';

type RouteOptions = {
  workload: string; gpu: string; gpus: string; region?: string; duration?: string; gpuHours?: string;
  maxPrice?: string; maxLatency?: string; minReputation?: string; image?: string; env: string[]; port: string[];
  idempotencyKey?: string; wait?: boolean; waitTimeout: string; pollInterval: string; json?: boolean;
};

type RouteResponse = {
  provider: string; price_usd_per_hour: number; estimated_latency_ms: number; deployment_id: string; status: string;
  decision?: { candidates?: Array<{ rank: number; score: number; offer: { provider: string; offer_id: string; price_usd_per_hour: number; region: string } }>; arm?: string };
};

export function registerRouteCommand(program: Command, context: CliContext): void {
  program
    .command('route')
    .description('choose the best provider for a GPU workload and deploy it')
    .requiredOption('--workload <type>', 'llm_inference | llm_training | rendering | general')
    .requiredOption('--gpu <type>', 'GPU type: a100, h100, 4090, ...')
    .option('--gpus <count>', 'number of GPUs', '1')
    .option('--region <region>', 'us-west, eu-central, ... or global')
    .option('--duration <time>', 'how long it runs: 2h, 90m, 1d (gpu_hours = duration x GPUs)')
    .option('--gpu-hours <hours>', 'GPU-hours of work (instead of --duration)')
    .option('--max-price <usd>', 'most USD per hour for the whole request')
    .option('--max-latency <ms>', 'most estimated latency in ms')
    .option('--min-reputation <0-100>', 'least provider reputation')
    .option('--image <image>', 'container image')
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', collect, [])
    .option('--port <port>', 'port to expose (repeatable)', collect, [])
    .option('--idempotency-key <key>', 'retry-safe key: the same key returns the first deployment')
    .option('--wait', 'show progress while provisioning and exit when running')
    .option('--wait-timeout <time>', 'give up waiting after this long', '15m')
    .option('--poll-interval <ms>', 'status poll interval with --wait', '1000')
    .option('--json', 'print JSON')
    .action(async (options: RouteOptions) => {
      const body = buildRouteBody(options);
      const client = createApiClient(context);
      const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
      const result = await client.request<RouteResponse>('POST', '/route', { body, headers, signal: context.interrupted });
      if (!options.wait) {
        printResult(context, options.json ?? false, result, () => describeRoute(result));
        return;
      }
      if (!options.json) context.stdout(describeRoute(result));
      const timeoutHours = parseDurationHours(options.waitTimeout);
      if (timeoutHours === undefined) throw new CliError(`--wait-timeout: cannot read "${options.waitTimeout}"`);
      const deployment = await waitUntilRunning(context, client, result.deployment_id, {
        timeoutMs: timeoutHours * 3_600_000,
        pollIntervalMs: positiveNumber(options.pollInterval, '--poll-interval'),
        quiet: options.json ?? false,
      });
      if (options.json) context.stdout(`${JSON.stringify({ ...result, status: deployment.status, deployment }, null, 2)}\n`);
    });
}

export function buildRouteBody(options: RouteOptions): Record<string, unknown> {
  const gpuCount = positiveInteger(options.gpus, '--gpus');
  const body: Record<string, unknown> = { workload_type: options.workload, gpu_type: options.gpu, gpu_count: gpuCount };
  if (options.region) body.region = options.region;
  if (options.duration && options.gpuHours) throw new CliError('give --duration or --gpu-hours, not both');
  if (options.duration) {
    const hours = parseDurationHours(options.duration);
    if (hours === undefined) throw new CliError(`--duration: cannot read "${options.duration}" (use 2h, 90m, 1d)`);
    body.gpu_hours = round(hours * gpuCount);
  }
  if (options.gpuHours) body.gpu_hours = positiveNumber(options.gpuHours, '--gpu-hours');
  if (options.maxPrice) body.max_price = positiveNumber(options.maxPrice, '--max-price');
  if (options.maxLatency) body.max_latency_ms = positiveNumber(options.maxLatency, '--max-latency');
  if (options.minReputation) body.min_reputation = Number(options.minReputation);
  if (options.image) body.image = options.image;
  if (options.env.length > 0) body.env = Object.fromEntries(options.env.map(parseEnvironmentPair));
  if (options.port.length > 0) body.ports = options.port.map((port) => positiveInteger(port, '--port'));
  return body;
}

function describeRoute(result: RouteResponse): string {
  const lines = [
    `deployment ${result.deployment_id} on ${result.provider}: ${result.status}`,
    `price ${result.price_usd_per_hour.toFixed(3)} USD/h, estimated latency ${Math.round(result.estimated_latency_ms)} ms${result.decision?.arm ? `, arm ${result.decision.arm}` : ''}`,
  ];
  const candidates = result.decision?.candidates?.slice(0, 5) ?? [];
  if (candidates.length > 0) {
    lines.push('', formatTable(candidates, [
      { header: 'RANK', value: (row) => row.rank, align: 'right' },
      { header: 'PROVIDER', value: (row) => row.offer.provider },
      { header: 'REGION', value: (row) => row.offer.region },
      { header: 'USD/H', value: (row) => row.offer.price_usd_per_hour, align: 'right' },
      { header: 'SCORE', value: (row) => row.score, align: 'right' },
    ]).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseEnvironmentPair(pair: string): [string, string] {
  const separator = pair.indexOf('=');
  if (separator <= 0) throw new CliError(`--env: expected KEY=VALUE, got "${pair}"`);
  return [pair.slice(0, separator), pair.slice(separator + 1)];
}

function positiveNumber(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new CliError(`${option}: expected a positive number, got "${value}"`);
  return number;
}

function positiveInteger(value: string, option: string): number {
  const number = positiveNumber(value, option);
  if (!Number.isInteger(number)) throw new CliError(`${option}: expected a whole number, got "${value}"`);
  return number;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
