import { accruedCostUsd, type Deployment, type Router } from '@aurora/router';
import type { BudgetPeriod, RouterConfig } from '../config/router-config-schema';
import type { DeploymentStore } from '../ledger/index';
import { budgetName, currentBudgetWindow, spentText, type BudgetScope, type BudgetWindow } from '../routing/budget-period';

export type CostAccrualOptions = {
  router: Router;
  store: DeploymentStore;
  budgets: RouterConfig['budgets'];
  clock: { now(): number };
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
};

export type BudgetBreach = {
  deployment_id: string;
  scope: BudgetScope;
  /** What the breached budget covers; a deployment's own budget is always `lifetime`. */
  period: BudgetPeriod;
  limit_usd: number;
  /** Within the period, for a monthly or daily budget. */
  spent_usd: number;
};

/**
 * Brings each running deployment's `cost_usd` up to its price times its running time (the same
 * rule the router uses, so the ledger and the API agree and repeated passes never count twice),
 * then enforces the budgets: a deployment over its own budget, or of a tenant over its budget, or
 * everything when the global budget is spent, is terminated. Monthly and daily tenant and global
 * budgets count the spend of the current UTC period only.
 */
export class CostAccrual {
  private readonly options: CostAccrualOptions;

  constructor(options: CostAccrualOptions) {
    this.options = options;
  }

  async runOnce(signal?: AbortSignal): Promise<BudgetBreach[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const nowIso = new Date(now).toISOString();
    const live = await store.listLive();
    const costs = new Map<string, number>();
    for (const deployment of live) {
      if (signal?.aborted) return [];
      const target = accruedCostUsd(deployment, now);
      const delta = Math.round((target - deployment.cost_usd) * 1e6) / 1e6;
      costs.set(deployment.deployment_id, delta > 0 ? await store.addCost(deployment.deployment_id, delta, nowIso) : deployment.cost_usd);
    }
    const window = currentBudgetWindow(this.options.budgets.period, now);
    const breaches = await this.findBreaches(live, costs, window);
    for (const breach of breaches) {
      if (signal?.aborted) break;
      await this.terminateForBudget(breach, window);
    }
    return breaches;
  }

  private async findBreaches(live: readonly Deployment[], costs: ReadonlyMap<string, number>, window: BudgetWindow | undefined): Promise<BudgetBreach[]> {
    const { budgets, store } = this.options;
    const breaches = new Map<string, BudgetBreach>();
    const running = live.filter((deployment) => deployment.status !== 'terminating');
    const since = window === undefined ? {} : { since: window.first_day };
    if (budgets.global_usd !== null) {
      const spent = await store.spend(since);
      if (spent >= budgets.global_usd) {
        for (const deployment of running) {
          breaches.set(deployment.deployment_id, { deployment_id: deployment.deployment_id, scope: 'global', period: budgets.period, limit_usd: budgets.global_usd, spent_usd: spent });
        }
      }
    }
    if (budgets.per_tenant_usd !== null) {
      const tenants = new Set(running.map((deployment) => deployment.tenant));
      for (const tenant of tenants) {
        const spent = await store.spend({ tenant, ...since });
        if (spent < budgets.per_tenant_usd) continue;
        for (const deployment of running) {
          if (deployment.tenant === tenant && !breaches.has(deployment.deployment_id)) {
            breaches.set(deployment.deployment_id, { deployment_id: deployment.deployment_id, scope: 'tenant', period: budgets.period, limit_usd: budgets.per_tenant_usd, spent_usd: spent });
          }
        }
      }
    }
    if (budgets.per_deployment_usd !== null) {
      for (const deployment of running) {
        const spent = costs.get(deployment.deployment_id) ?? deployment.cost_usd;
        if (spent >= budgets.per_deployment_usd && !breaches.has(deployment.deployment_id)) {
          breaches.set(deployment.deployment_id, { deployment_id: deployment.deployment_id, scope: 'deployment', period: 'lifetime', limit_usd: budgets.per_deployment_usd, spent_usd: spent });
        }
      }
    }
    return [...breaches.values()];
  }

  private async terminateForBudget(breach: BudgetBreach, window: BudgetWindow | undefined): Promise<void> {
    const { router, store, log } = this.options;
    const breachWindow = breach.period === 'lifetime' ? undefined : window;
    const reason = `terminated: ${budgetName(breach.scope, breachWindow)} of ${breach.limit_usd} USD reached (spent ${spentText(breach.spent_usd, breachWindow)})`;
    log('warn', `budget: ${reason}`, { deployment_id: breach.deployment_id, scope: breach.scope, period: breach.period });
    try {
      const terminated = await router.terminate(breach.deployment_id);
      await store.save({ ...terminated, error: terminated.error ?? reason });
    } catch (error) {
      // Stays `terminating` or live; the next pass (and the reconciler) try again.
      log('warn', `budget: terminating ${breach.deployment_id} failed: ${(error as Error)?.message ?? String(error)}`, { deployment_id: breach.deployment_id });
    }
  }
}
