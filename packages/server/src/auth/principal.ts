import type { ApiKeyScope } from '../config/router-config-schema';

/** Who is calling: the API key's tenant and scopes, or the anonymous caller when auth is off. */
export type Principal = {
  /** The key's label (never the key); `null` when auth is off. */
  keyId: string | null;
  /** The tenant the caller's deployments belong to; `null` when auth is off. */
  tenant: string | null;
  scopes: ReadonlySet<ApiKeyScope>;
};

const allScopes: ReadonlySet<ApiKeyScope> = new Set(['route', 'read', 'admin']);

/** The caller when no API keys are configured (loopback only): one tenant-less operator. */
export const anonymousPrincipal: Principal = Object.freeze({ keyId: null, tenant: null, scopes: allScopes });

/** `admin` implies every other scope. */
export function hasScope(principal: Principal, scope: ApiKeyScope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has('admin');
}

/**
 * Which tenant's deployments the caller may see: `undefined` means all (admin keys, or auth off),
 * otherwise exactly its own tenant.
 */
export function visibleTenant(principal: Principal): string | null | undefined {
  if (principal.keyId === null || principal.scopes.has('admin')) return undefined;
  return principal.tenant;
}
