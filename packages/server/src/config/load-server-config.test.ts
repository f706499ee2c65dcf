import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../auth/api-key';
import { loadServerConfig } from './load-server-config';

describe('loadServerConfig', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-config-test-'));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  const write = (file: string, content: string) => writeFile(path.join(directory, file), content);
  const failure = async (environment: Record<string, string> = {}): Promise<ConfigurationError> => {
    try {
      await loadServerConfig({ configDirectory: directory, environment, workingDirectory: directory });
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  };

  it('uses the built-in defaults without files', async () => {
    const config = await loadServerConfig({ configDirectory: directory, workingDirectory: directory });
    expect(config.router.mode).toBe('rule-based');
    expect(config.router.server).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(config.sqlitePath).toBe(path.join(directory, '.aurora', 'aurora.db'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.apiKeys).toEqual([]);
    expect(Object.values(config.providers).every((provider) => provider.enabled)).toBe(true);
    expect(config.files).toEqual({ router: undefined, providers: undefined });
  });

  it('reads both files', async () => {
    await write('router.yaml', 'server:\n  port: 9000\nbudgets:\n  global_usd: 100\n');
    await write('providers.yaml', 'providers:\n  akash:\n    enabled: false\n  vastai:\n    gpu_types: [A100-SXM4-80GB, rtx4090]\n    default_region: "California, US"\n');
    const config = await loadServerConfig({ configDirectory: directory, workingDirectory: directory });
    expect(config.router.server.port).toBe(9000);
    expect(config.router.budgets.global_usd).toBe(100);
    expect(config.providers.akash.enabled).toBe(false);
    expect(config.providers.vastai.gpu_types).toEqual(['a100', '4090']);
    expect(config.providers.vastai.default_region).toBe('us-west');
    expect(config.files.router).toBe(path.join(directory, 'router.yaml'));
  });

  it('an unknown key stops with the file, the key and its line', async () => {
    await write('router.yaml', 'mode: rule-based\nserver:\n  host: 127.0.0.1\n  prot: 8080\n');
    const error = await failure();
    expect(error.message).toBe(`Invalid configuration: ${path.join(directory, 'router.yaml')}: server.prot (line 4): unknown key`);
    expect(error.setting).toBe(`${path.join(directory, 'router.yaml')}:server.prot`);
  });

  it('a value of the wrong type names the file and the key', async () => {
    await write('providers.yaml', 'providers:\n  ionet:\n    enabled: "sometimes"\n');
    const error = await failure();
    expect(error.message).toMatch(new RegExp(`${path.join(directory, 'providers.yaml').replace(/[.]/g, '\\.')}: providers\\.ionet\\.enabled \\(line 3\\): .*expected boolean`));
  });

  it('reports every problem of both files in one message', async () => {
    await write('router.yaml', 'limits:\n  max_deploy_attempts: 0\n');
    await write('providers.yaml', 'providers:\n  nimbus: {}\n');
    const error = await failure();
    expect(error.message).toMatch(/router\.yaml: limits\.max_deploy_attempts \(line 2\): /);
    expect(error.message).toMatch(/providers\.yaml: providers\.nimbus \(line 2\): unknown provider; known providers: akash, ionet/);
  });

  it('refuses credentials in the file', async () => {
    await write('providers.yaml', 'providers:\n  akash:\n    api_key: sk-live-123\n');
    expect((await failure()).message).toMatch(/providers\.akash\.api_key \(line 3\): unknown key; credentials never go into config files/);
    await write('providers.yaml', 'providers:\n  akash:\n    credentials_secret: sk-live-123\n');
    expect((await failure()).message).toMatch(/providers\.akash\.credentials_secret .*NAME of an environment variable/);
  });

  it('accepts every routing mode and refuses settings that contradict the mode', async () => {
    for (const mode of ['rule-based', 'ai', 'hybrid', 'shadow']) {
      await write('router.yaml', `mode: ${mode}\n`);
      const config = await loadServerConfig({ configDirectory: directory, workingDirectory: directory });
      expect(config.router.mode).toBe(mode);
    }
    await write('router.yaml', 'mode: hybrid\nai_rollout_percentage: 30\nrollout:\n  enabled: true\n');
    expect((await failure()).message).toMatch(/router\.yaml: ai_rollout_percentage \(line 2\): the rollout controller sets the ai share/);
    await write('router.yaml', 'mode: shadow\nai_rollout_percentage: 10\n');
    expect((await failure()).message).toMatch(/ai_rollout_percentage \(line 2\): must be 0 in shadow mode/);
    await write('router.yaml', 'mode: ai\nrollout:\n  enabled: true\n  stages: [50, 20]\n  guardrails: [{ metric: fill_rate, margin: 2 }]\n');
    const { message } = await failure();
    expect(message).toMatch(/rollout\.enabled \(line 3\): needs mode "hybrid"/);
    expect(message).toMatch(/rollout\.stages \(line 4\): must be strictly increasing/);
    expect(message).toMatch(/rollout\.guardrails\.0\.margin \(line 5\): a fill-rate margin must be below 1/);
    await write('router.yaml', 'mode: greedy\npolicy:\n  learning:\n    hash_buckets: 100\n    tempreature: 1\n');
    const second = (await failure()).message;
    expect(second).toMatch(/router\.yaml: mode \(line 1\): /);
    expect(second).toMatch(/policy\.learning\.hash_buckets \(line 4\): must be a power of two/);
    expect(second).toMatch(/policy\.learning\.tempreature \(line 5\): unknown key/);
  });

  it('rejects weights that are all zero and a grace period shorter than a route', async () => {
    await write('router.yaml', 'defaults:\n  weights: { price: 0, latency: 0, reputation: 0, availability: 0 }\nbackground:\n  reconcile_grace_period_ms: 1000\n');
    const { message } = await failure();
    expect(message).toMatch(/defaults\.weights \(line 2\): at least one weight must be positive/);
    expect(message).toMatch(/background\.reconcile_grace_period_ms \(line 4\): must be longer than limits\.route_deadline_ms/);
  });

  it('a YAML syntax error names the file and the line', async () => {
    await write('router.yaml', 'server:\n  port: [8080\n');
    expect((await failure()).message).toMatch(/router\.yaml \(line \d\): invalid YAML/);
  });

  it('AURORA_* variables override keys, and a bad value names the variable', async () => {
    await write('router.yaml', 'server:\n  port: 9000\n');
    const config = await loadServerConfig({
      configDirectory: directory,
      workingDirectory: directory,
      environment: { AURORA_PORT: '9100', AURORA_HOST: '127.0.0.2', AURORA_LOG_LEVEL: 'debug', AURORA_BUDGET_GLOBAL_USD: '50', AURORA_DATABASE_URL: 'postgresql://db/aurora' },
    });
    expect(config.router.server).toMatchObject({ port: 9100, host: '127.0.0.2', log_level: 'debug' });
    expect(config.router.budgets.global_usd).toBe(50);
    expect(config.databaseUrl).toBe('postgresql://db/aurora');
    expect((await failure({ AURORA_PORT: 'eighty' })).message).toBe('Invalid configuration: AURORA_PORT: expected an integer, got "eighty"');
    expect((await failure({ AURORA_PORT: '70000' })).message).toMatch(/^Invalid configuration: AURORA_PORT: server\.port: /);
    expect((await failure({ AURORA_MODE: 'bandit' })).message).toMatch(/AURORA_MODE: mode: /);
    expect((await failure({ AURORA_MODE: 'shadow', AURORA_AI_ROLLOUT_PERCENTAGE: '20' })).message).toMatch(/AURORA_AI_ROLLOUT_PERCENTAGE: ai_rollout_percentage: must be 0 in shadow mode/);
    const keepForever = await loadServerConfig({ configDirectory: directory, workingDirectory: directory, environment: { AURORA_DECISION_RETENTION_DAYS: 'none' } });
    expect(keepForever.router.ledger.decision_retention_days).toBeNull();
    expect((await failure({ AURORA_DECISION_RETENTION_DAYS: '0.5' })).message).toMatch(/AURORA_DECISION_RETENTION_DAYS: ledger\.decision_retention_days: /);
    const hybrid = await loadServerConfig({ configDirectory: directory, workingDirectory: directory, environment: { AURORA_MODE: 'hybrid', AURORA_AI_ROLLOUT_PERCENTAGE: '25' } });
    expect(hybrid.router).toMatchObject({ mode: 'hybrid', ai_rollout_percentage: 25 });
  });

  it('reads the budget period: lifetime by default, month or day from the file or AURORA_BUDGET_PERIOD', async () => {
    expect((await loadServerConfig({ configDirectory: directory, workingDirectory: directory })).router.budgets.period).toBe('lifetime');
    await write('router.yaml', 'budgets:\n  per_tenant_usd: 100\n  period: month\n');
    const monthly = await loadServerConfig({ configDirectory: directory, workingDirectory: directory });
    expect(monthly.router.budgets).toMatchObject({ per_tenant_usd: 100, period: 'month' });
    const daily = await loadServerConfig({ configDirectory: directory, workingDirectory: directory, environment: { AURORA_BUDGET_PERIOD: 'day' } });
    expect(daily.router.budgets.period).toBe('day');
    expect((await failure({ AURORA_BUDGET_PERIOD: 'weekly' })).message).toMatch(/^Invalid configuration: AURORA_BUDGET_PERIOD: budgets\.period: .*"month"/);
    await write('router.yaml', 'budgets:\n  per_tenant_usd: 100\n  period: monthly\n');
    expect((await failure()).message).toMatch(/router\.yaml: budgets\.period \(line 3\): .*"lifetime".*"month".*"day"/);
  });

  it('reads AURORA_CONFIG_DIR and fails when the named directory does not exist', async () => {
    await write('router.yaml', 'server:\n  port: 9200\n');
    const config = await loadServerConfig({ environment: { AURORA_CONFIG_DIR: directory }, workingDirectory: directory });
    expect(config.router.server.port).toBe(9200);
    await expect(loadServerConfig({ environment: { AURORA_CONFIG_DIR: path.join(directory, 'missing') } })).rejects.toThrow(
      /AURORA_CONFIG_DIR: .*missing is not a directory/,
    );
  });

  it('merges API keys from router.yaml (hashes) and AURORA_API_KEYS', async () => {
    const hash = sha256Hex('yaml-key-0123456789abcdef');
    await write('router.yaml', `api_keys:\n  - name: ci\n    sha256: ${hash}\n    tenant: acme\n    scopes: [route, read]\n`);
    const config = await loadServerConfig({
      configDirectory: directory,
      workingDirectory: directory,
      environment: { AURORA_API_KEYS: 'env-key-0123456789abcdef:globex:read+admin' },
    });
    expect(config.apiKeys.map((key) => [key.id, key.tenant, [...key.scopes]])).toEqual([
      ['ci', 'acme', ['route', 'read']],
      ['AURORA_API_KEYS#1', 'globex', ['read', 'admin']],
    ]);
    expect(config.apiKeys[1]!.sha256.toString('hex')).toBe(sha256Hex('env-key-0123456789abcdef'));
  });

  it('rejects a plain key where a hash belongs, and malformed AURORA_API_KEYS entries without echoing them', async () => {
    await write('router.yaml', 'api_keys:\n  - sha256: my-secret-key\n    tenant: acme\n    scopes: [read]\n');
    expect((await failure()).message).toMatch(/api_keys\.0\.sha256 \(line 2\): must be the hex SHA-256 of the key/);
    await write('router.yaml', '');
    const error = await failure({ AURORA_API_KEYS: 'short:acme:read,long-enough-key-0123456789:acme:fly' });
    expect(error.message).toMatch(/AURORA_API_KEYS: entry 1: the key is shorter than 16 characters/);
    expect(error.message).not.toMatch(/short:/);
    const scope = await failure({ AURORA_API_KEYS: 'long-enough-key-0123456789:acme:fly' });
    expect(scope.message).toMatch(/entry 1: unknown scope "fly"/);
    expect(scope.message).not.toMatch(/long-enough-key/);
  });
});
