import type { Deployment, Router } from '@aurora/router';
import pLimit from 'p-limit';
import type { DeploymentStore } from '../ledger/index';
import { isUnknownAtProvider } from './is-unknown-at-provider';

export type StatusPollerOptions = {
  router: Router;
  store: DeploymentStore;
  /** Provider calls at once. */
  concurrency: number;
  /** Called for a deployment its provider does not know (the reconciler marks it failed). */
  onUnknown: (deployment: Deployment) => Promise<void>;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
};

/**
 * Refreshes every live deployment that has a provider id through `router.status()` (handing it
 * the row just listed, so it is not read again), which saves
 * status changes to the ledger and emits the router's `status-change` and `outcome` events.
 */
export class StatusPoller {
  private readonly options: StatusPollerOptions;

  constructor(options: StatusPollerOptions) {
    this.options = options;
  }

  async runOnce(signal?: AbortSignal): Promise<void> {
    const { router, store, log } = this.options;
    const limit = pLimit(this.options.concurrency);
    const live = (await store.listLive()).filter((deployment) => deployment.provider_deployment_id !== null && deployment.status !== 'terminating');
    await Promise.all(
      live.map((deployment) =>
        limit(async () => {
          if (signal?.aborted) return;
          try {
            await router.status(deployment.deployment_id, { known: deployment });
          } catch (error) {
            if (isUnknownAtProvider(error)) await this.options.onUnknown(deployment);
            else log('warn', `status poll of ${deployment.deployment_id} failed: ${(error as Error)?.message ?? String(error)}`, { deployment_id: deployment.deployment_id });
          }
        }),
      ),
    );
  }
}
