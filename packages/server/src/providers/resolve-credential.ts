import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import type { Environment } from '../config/environment-overrides';
import type { ProviderConfig } from '../config/providers-config-schema';
import { defaultCredentialVariable } from './known-providers';

/** A provider's credential and, for logs, where it came from (never the value). */
export type ResolvedCredential = {
  value: string;
  /** `the environment`, `a secret file`, or the name of the variable `credentials_secret` names. */
  source: string;
};

export type ResolveCredentialOptions = {
  provider: string;
  config: ProviderConfig;
  environment: Environment;
  /** Relative secret file paths resolve against it (else the working directory). */
  configDirectory: string | undefined;
};

/**
 * A provider's credential from the environment or a secret file, never from config files.
 * Without `credentials_secret`, `<PROVIDER>_API_KEY` (or the file named by `<PROVIDER>_API_KEY_FILE`)
 * is used when set, and `undefined` means "no credentials": the provider runs simulated. A
 * `credentials_secret` that was configured but is empty or missing is an error: silently falling
 * back to a simulated provider would hide a broken deployment.
 */
export async function resolveCredential(options: ResolveCredentialOptions): Promise<ResolvedCredential | undefined> {
  const { provider, config, environment } = options;
  const secret = config.credentials_secret;
  if (secret === undefined) {
    const variable = defaultCredentialVariable(provider);
    const direct = nonEmpty(environment[variable]);
    if (direct !== undefined) return { value: direct, source: 'the environment' };
    const file = nonEmpty(environment[`${variable}_FILE`]);
    return file === undefined ? undefined : { value: await readSecretFile(file, options, `${variable}_FILE`), source: 'a secret file' };
  }
  if (secret.includes('/')) return { value: await readSecretFile(secret, options, `providers.${provider}.credentials_secret`), source: 'a secret file' };
  const value = nonEmpty(environment[secret]);
  if (value === undefined) {
    throw new ConfigurationError({
      message: `Invalid configuration: providers.${provider}.credentials_secret names the environment variable ${secret}, which is not set`,
      setting: `providers.${provider}.credentials_secret`,
    });
  }
  return { value, source: secret };
}

async function readSecretFile(file: string, options: ResolveCredentialOptions, setting: string): Promise<string> {
  const resolved = path.resolve(options.configDirectory ?? process.cwd(), file);
  let content: string;
  try {
    content = await readFile(resolved, 'utf8');
  } catch (error) {
    throw new ConfigurationError({
      message: `Invalid configuration: ${setting}: cannot read the secret file ${resolved} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      setting,
      cause: error,
    });
  }
  const value = content.trim();
  if (value === '') {
    throw new ConfigurationError({ message: `Invalid configuration: ${setting}: the secret file ${resolved} is empty`, setting });
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
