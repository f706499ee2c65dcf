import { InvalidArgumentError, isTerminalStatus, type ListDeploymentsResultV1, type ListedDeploymentV1 } from '@aurora/router';
import type { IonetDeploymentSummary } from './ionet-api';
import { toProviderDeploymentId } from './ionet-deployment-id';
import { mapIonetState } from './ionet-state';

/** The cursor is the 0-based number of the next `/deployments` page; none means the first. */
export function parseIonetListCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,6}$/.test(cursor)) {
    throw new InvalidArgumentError({ issues: [{ field: 'cursor', reason: `"${cursor}" is not a cursor this adapter returned` }] });
  }
  return Number(cursor);
}

/**
 * A `/deployments` page as `ListDeploymentsResultV1`: ended deployments (destroyed, completed,
 * failed) are left out. The list gives no containers, so a `running` one reads as provisioning, and
 * no creation time.
 */
export function toListedIonetDeployments(summaries: readonly IonetDeploymentSummary[], nextPage: number | undefined): ListDeploymentsResultV1 {
  const deployments = summaries
    .map((summary): ListedDeploymentV1 => {
      const mapped = mapIonetState({ status: summary.status });
      return { provider_deployment_id: toProviderDeploymentId(summary.id), status: mapped.status, provider_status: mapped.provider_status };
    })
    .filter((deployment) => !isTerminalStatus(deployment.status));
  return { deployments, ...(nextPage === undefined ? {} : { next_cursor: String(nextPage) }) };
}
