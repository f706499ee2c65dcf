import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { printResult } from '../output/print-result';
import type { DeploymentView } from './deployment-types';

export function registerTerminateCommand(program: Command, context: CliContext): void {
  program
    .command('terminate')
    .description('stop a deployment at its provider (safe to repeat)')
    .argument('<id>', 'deployment id (dep-...)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const deployment = await createApiClient(context).request<DeploymentView>('DELETE', `/deployments/${encodeURIComponent(id)}`);
      printResult(context, options.json ?? false, deployment, () =>
        `deployment ${deployment.deployment_id} ${deployment.status}; cost ${deployment.cost_usd.toFixed(4)} USD\n`);
    });
}
