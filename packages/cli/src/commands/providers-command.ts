import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';
import { printResult } from '../output/print-result';

type ProviderView = {
  provider: string; healthy: boolean; circuit: string; latency_ms: number | null; simulated: boolean;
  capacity?: number | null; gpu_types?: string[]; regions?: string[];
  /** USD per GPU-hour across the provider's catalogue. */
  price_range?: { min_usd_per_hour: number; max_usd_per_hour: number } | null;
};

export function registerProvidersCommand(program: Command, context: CliContext): void {
  program
    .command('providers')
    .description('list providers with health, circuit state, latency and prices')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const answer = await createApiClient(context).request<ProviderView[] | { providers: ProviderView[] }>('GET', '/providers');
      const providers = Array.isArray(answer) ? answer : answer.providers;
      printResult(context, options.json ?? false, answer, () =>
        formatTable(providers, [
          { header: 'PROVIDER', value: (row) => row.provider },
          { header: 'HEALTHY', value: (row) => (row.healthy ? 'yes' : 'no') },
          { header: 'CIRCUIT', value: (row) => row.circuit },
          { header: 'LATENCY_MS', value: (row) => (row.latency_ms === null ? null : Math.round(row.latency_ms)), align: 'right' },
          { header: 'CAPACITY', value: (row) => row.capacity, align: 'right' },
          { header: 'USD/GPU-H', value: (row) => formatRange(row.price_range) },
          { header: 'GPUS', value: (row) => row.gpu_types?.slice(0, 6) },
          { header: 'MODE', value: (row) => (row.simulated ? 'simulated' : 'real') },
        ]));
    });
}

function formatRange(range: ProviderView['price_range']): string | null {
  if (!range) return null;
  return `${range.min_usd_per_hour.toFixed(2)}-${range.max_usd_per_hour.toFixed(2)}`;
}
