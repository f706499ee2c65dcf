import { describe, expect, it } from 'vitest';
import { budgetName, currentBudgetWindow, spentText } from './budget-period';

describe('budget periods', () => {
  it('is the UTC calendar month, from the 1st 00:00 UTC', () => {
    expect(currentBudgetWindow('month', Date.parse('2026-12-31T23:59:59.999Z'))).toEqual({ period: 'month', first_day: '2026-12-01', renews_on: '2027-01-01' });
    expect(currentBudgetWindow('month', Date.parse('2027-01-01T00:00:00.000Z'))).toEqual({ period: 'month', first_day: '2027-01-01', renews_on: '2027-02-01' });
    // 23:30 in New York on March 31st is already April in UTC.
    expect(currentBudgetWindow('month', Date.parse('2026-03-31T23:30:00.000-04:00'))?.first_day).toBe('2026-04-01');
  });

  it('is the UTC calendar day', () => {
    expect(currentBudgetWindow('day', Date.parse('2024-02-29T12:00:00.000Z'))).toEqual({ period: 'day', first_day: '2024-02-29', renews_on: '2024-03-01' });
    expect(currentBudgetWindow('day', Date.parse('2026-03-01T23:59:59.999Z'))).toEqual({ period: 'day', first_day: '2026-03-01', renews_on: '2026-03-02' });
  });

  it('has no window for a lifetime budget', () => {
    expect(currentBudgetWindow('lifetime', Date.parse('2026-03-01T12:00:00.000Z'))).toBeUndefined();
  });

  it('names the budget and the spend with the period; a deployment budget is always lifetime', () => {
    const month = currentBudgetWindow('month', Date.parse('2026-03-15T12:00:00.000Z'));
    const day = currentBudgetWindow('day', Date.parse('2026-03-15T12:00:00.000Z'));
    expect(budgetName('tenant', undefined)).toBe('tenant budget');
    expect(budgetName('tenant', month)).toBe("tenant's monthly budget");
    expect(budgetName('global', day)).toBe('global daily budget');
    expect(budgetName('deployment', month)).toBe('deployment budget');
    expect(spentText(12, undefined)).toBe('12.00 USD');
    expect(spentText(12, month)).toBe('12.00 USD since 2026-03-01');
  });
});
