import type { HealthCheckResultV1 } from '@aurora/router';
import type { AkashClient } from './akash-client';
import { toAuroraError } from './akash-errors';
import type { ResolvedAkashSettings } from './akash-settings';

const operation = 'health_check';

/**
 * Healthy when the Console API's liveness and readiness probes answer 200 with every check true
 * and the chain is reachable (GET /v1/blockchain-status). All three are public. A probe that fails
 * to answer makes the result unhealthy with a message; only an abort by the caller throws.
 */
export async function checkAkashHealth(client: AkashClient, settings: ResolvedAkashSettings, signal?: AbortSignal): Promise<HealthCheckResultV1> {
  const started = settings.now();
  const [liveness, readiness, chain] = await Promise.allSettled([
    client.healthz('liveness', { operation, signal }),
    client.healthz('readiness', { operation, signal }),
    client.blockchainStatus({ operation, signal }),
  ]);
  if (signal?.aborted) throw toAuroraError(signal.reason, settings.name, operation, signal);
  const latency_ms = Math.max(0, settings.now() - started);
  const problems: string[] = [];
  for (const [probe, result] of [['liveness', liveness], ['readiness', readiness]] as const) {
    if (result.status === 'rejected') {
      problems.push(`${probe}: ${describe(result.reason)}`);
      continue;
    }
    const failing = Object.entries(result.value.checks).filter(([, ok]) => ok !== true).map(([name]) => name);
    if (result.value.status !== 200 || failing.length > 0) {
      problems.push(`${probe}: HTTP ${result.value.status}${failing.length > 0 ? ` (${failing.join(', ')} not ok)` : ''}`);
    }
  }
  if (chain.status === 'rejected') problems.push(`blockchain-status: ${describe(chain.reason)}`);
  else if (!chain.value.isBlockchainReachable) problems.push('blockchain not reachable');
  return problems.length === 0 ? { healthy: true, latency_ms } : { healthy: false, latency_ms, message: problems.join('; ') };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
