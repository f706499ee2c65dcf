import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { printResult } from '../output/print-result';
import type { DeploymentView } from './deployment-types';

export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command('status')
    .description('show one deployment: status, provider ids, price, cost so far')
    .argument('<id>', 'deployment id (dep-...)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const deployment = await createApiClient(context).request<DeploymentView>('GET', `/deployments/${encodeURIComponent(id)}`);
      printResult(context, options.json ?? false, deployment, () => describeDeployment(deployment));
    });
}

export function describeDeployment(deployment: DeploymentView): string {
  const rows: Array<[string, unknown]> = [
    ['deployment', deployment.deployment_id],
    ['status', statusText(deployment)],
    ['provider', `${deployment.provider}${deployment.provider_deployment_id ? ` ${deployment.provider_deployment_id}` : ''}`],
    ['gpu', `${deployment.gpu_count} x ${deployment.gpu_type} in ${deployment.region}`],
    ['price', `${deployment.price_usd_per_hour.toFixed(3)} USD/h`],
    ['cost so far', `${deployment.cost_usd.toFixed(4)} USD`],
    ['endpoint', deployment.endpoint],
    ['created', deployment.created_at],
    ['started', deployment.started_at],
    ['ended', deployment.ended_at],
    ['error', deployment.error],
  ];
  return rows
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([label, value]) => `${label.padEnd(12)} ${String(value)}`)
    .join('\n')
    .concat('\n');
}

const endedStatuses = new Set(['completed', 'failed', 'terminated']);

/**
 * "running (lease_active_ready)". Once a deployment has ended, the provider's status is the last
 * one seen before it did (a terminate does not read it again), and says so.
 */
function statusText({ status, provider_status: providerStatus }: DeploymentView): string {
  if (!providerStatus) return status;
  return endedStatuses.has(status) ? `${status} (last provider status: ${providerStatus})` : `${status} (${providerStatus})`;
}
