import { BudgetExceededError } from '@aurora/router';
import type { RouterConfig } from '../config/router-config-schema';
import type { DeploymentStore, TenantScope } from '../ledger/index';

export type BudgetGuardOptions = {
  store: Pick<DeploymentStore, 'spend'>;
  budgets: RouterConfig['budgets'];
  clock?: { now(): number };
  /** Spend figures are reused this long; the running enforcement catches what slips through. */
  cacheMs?: number;
};

/**
 * The budget a new route may still spend: what is left of the tenant's and of the global budget
 * (the per-deployment budget is the router's own per-request limit). Throws `BudgetExceededError`
 * when either is used up, before any provider is asked.
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
    const { per_tenant_usd: perTenant, global_usd: global } = this.options.budgets;
    let remaining: number | undefined;
    if (global !== null) {
      const spent = await this.spent(undefined);
      if (spent >= global) throw exhausted('global', global, spent);
      remaining = global - spent;
    }
    if (perTenant !== null) {
      const spent = await this.spent(tenant);
      if (spent >= perTenant) throw exhausted('tenant', perTenant, spent);
      remaining = remaining === undefined ? perTenant - spent : Math.min(remaining, perTenant - spent);
    }
    return remaining;
  }

  private spent(tenant: TenantScope | undefined): Promise<number> {
    const key = tenant === undefined ? '\u0000all' : `t:${tenant ?? ''}`;
    const now = this.options.clock.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < this.options.cacheMs) return cached.spent;
    const spent = this.options.store.spend(tenant === undefined ? {} : { tenant });
    this.cache.set(key, { at: now, spent });
    spent.catch(() => this.cache.delete(key));
    return spent;
  }
}

function exhausted(scope: 'tenant' | 'global', limitUsd: number, spentUsd: number): BudgetExceededError {
  return new BudgetExceededError({
    scope,
    limitUsd,
    requiredUsd: spentUsd,
    message: `The ${scope} budget of ${limitUsd.toFixed(2)} USD is spent (${spentUsd.toFixed(2)} USD)`,
  });
}
