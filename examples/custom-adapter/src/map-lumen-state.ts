import type { DeploymentStatus } from '@aurora/router';

const lumenStates: Record<string, DeploymentStatus> = {
  queued: 'pending',
  booting: 'provisioning',
  pulling: 'provisioning',
  active: 'running',
  exited: 'completed',
  error: 'failed',
  stopping: 'terminating',
  stopped: 'terminated',
};

/**
 * Lumen's instance state on Aurora's lifecycle. A state Lumen adds later maps to `provisioning`
 * (still live, neither running nor ended) so that the router keeps polling instead of failing; the
 * raw state is kept in `provider_status`.
 */
export function mapLumenState(state: string): DeploymentStatus {
  return lumenStates[state.toLowerCase()] ?? 'provisioning';
}
