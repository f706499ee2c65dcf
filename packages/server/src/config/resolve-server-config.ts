import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import type { z } from 'zod';
import type { ApiKeyRecord } from '../auth/api-key';
import { knownProviderIds, type KnownProviderId } from '../providers/known-providers';
import { applyEnvironmentOverrides, type Environment } from './environment-overrides';
import { parseApiKeysVariable } from './parse-api-keys-variable';
import { providersConfigSchema, providerConfigSchema, type ProviderConfig } from './providers-config-schema';
import { routerConfigSchema, type RouterConfig } from './router-config-schema';
import type { ServerConfig } from './server-config';

/** Finds the line of a key path in the source document, when there is one. */
export type LocateKey = (keyPath: readonly (string | number)[]) => number | undefined;

export type ConfigSource = {
  /** Raw parsed content (YAML already turned into plain values); undefined means "no file". */
  content: unknown;
  /** The file name for messages, e.g. `/etc/aurora/router.yaml`, or a label like `router config`. */
  name: string;
  locate?: LocateKey;
};

export type ResolveServerConfigOptions = {
  router?: ConfigSource;
  providers?: ConfigSource;
  environment?: Environment;
  configDirectory?: string;
  /** Relative ledger paths resolve against it; default `process.cwd()`. */
  workingDirectory?: string;
};

type Problem = { source: string; field: string; line?: number; reason: string };

/**
 * Validates the router and providers configuration, applies `AURORA_*` overrides and returns one
 * `ServerConfig`. Every problem is reported in a single `ConfigurationError` that names the file
 * (or variable), the key and the reason. Unknown keys are errors.
 */
export function resolveServerConfig(options: ResolveServerConfigOptions = {}): ServerConfig {
  const environment = options.environment ?? {};
  const routerSource = options.router ?? { content: undefined, name: 'router.yaml' };
  const providersSource = options.providers ?? { content: undefined, name: 'providers.yaml' };
  const problems: Problem[] = [];

  const routerRaw = asMapping(routerSource, problems);
  const { merged, sources: overriddenBy } = applyEnvironmentOverrides(routerRaw ?? {}, environment);
  const routerResult = routerRaw === undefined ? undefined : routerConfigSchema.safeParse(merged);
  if (routerResult && !routerResult.success) {
    problems.push(...describeIssues(routerResult.error, merged, routerSource, overriddenBy));
  }

  const providersRaw = asMapping(providersSource, problems);
  const providersResult = providersRaw === undefined ? undefined : providersConfigSchema.safeParse(providersRaw);
  if (providersResult && !providersResult.success) {
    problems.push(...describeIssues(providersResult.error, providersRaw, providersSource, new Map()));
  }

  let environmentKeys: ApiKeyRecord[] = [];
  const keysVariable = environment.AURORA_API_KEYS;
  if (keysVariable !== undefined && keysVariable.trim() !== '') {
    try {
      environmentKeys = parseApiKeysVariable(keysVariable);
    } catch (error) {
      if (!ConfigurationError.isInstance(error)) throw error;
      problems.push({ source: 'AURORA_API_KEYS', field: '', reason: error.message.replace(/^Invalid configuration: AURORA_API_KEYS: /, '') });
    }
  }

  if (problems.length > 0 || !routerResult?.success || !providersResult?.success) {
    throw configurationError(problems);
  }

  const router: RouterConfig = routerResult.data;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  return {
    router,
    providers: withDefaultProviders(providersResult.data.providers),
    apiKeys: [...yamlKeys(router), ...environmentKeys],
    databaseUrl: nonEmpty(environment.AURORA_DATABASE_URL),
    sqlitePath: path.resolve(workingDirectory, router.ledger.sqlite_path),
    configDirectory: options.configDirectory,
    files: {
      router: routerSource.content === undefined ? undefined : routerSource.name,
      providers: providersSource.content === undefined ? undefined : providersSource.name,
    },
  };
}

function asMapping(source: ConfigSource, problems: Problem[]): Record<string, unknown> | undefined {
  const { content } = source;
  if (content === undefined || content === null) return {};
  if (typeof content === 'object' && !Array.isArray(content)) return content as Record<string, unknown>;
  problems.push({ source: source.name, field: '(root)', reason: 'must be a mapping of keys to values' });
  return undefined;
}

function describeIssues(
  error: z.ZodError,
  input: unknown,
  source: ConfigSource,
  overriddenBy: ReadonlyMap<string, string>,
): Problem[] {
  return error.issues.flatMap((issue) => {
    const basePath = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...basePath, key]) : [basePath];
    return paths.map((keyPath) => {
      const reason = issue.code === 'unrecognized_keys' ? describeUnknownKey(String(keyPath.at(-1))) : describeReason(issue, input);
      const field = keyPath.join('.');
      const variable = overriddenBy.get(field);
      if (variable) return { source: variable, field, reason };
      const line = source.locate?.(keyPath);
      return { source: source.name, field: field || '(root)', reason, ...(line === undefined ? {} : { line }) };
    });
  });
}

const credentialKeys = new Set(['api_key', 'apikey', 'token', 'secret', 'password', 'credentials', 'key']);

function describeUnknownKey(key: string): string {
  if (credentialKeys.has(key.toLowerCase())) {
    return 'unknown key; credentials never go into config files: set credentials_secret to the NAME of an environment variable or a secret file path';
  }
  return 'unknown key';
}

function describeReason(issue: z.core.$ZodIssue, input: unknown): string {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(input, issue.path) === undefined) return 'is required';
  return issue.message;
}

function valueAt(input: unknown, keyPath: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of keyPath) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function configurationError(problems: Problem[]): ConfigurationError {
  const described = problems.map((problem) => {
    const where = problem.field === '' ? problem.source : `${problem.source}: ${problem.field}`;
    return `${where}${problem.line === undefined ? '' : ` (line ${problem.line})`}: ${problem.reason}`;
  });
  const first = problems[0];
  return new ConfigurationError({
    message: `Invalid configuration: ${described.join('; ')}`,
    setting: first ? (first.field === '' ? first.source : `${first.source}:${first.field}`) : 'configuration',
  });
}

function yamlKeys(router: RouterConfig): ApiKeyRecord[] {
  return router.api_keys.map((key, index) => ({
    id: key.name ?? `router.yaml#${index + 1}`,
    sha256: Buffer.from(key.sha256, 'hex'),
    tenant: key.tenant,
    scopes: new Set(key.scopes),
  }));
}

const defaultProvider: ProviderConfig = providerConfigSchema.parse({});

function withDefaultProviders(configured: Record<string, ProviderConfig | null>): Record<KnownProviderId, ProviderConfig> {
  const result = {} as Record<KnownProviderId, ProviderConfig>;
  for (const id of knownProviderIds) result[id] = configured[id] ?? defaultProvider;
  return result;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
