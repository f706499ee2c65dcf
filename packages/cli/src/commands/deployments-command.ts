import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';
import { printResult } from '../output/print-result';
import type { DeploymentView } from './deployment-types';

export function registerDeploymentsCommand(program: Command, context: CliContext): void {
  program
    .command('deployments')
    .description('list deployments, newest first')
    .option('--status <status>', 'only this status')
    .option('--provider <provider>', 'only this provider')
    .option('--limit <n>', 'page size', '20')
    .option('--cursor <cursor>', 'the next_cursor of the previous page')
    .option('--json', 'print JSON')
    .action(async (options: { status?: string; provider?: string; limit: string; cursor?: string; json?: boolean }) => {
      const page = await createApiClient(context).request<{ deployments: DeploymentView[]; next_cursor: string | null }>('GET', '/deployments', {
        query: { status: options.status, provider: options.provider, limit: options.limit, cursor: options.cursor },
      });
      printResult(context, options.json ?? false, page, () =>
        formatTable(page.deployments, [
          { header: 'DEPLOYMENT', value: (row) => row.deployment_id },
          { header: 'STATUS', value: (row) => row.status },
          { header: 'PROVIDER', value: (row) => row.provider },
          { header: 'GPU', value: (row) => `${row.gpu_count}x${row.gpu_type}` },
          { header: 'REGION', value: (row) => row.region },
          { header: 'USD/H', value: (row) => row.price_usd_per_hour, align: 'right' },
          { header: 'COST', value: (row) => row.cost_usd, align: 'right' },
          { header: 'CREATED', value: (row) => row.created_at },
        ]) + (page.next_cursor ? `more: --cursor ${page.next_cursor}\n` : ''));
    });
}
