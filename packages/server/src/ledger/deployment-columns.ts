import type { Deployment } from '@aurora/router';

/** Column order of the `deployments` table, shared by both dialects. */
export const deploymentColumns = [
  'deployment_id', 'provider', 'provider_deployment_id', 'offer_id', 'status', 'provider_status',
  'gpu_type', 'gpu_count', 'region', 'price_usd_per_hour', 'cost_usd', 'endpoint', 'tenant',
  'idempotency_key', 'decision_id', 'created_at', 'updated_at', 'started_at', 'ended_at', 'error',
] as const satisfies readonly (keyof Deployment)[];

export type DeploymentColumn = (typeof deploymentColumns)[number];

export const deploymentColumnList = deploymentColumns.join(', ');

export const terminalStatusList = "('completed', 'failed', 'terminated')";
export const liveStatusList = "('pending', 'provisioning', 'running', 'terminating')";

export type SqlValue = string | number | null;

/**
 * Fixed at the first write. Leaving them out of the upsert's SET also spares the indexes built
 * on them any work when a deployment is updated.
 */
const immutableColumns = new Set<DeploymentColumn>(['deployment_id', 'created_at', 'tenant', 'idempotency_key']);

/** Parameters in `deploymentColumns` order. */
export function deploymentParameters(deployment: Deployment): SqlValue[] {
  return deploymentColumns.map((column) => deployment[column] ?? null);
}

/** A row read from either dialect, as a plain `Deployment`. */
export function rowToDeployment(row: Record<string, unknown>): Deployment {
  return {
    deployment_id: row.deployment_id as string,
    provider: row.provider as string,
    provider_deployment_id: row.provider_deployment_id as string | null,
    offer_id: row.offer_id as string,
    status: row.status as Deployment['status'],
    provider_status: row.provider_status as string | null,
    gpu_type: row.gpu_type as string,
    gpu_count: Number(row.gpu_count),
    region: row.region as string,
    price_usd_per_hour: Number(row.price_usd_per_hour),
    cost_usd: Number(row.cost_usd),
    endpoint: row.endpoint as string | null,
    tenant: row.tenant as string | null,
    idempotency_key: row.idempotency_key as string | null,
    decision_id: row.decision_id as string,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
    started_at: row.started_at as string | null,
    ended_at: row.ended_at as string | null,
    error: row.error as string | null,
  };
}

/**
 * The upsert behind `save`. `created_at`, `tenant` and `idempotency_key` keep their first values
 * and `cost_usd` takes the larger of the stored and the written cost. A non-terminal write over a terminal row is stale (a finished
 * deployment never changes status again) and changes nothing. `placeholder(i)` renders the i-th
 * (1-based) parameter.
 */
export function buildDeploymentUpsert({ placeholder, greatest }: { placeholder: (index: number) => string; greatest: string }): string {
  const assignments = deploymentColumns
    .filter((column) => !immutableColumns.has(column) && column !== 'cost_usd')
    .map((column) => `${column} = excluded.${column}`);
  assignments.push(`cost_usd = ${greatest}(deployments.cost_usd, excluded.cost_usd)`);
  const values = deploymentColumns.map((_, index) => placeholder(index + 1)).join(', ');
  return (
    `INSERT INTO deployments (${deploymentColumnList}) VALUES (${values}) ` +
    `ON CONFLICT (deployment_id) DO UPDATE SET ${assignments.join(', ')} ` +
    `WHERE NOT (deployments.status IN ${terminalStatusList} AND excluded.status NOT IN ${terminalStatusList})`
  );
}
