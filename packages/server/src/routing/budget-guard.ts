import { BudgetExceededError } from '@aurora/router';
import type { RouterConfig } from '../config/router-config-schema';
import type { DeploymentStore, TenantScope } from '../ledger/index';
import { budgetName, currentBudgetWindow, spentText, type BudgetWindow } from './budget-period';

export type BudgetGuardOptions = {
  store: Pick<DeploymentStore, 'spend'>;
  budgets: RouterConfig['budgets'];
  clock?: { now(): number };
  /** Spend figures are reused this long; the running enforcement catches what slips through. */
  cacheMs?: number;
};

/**
 * The budget a new route may still spend: what is left of the tenant's and of the global budget
 * (the per-deployment budget is the router's own per-request limit). With `budgets.period` month or
 * day, only the spend of the current UTC month or day counts. Throws `BudgetExceededError` when
 * either is used up, before any provider is asked.
 */
export class BudgetGuard {
  private readonly options: Required<Omit<BudgetGuardOptions, 'store' | 'budgets'>> & Pick<BudgetGuardOptions, 'store' | 'budgets'>;
  private readonly cache = new Map<string, { at: number; spent: Promise<number> }>();

  constructor(options: BudgetGuardOptions) {
    this.options = { clock: Date, cacheMs: 1_000, ...options };
  }

  get active(): boolean {
    return this.options.budgets.per_tenant_usd !== null || this.options.budgets.global_usd !== null;
  }

  async remainingFor(tenant: TenantScope): Promise<number | undefined> {
    const { per_tenant_usd: perTenant, global_usd: global, period } = this.options.budgets;
    const window = currentBudgetWindow(period, this.options.clock.now());
    let remaining: number | undefined;
    if (global !== null) {
      const spent = await this.spent(undefined, window);
      if (spent >= global) throw exhausted('global', global, spent, window);
      remaining = global - spent;
    }
    if (perTenant !== null) {
      const spent = await this.spent(tenant, window);
      if (spent >= perTenant) throw exhausted('tenant', perTenant, spent, window);
      remaining = remaining === undefined ? perTenant - spent : Math.min(remaining, perTenant - spent);
    }
    return remaining;
  }

  private spent(tenant: TenantScope | undefined, window: BudgetWindow | undefined): Promise<number> {
    const since = window?.first_day;
    const key = `${tenant === undefined ? '\u0000all' : `t:${tenant ?? ''}`}@${since ?? ''}`;
    const now = this.options.clock.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < this.options.cacheMs) return cached.spent;
    const spent = this.options.store.spend({ ...(tenant !== undefined ? { tenant } : {}), ...(since !== undefined ? { since } : {}) });
    this.cache.set(key, { at: now, spent });
    spent.catch(() => this.cache.delete(key));
    return spent;
  }
}

function exhausted(scope: 'tenant' | 'global', limitUsd: number, spentUsd: number, window: BudgetWindow | undefined): BudgetExceededError {
  const renewal = window === undefined ? '' : `; it renews on ${window.renews_on}`;
  const error = new BudgetExceededError({
    scope,
    limitUsd,
    requiredUsd: spentUsd,
    message: `The ${budgetName(scope, window)} of ${limitUsd.toFixed(2)} USD is spent (${spentText(spentUsd, window)})${renewal}`,
  });
  // The core constructor takes no further details, but its details object is open: the period is
  // added here so that @aurora/router needs no change for a server-side setting.
  Object.assign(error.details, window === undefined ? { period: 'lifetime' } : { period: window.period, period_start: window.first_day });
  return error;
}
