import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuroraError, ConfigurationError } from '@aurora/router';
import { loadApiKey, loadOptionalSetting, loadSetting } from './load-setting';

const secret = 'lumen-sk-very-secret-value';
const options = { environmentVariableName: 'LUMEN_API_KEY', description: 'Lumen API key' };
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'adapter-utils-secrets-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function secretFile(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function caught(load: () => unknown): ConfigurationError {
  try {
    load();
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadSetting', () => {
  it('prefers the explicit value over the environment', () => {
    expect(loadSetting({ ...options, value: 'explicit', environment: { LUMEN_API_KEY: secret } })).toBe('explicit');
  });

  it('reads the environment variable, trimmed', () => {
    expect(loadSetting({ ...options, environment: { LUMEN_API_KEY: `${secret}\n` } })).toBe(secret);
  });

  it('reads the secret file named by <VARIABLE>_FILE, trimmed', () => {
    const path = secretFile('lumen-key', `  ${secret}\n`);
    expect(loadSetting({ ...options, environment: { LUMEN_API_KEY_FILE: path } })).toBe(secret);
  });

  it('prefers the variable over the file and treats empty values as unset', () => {
    const path = secretFile('lumen-key-2', 'from-file');
    expect(loadSetting({ ...options, environment: { LUMEN_API_KEY: 'from-env', LUMEN_API_KEY_FILE: path } })).toBe('from-env');
    expect(loadSetting({ ...options, value: '', environment: { LUMEN_API_KEY: ' ', LUMEN_API_KEY_FILE: path } })).toBe('from-file');
  });

  it('reads process.env at call time when no environment is given', () => {
    const name = `ADAPTER_UTILS_TEST_KEY_${process.pid}`;
    expect(loadOptionalSetting({ environmentVariableName: name, description: 'test key' })).toBeUndefined();
    process.env[name] = 'set-later';
    try {
      expect(loadSetting({ environmentVariableName: name, description: 'test key' })).toBe('set-later');
    } finally {
      delete process.env[name];
    }
  });

  it('throws ConfigurationError naming the variable when nothing is set', () => {
    const error = caught(() => loadApiKey({ ...options, environment: { OTHER_KEY: secret } }));
    expect(error.setting).toBe('LUMEN_API_KEY');
    expect(error.message).toContain('Lumen API key');
    expect(error.message).toContain('LUMEN_API_KEY');
    expect(error.message).toContain('LUMEN_API_KEY_FILE');
    expect(error.code).toBe('AURORA_ERR_CONFIGURATION');
    expect(AuroraError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  });

  it('treats an empty secret file as missing', () => {
    const path = secretFile('empty', '\n');
    const error = caught(() => loadSetting({ ...options, environment: { LUMEN_API_KEY_FILE: path } }));
    expect(error.setting).toBe('LUMEN_API_KEY');
  });

  it('throws ConfigurationError naming <VARIABLE>_FILE when the file cannot be read, never the value', () => {
    const missing = join(directory, 'does-not-exist');
    const error = caught(() => loadSetting({ ...options, environment: { LUMEN_API_KEY_FILE: missing, UNRELATED: secret } }));
    expect(error.setting).toBe('LUMEN_API_KEY_FILE');
    expect(error.message).toContain('LUMEN_API_KEY_FILE');
    expect(error.message).not.toContain(secret);
    expect(error.cause).toBeDefined();
  });
});

describe('loadOptionalSetting', () => {
  it('is undefined when nothing is set', () => {
    expect(loadOptionalSetting({ ...options, environment: {} })).toBeUndefined();
  });

  it('still fails typed on an unreadable secret file', () => {
    const error = caught(() => loadOptionalSetting({ ...options, environment: { LUMEN_API_KEY_FILE: join(directory, 'nope') } }));
    expect(error.setting).toBe('LUMEN_API_KEY_FILE');
  });
});
