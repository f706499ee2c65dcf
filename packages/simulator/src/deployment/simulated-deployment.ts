import type { WorkloadType } from '@aurora/router';
import type { DeploymentPlan } from './deployment-plan';

/** What a simulated adapter keeps about one deployment it placed. */
export type SimulatedDeployment = {
  id: string;
  listingKey: string;
  offerId: string;
  gpuType: string;
  gpuCount: number;
  region: string;
  interruptible: boolean;
  workloadType: WorkloadType;
  image?: string;
  ports: readonly number[];
  idempotencyKey: string;
  priceUsdPerHour: number;
  plan: DeploymentPlan;
  /** Set by `terminate` while the deployment was still live. */
  terminatedAt?: number;
  /** Log followers to wake when it is terminated or the adapter closes. */
  readonly wakers: Set<() => void>;
};
