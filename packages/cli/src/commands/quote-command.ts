import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';
import { printResult } from '../output/print-result';
import { buildRouteBody } from './route-command';

type QuoteView = {
  candidates: Array<{ rank: number; score: number; offer: { provider: string; offer_id: string; region: string; price_usd_per_hour: number; estimated_latency_ms: number; reputation: number } }>;
  rejection_counts?: { by_reason: Record<string, number> };
  total_offers?: number;
  eligible_count?: number;
};

export function registerQuoteCommand(program: Command, context: CliContext): void {
  program
    .command('quote')
    .description('rank the offers for a workload without deploying anything')
    .requiredOption('--workload <type>', 'llm_inference | llm_training | rendering | general')
    .requiredOption('--gpu <type>', 'GPU type')
    .option('--gpus <count>', 'number of GPUs', '1')
    .option('--region <region>', 'region or global')
    .option('--duration <time>', 'how long it runs: 2h, 90m')
    .option('--gpu-hours <hours>', 'GPU-hours of work')
    .option('--max-price <usd>', 'most USD per hour')
    .option('--max-latency <ms>', 'most latency in ms')
    .option('--min-reputation <0-100>', 'least reputation')
    .option('--limit <n>', 'rows to show', '10')
    .option('--json', 'print JSON')
    .action(async (options) => {
      const body = buildRouteBody({ ...options, env: [], port: [], waitTimeout: '0', pollInterval: '0' });
      const quote = await createApiClient(context).request<QuoteView>('POST', '/quote', { body });
      printResult(context, options.json ?? false, quote, () => {
        const rejected = Object.entries(quote.rejection_counts?.by_reason ?? {}).map(([reason, count]) => `${count} ${reason}`);
        const table = formatTable(quote.candidates.slice(0, Number(options.limit) || 10), [
          { header: 'RANK', value: (row) => row.rank, align: 'right' },
          { header: 'PROVIDER', value: (row) => row.offer.provider },
          { header: 'OFFER', value: (row) => row.offer.offer_id },
          { header: 'REGION', value: (row) => row.offer.region },
          { header: 'USD/H', value: (row) => row.offer.price_usd_per_hour, align: 'right' },
          { header: 'LATENCY_MS', value: (row) => Math.round(row.offer.estimated_latency_ms), align: 'right' },
          { header: 'REPUTATION', value: (row) => row.offer.reputation, align: 'right' },
          { header: 'SCORE', value: (row) => row.score, align: 'right' },
        ]);
        const summary = `${quote.eligible_count ?? quote.candidates.length} eligible${quote.total_offers !== undefined ? ` of ${quote.total_offers} offers` : ''}${rejected.length ? `; rejected: ${rejected.join(', ')}` : ''}\n`;
        return table + summary;
      });
    });
}
