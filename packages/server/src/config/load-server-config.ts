import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { Environment } from './environment-overrides';
import { resolveServerConfig, type ConfigSource } from './resolve-server-config';
import type { ServerConfig } from './server-config';

export type LoadServerConfigOptions = {
  /**
   * Directory holding router.yaml and providers.yaml. Default: `AURORA_CONFIG_DIR`, else none
   * (built-in defaults). A directory that was named but does not exist is an error; a missing
   * file inside it means that file's defaults.
   */
  configDirectory?: string;
  /** Where `AURORA_*` overrides and credentials come from. Default: an empty environment. */
  environment?: Environment;
  /** Relative paths (config directory, SQLite file) resolve against it; default `process.cwd()`. */
  workingDirectory?: string;
};

export const routerConfigFileName = 'router.yaml';
export const providersConfigFileName = 'providers.yaml';

/** Reads, validates and merges the configuration once, at start. Throws one `ConfigurationError`. */
export async function loadServerConfig(options: LoadServerConfigOptions = {}): Promise<ServerConfig> {
  const environment = options.environment ?? {};
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const named = options.configDirectory ?? nonEmpty(environment.AURORA_CONFIG_DIR);
  const configDirectory = named === undefined ? undefined : path.resolve(workingDirectory, named);

  if (configDirectory !== undefined) await assertDirectory(configDirectory, options.configDirectory === undefined ? 'AURORA_CONFIG_DIR' : 'configDirectory');

  const router = configDirectory === undefined ? undefined : await readYamlSource(path.join(configDirectory, routerConfigFileName));
  const providers = configDirectory === undefined ? undefined : await readYamlSource(path.join(configDirectory, providersConfigFileName));
  return resolveServerConfig({
    ...(router ? { router } : {}),
    ...(providers ? { providers } : {}),
    environment,
    ...(configDirectory === undefined ? {} : { configDirectory }),
    workingDirectory,
  });
}

async function assertDirectory(directory: string, setting: string): Promise<void> {
  const stats = await stat(directory).catch(() => undefined);
  if (!stats?.isDirectory()) {
    throw new ConfigurationError({ message: `Invalid configuration: ${setting}: ${directory} is not a directory`, setting });
  }
}

/** The parsed file, `undefined` when it does not exist. YAML syntax errors name the file and line. */
async function readYamlSource(file: string): Promise<ConfigSource | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigurationError({ message: `Invalid configuration: ${file}: cannot be read (${(error as Error).message})`, setting: file, cause: error });
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0]?.line ?? lineCounter.linePos(syntaxError.pos[0]).line;
    throw new ConfigurationError({
      message: `Invalid configuration: ${file} (line ${line}): invalid YAML: ${syntaxError.message.split('\n')[0]}`,
      setting: file,
    });
  }
  return { content: document.toJS(), name: file, locate: (keyPath) => locate(document, lineCounter, keyPath) };
}

function locate(document: Document, lineCounter: LineCounter, keyPath: readonly (string | number)[]): number | undefined {
  for (let length = keyPath.length; length > 0; length -= 1) {
    const node = document.getIn(keyPath.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
