import { z } from 'zod';

export const deploymentStatuses = [
  'pending', 'provisioning', 'running', 'completed', 'failed', 'terminating', 'terminated',
] as const;
export const deploymentStatusSchema = z.enum(deploymentStatuses);
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

const terminalStatuses = new Set<DeploymentStatus>(['completed', 'failed', 'terminated']);

/** completed, failed and terminated never change again. */
export function isTerminalStatus(status: DeploymentStatus): boolean {
  return terminalStatuses.has(status);
}

/** A deployment as the router records it. `deployment_id` is ours (`dep-...`). */
export const deploymentSchema = z.object({
  deployment_id: z.string().startsWith('dep-'),
  provider: z.string(),
  provider_deployment_id: z.string().nullable(),
  offer_id: z.string(),
  status: deploymentStatusSchema,
  provider_status: z.string().nullable(),
  gpu_type: z.string(),
  gpu_count: z.number().int().min(1),
  region: z.string(),
  price_usd_per_hour: z.number().nonnegative(),
  cost_usd: z.number().nonnegative(),
  endpoint: z.string().nullable(),
  tenant: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  decision_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  error: z.string().nullable(),
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** What an adapter reports about one of its deployments. */
export const deploymentStatusReportSchema = z.object({
  provider_deployment_id: z.string(),
  status: deploymentStatusSchema,
  provider_status: z.string(),
  endpoint: z.string().nullable().default(null),
  message: z.string().optional(),
  started_at: z.string().optional(),
});

export type DeploymentStatusReport = z.output<typeof deploymentStatusReportSchema>;
