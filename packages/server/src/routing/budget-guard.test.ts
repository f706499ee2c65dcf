import { BudgetExceededError } from '@aurora/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RouterConfig } from '../config/router-config-schema';
import { createSqliteStore, type DeploymentStore } from '../ledger/index';
import { buildDeployment } from '../ledger/testing/ledger-fixtures';
import { BudgetGuard } from './budget-guard';

const noBudgets: RouterConfig['budgets'] = { per_deployment_usd: null, per_tenant_usd: null, global_usd: null, period: 'lifetime' };

describe('BudgetGuard', () => {
  let store: DeploymentStore;
  const clock = { time: 0, now() { return this.time; } };

  beforeEach(async () => {
    store = createSqliteStore({ path: ':memory:' });
    await store.migrate();
  });
  afterEach(() => store.close());

  async function spend(tenant: string | null, usd: number, at: string): Promise<void> {
    const deployment = buildDeployment({ tenant, status: 'running', updated_at: at });
    await store.save(deployment);
    await store.addCost(deployment.deployment_id, usd, at);
  }

  async function refusal(guard: BudgetGuard, tenant: string | null): Promise<BudgetExceededError> {
    const error = await guard.remainingFor(tenant).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    return error as BudgetExceededError;
  }

  it("refuses a tenant whose month's spend is over its monthly budget, and allows it again the next month", async () => {
    await spend('acme', 60, '2026-02-27T10:00:00.000Z');
    await spend('acme', 110, '2026-03-30T10:00:00.000Z');
    await spend('globex', 40, '2026-03-30T10:00:00.000Z');
    const guard = new BudgetGuard({ store, budgets: { ...noBudgets, per_tenant_usd: 100, period: 'month' }, clock });
    clock.time = Date.parse('2026-03-31T23:59:59.500Z');

    const error = await refusal(guard, 'acme');
    expect(error.message).toBe("The tenant's monthly budget of 100.00 USD is spent (110.00 USD since 2026-03-01); it renews on 2026-04-01");
    expect(error.details).toEqual({ scope: 'tenant', limit_usd: 100, required_usd: 110, period: 'month', period_start: '2026-03-01' });
    expect(await guard.remainingFor('globex')).toBe(60);

    // Half a second later, inside the spend cache's lifetime: still a new month, a new figure.
    clock.time = Date.parse('2026-04-01T00:00:00.000Z');
    expect(await guard.remainingFor('acme')).toBe(100);
    await spend('acme', 30, '2026-04-01T00:00:00.000Z');
    clock.time += 5_000;
    expect(await guard.remainingFor('acme')).toBe(70);
  });

  it('keeps refusing under a lifetime budget, and names no period', async () => {
    await spend('acme', 110, '2026-03-30T10:00:00.000Z');
    const guard = new BudgetGuard({ store, budgets: { ...noBudgets, per_tenant_usd: 100 }, clock });
    clock.time = Date.parse('2026-05-01T00:00:00.000Z');

    const error = await refusal(guard, 'acme');
    expect(error.message).toBe('The tenant budget of 100.00 USD is spent (110.00 USD)');
    expect(error.details).toEqual({ scope: 'tenant', limit_usd: 100, required_usd: 110, period: 'lifetime' });
  });

  it('counts only the current UTC day against a daily global budget', async () => {
    await spend('acme', 30, '2026-03-30T23:00:00.000Z');
    await spend(null, 25, '2026-03-31T01:00:00.000Z');
    await spend('globex', 20, '2026-03-31T02:00:00.000Z');
    const guard = new BudgetGuard({ store, budgets: { ...noBudgets, global_usd: 40, per_tenant_usd: 30, period: 'day' }, clock });
    clock.time = Date.parse('2026-03-31T12:00:00.000Z');

    const error = await refusal(guard, 'acme');
    expect(error.message).toBe('The global daily budget of 40.00 USD is spent (45.00 USD since 2026-03-31); it renews on 2026-04-01');
    expect(error.details).toMatchObject({ scope: 'global', period: 'day', period_start: '2026-03-31' });

    clock.time = Date.parse('2026-04-01T00:00:01.000Z');
    expect(await guard.remainingFor('acme')).toBe(30);
  });
});
