import { InvalidArgumentError, type ListDeploymentsResultV1, type ListedDeploymentV1 } from '@aurora/router';
import type { AkashDeploymentPage } from './akash-api';
import { mapAkashDeploymentState } from './akash-state';

/** The cursor is the `skip` of the next page; none means the first page. */
export function parseAkashListCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d{1,9}$/.test(cursor)) {
    throw new InvalidArgumentError({ issues: [{ field: 'cursor', reason: `"${cursor}" is not a cursor this adapter returned` }] });
  }
  return Number(cursor);
}

/**
 * One page of GET /v1/deployments as `ListDeploymentsResultV1`. The list holds active deployments
 * only; a closed one is left out should it appear anyway. `terminationRequested` tells the ones
 * this adapter has sent DELETE for.
 */
export function toListedDeployments(page: AkashDeploymentPage, skip: number, terminationRequested: (dseq: string) => boolean): ListDeploymentsResultV1 {
  const deployments = page.deployments
    .filter((deployment) => deployment.deployment.state.toLowerCase() !== 'closed')
    .map((deployment): ListedDeploymentV1 => {
      const dseq = deployment.deployment.id.dseq;
      const report = mapAkashDeploymentState(deployment, { terminationRequested: terminationRequested(dseq) });
      const createdAt = timestampOrUndefined(deployment.deployment.created_at);
      return {
        provider_deployment_id: dseq,
        status: report.status,
        provider_status: report.provider_status,
        ...(createdAt ? { created_at: createdAt } : {}),
      };
    });
  const next = skip + page.deployments.length;
  const hasMore = page.pagination?.hasMore ?? false;
  return { deployments, ...(hasMore && page.deployments.length > 0 ? { next_cursor: String(next) } : {}) };
}

/** The Console reports `created_at` as a block height; only a real timestamp is passed on. */
function timestampOrUndefined(value: string | null | undefined): string | undefined {
  if (!value || /^\d+$/.test(value.trim())) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
