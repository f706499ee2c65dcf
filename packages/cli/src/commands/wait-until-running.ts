import type { ApiClient } from '../api-client';
import { CliError, type CliContext } from '../cli-context';
import { terminalStatuses, type DeploymentView } from './deployment-types';

/** Polls the deployment, telling the user each status change, until it runs, ends or times out. */
export async function waitUntilRunning(
  context: CliContext,
  client: ApiClient,
  deploymentId: string,
  options: { timeoutMs: number; pollIntervalMs: number; quiet: boolean },
): Promise<DeploymentView> {
  const started = Date.now();
  let lastStatus = '';
  for (;;) {
    const deployment = await client.request<DeploymentView>('GET', `/deployments/${encodeURIComponent(deploymentId)}`, { signal: context.interrupted });
    if (deployment.status !== lastStatus) {
      lastStatus = deployment.status;
      if (!options.quiet) {
        const elapsed = ((Date.now() - started) / 1000).toFixed(1);
        context.stderr(`[${elapsed}s] ${deployment.status}${deployment.provider_status ? ` (${deployment.provider_status})` : ''}\n`);
      }
    }
    if (deployment.status === 'running') {
      if (!options.quiet) context.stdout(`running${deployment.endpoint ? ` at ${deployment.endpoint}` : ''}\n`);
      return deployment;
    }
    if (terminalStatuses.has(deployment.status)) {
      throw new CliError(`deployment ${deploymentId} ended ${deployment.status}${deployment.error ? `: ${deployment.error}` : ''}`);
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new CliError(`deployment ${deploymentId} is still ${deployment.status} after the wait timeout; it keeps running: check it with \`aurora status ${deploymentId}\``);
    }
    await sleep(options.pollIntervalMs, context.interrupted);
  }
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CliError('interrupted', 130));
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new CliError('interrupted', 130));
    }, { once: true });
  });
}
