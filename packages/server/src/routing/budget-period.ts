import type { BudgetPeriod } from '../config/router-config-schema';

export type BudgetScope = 'deployment' | 'tenant' | 'global';

/** The UTC calendar month or day a periodic budget covers now, as 'YYYY-MM-DD' days. */
export type BudgetWindow = {
  period: Exclude<BudgetPeriod, 'lifetime'>;
  /** Spend from this day on counts (the ledger's `spend({ since })`). */
  first_day: string;
  /** The first day of the next period, when the budget renews. */
  renews_on: string;
};

/** The window of `period` that holds `nowMs`; `undefined` for a lifetime budget, which never renews. */
export function currentBudgetWindow(period: BudgetPeriod, nowMs: number): BudgetWindow | undefined {
  if (period === 'lifetime') return undefined;
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (period === 'month') return { period, first_day: utcDay(Date.UTC(year, month, 1)), renews_on: utcDay(Date.UTC(year, month + 1, 1)) };
  const date = now.getUTCDate();
  return { period, first_day: utcDay(Date.UTC(year, month, date)), renews_on: utcDay(Date.UTC(year, month, date + 1)) };
}

/**
 * How messages name a budget: "tenant budget" (lifetime), "tenant's monthly budget", "global daily
 * budget". The per-deployment budget is always a lifetime total of its one deployment.
 */
export function budgetName(scope: BudgetScope, window: BudgetWindow | undefined): string {
  if (window === undefined || scope === 'deployment') return `${scope} budget`;
  const adjective = window.period === 'month' ? 'monthly' : 'daily';
  return scope === 'tenant' ? `tenant's ${adjective} budget` : `global ${adjective} budget`;
}

/** "12.00 USD", or "12.00 USD since 2026-03-01" for a periodic budget. */
export function spentText(spentUsd: number, window: BudgetWindow | undefined): string {
  const amount = `${spentUsd.toFixed(2)} USD`;
  return window === undefined ? amount : `${amount} since ${window.first_day}`;
}

function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
