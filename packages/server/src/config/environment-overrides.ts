import { ConfigurationError } from '@aurora/router';

export type Environment = Readonly<Record<string, string | undefined>>;

type ValueKind = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'optional-number';

type Override = { variable: string; path: readonly string[]; kind: ValueKind };

/** `AURORA_*` variables that override a router.yaml key. */
export const routerEnvironmentOverrides: readonly Override[] = [
  { variable: 'AURORA_HOST', path: ['server', 'host'], kind: 'string' },
  { variable: 'AURORA_PORT', path: ['server', 'port'], kind: 'integer' },
  { variable: 'AURORA_LOG_LEVEL', path: ['server', 'log_level'], kind: 'string' },
  { variable: 'AURORA_REQUEST_LOGGING', path: ['server', 'request_logging'], kind: 'boolean' },
  { variable: 'AURORA_PUBLIC_ENDPOINTS', path: ['server', 'public_endpoints'], kind: 'list' },
  { variable: 'AURORA_MODE', path: ['mode'], kind: 'string' },
  { variable: 'AURORA_AI_ROLLOUT_PERCENTAGE', path: ['ai_rollout_percentage'], kind: 'number' },
  { variable: 'AURORA_SQLITE_PATH', path: ['ledger', 'sqlite_path'], kind: 'string' },
  { variable: 'AURORA_DATABASE_SCHEMA', path: ['ledger', 'postgres_schema'], kind: 'string' },
  { variable: 'AURORA_DECISION_RETENTION_DAYS', path: ['ledger', 'decision_retention_days'], kind: 'optional-number' },
  { variable: 'AURORA_BODY_LIMIT_BYTES', path: ['limits', 'body_limit_bytes'], kind: 'integer' },
  { variable: 'AURORA_RATE_LIMIT_ENABLED', path: ['limits', 'rate_limit', 'enabled'], kind: 'boolean' },
  { variable: 'AURORA_RATE_LIMIT_MAX', path: ['limits', 'rate_limit', 'max'], kind: 'integer' },
  { variable: 'AURORA_BUDGET_PER_DEPLOYMENT_USD', path: ['budgets', 'per_deployment_usd'], kind: 'optional-number' },
  { variable: 'AURORA_BUDGET_PER_TENANT_USD', path: ['budgets', 'per_tenant_usd'], kind: 'optional-number' },
  { variable: 'AURORA_BUDGET_GLOBAL_USD', path: ['budgets', 'global_usd'], kind: 'optional-number' },
  { variable: 'AURORA_BUDGET_PERIOD', path: ['budgets', 'period'], kind: 'string' },
  { variable: 'AURORA_BACKGROUND_ENABLED', path: ['background', 'enabled'], kind: 'boolean' },
];

/**
 * Applies the `AURORA_*` overrides onto the raw router.yaml object (a copy). Returns the merged
 * object and which variable set each overridden path, so validation errors can name the variable.
 */
export function applyEnvironmentOverrides(
  raw: Record<string, unknown>,
  environment: Environment,
): { merged: Record<string, unknown>; sources: Map<string, string> } {
  const merged = structuredClone(raw);
  const sources = new Map<string, string>();
  for (const override of routerEnvironmentOverrides) {
    const text = environment[override.variable];
    if (text === undefined || text === '') continue;
    if (setPath(merged, override.path, coerce(override, text.trim()))) sources.set(override.path.join('.'), override.variable);
  }
  return { merged, sources };
}

function coerce(override: Override, text: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigurationError({
      message: `Invalid configuration: ${override.variable}: expected ${expected}, got "${text}"`,
      setting: override.variable,
    });
  };
  switch (override.kind) {
    case 'string':
      return text;
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : fail('an integer');
    case 'number':
      return Number.isFinite(Number(text)) ? Number(text) : fail('a number');
    case 'optional-number':
      if (text === 'none' || text === 'null') return null;
      return Number.isFinite(Number(text)) ? Number(text) : fail('a number or "none"');
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(text.toLowerCase())) return true;
      if (['false', '0', 'no', 'off'].includes(text.toLowerCase())) return false;
      return fail('true or false');
    case 'list':
      return text === 'none' ? [] : text.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  }
}

/** Sets `path`, creating missing sections; leaves a malformed section alone for validation to report. */
function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null) node[key] = {};
    const next = node[key];
    if (typeof next !== 'object' || Array.isArray(next)) return false;
    node = next as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
  return true;
}
