import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@aurora/router';

export type LoadSettingOptions = {
  /** An explicit value wins over the environment. */
  value?: string;
  /** `AKASH_API_KEY`; `AKASH_API_KEY_FILE` (a secret file path) is read when the variable is unset. */
  environmentVariableName: string;
  /** For the error message: "Akash API key". */
  description: string;
  environment?: Record<string, string | undefined>;
};

/**
 * Reads a setting from the explicit value, the environment variable, or the file named by
 * `<VARIABLE>_FILE` (Kubernetes and Docker secrets). Called lazily, at the first request, never at
 * import. Throws `ConfigurationError` naming the variable, never the value.
 */
export function loadSetting(options: LoadSettingOptions): string {
  const value = loadOptionalSetting(options);
  if (value === undefined) {
    throw new ConfigurationError({
      message: `${options.description} is missing: pass it in the settings, or set ${options.environmentVariableName} or ${options.environmentVariableName}_FILE`,
      setting: options.environmentVariableName,
    });
  }
  return value;
}

/** Like `loadSetting`, but `undefined` when nothing is set. */
export function loadOptionalSetting(options: LoadSettingOptions): string | undefined {
  if (options.value !== undefined && options.value !== '') return options.value;
  const environment = options.environment ?? process.env;
  // Trimmed: a key pasted with a trailing newline would make an invalid HTTP header.
  const direct = environment[options.environmentVariableName]?.trim();
  if (direct !== undefined && direct !== '') return direct;
  const filePath = environment[`${options.environmentVariableName}_FILE`]?.trim();
  if (filePath === undefined || filePath === '') return undefined;
  try {
    const content = readFileSync(filePath, 'utf8').trim();
    return content === '' ? undefined : content;
  } catch (error) {
    throw new ConfigurationError({
      message: `${options.description}: cannot read the secret file named by ${options.environmentVariableName}_FILE`,
      setting: `${options.environmentVariableName}_FILE`,
      cause: error,
    });
  }
}

/** An API key: `loadSetting` under another name, so call sites read clearly. */
export function loadApiKey(options: LoadSettingOptions): string {
  return loadSetting(options);
}
