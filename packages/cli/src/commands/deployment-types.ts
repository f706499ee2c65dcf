/** The server's deployment view, as much of it as the CLI prints. */
export type DeploymentView = {
  deployment_id: string;
  provider: string;
  provider_deployment_id: string | null;
  status: string;
  provider_status: string | null;
  gpu_type: string;
  gpu_count: number;
  region: string;
  price_usd_per_hour: number;
  cost_usd: number;
  endpoint: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
};

export const terminalStatuses = new Set(['completed', 'failed', 'terminated']);
