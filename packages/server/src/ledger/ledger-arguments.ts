import { InvalidArgumentError } from '@aurora/router';
import type { TenantScope } from './deployment-store';

export const maximumPageLimit = 1000;

export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maximumPageLimit) {
    throw new InvalidArgumentError({ issues: [{ field: 'limit', reason: `must be an integer from 1 to ${maximumPageLimit}` }] });
  }
}

/**
 * The stored form of a tenant scope: `''` stands for "no tenant" in keys and indexes (unique
 * constraints treat NULLs as distinct), so an empty tenant id is refused.
 */
export function tenantKey(tenant: TenantScope | undefined, field = 'tenant'): string {
  if (tenant == null) return '';
  if (tenant.length === 0) {
    throw new InvalidArgumentError({ issues: [{ field, reason: 'must be null or a non-empty string' }] });
  }
  return tenant;
}

export function assertNonNegativeAmount(usd: number): void {
  if (!Number.isFinite(usd) || usd < 0) {
    throw new InvalidArgumentError({ issues: [{ field: 'usd', reason: 'must be a finite amount >= 0' }] });
  }
}

export function assertPolicyVersion(version: number): void {
  if (!Number.isSafeInteger(version)) {
    throw new InvalidArgumentError({ issues: [{ field: 'version', reason: 'must be a safe integer' }] });
  }
}

export function assertNonEmpty(value: string, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError({ issues: [{ field, reason: 'must be a non-empty string' }] });
  }
}

/** A UTC ISO-8601 time as the ledger stores it (it compares them as text). */
export function assertIsoTime(value: string, field: string): Date {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError({ issues: [{ field, reason: 'must be an ISO-8601 UTC time such as 2026-01-31T00:00:00.000Z' }] });
  }
  return time;
}

export function assertPositiveInteger(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError({ issues: [{ field, reason: 'must be a positive integer' }] });
  }
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC calendar day as the ledger buckets spend: 'YYYY-MM-DD', a real date. */
export function assertDay(day: string, field: string): void {
  const midnight = typeof day === 'string' && dayPattern.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March 2 instead of refusing it.
  const valid = Number.isFinite(midnight) && new Date(midnight).toISOString().startsWith(day);
  if (!valid) throw new InvalidArgumentError({ issues: [{ field, reason: 'must be a UTC day, YYYY-MM-DD' }] });
}
