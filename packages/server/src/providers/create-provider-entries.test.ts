import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '@aurora/router';
import { createMockAdapter, createRoutingRequest } from '@aurora/router/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveServerConfig } from '../config/resolve-server-config';
import { createProviderEntries } from './create-provider-entries';
import { knownProviderIds } from './known-providers';
import { MarketBook } from './market-book';
import type { RealAdapterFactory, RealAdapterSettings } from './real-adapter-factories';

describe('createProviderEntries', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-providers-'));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  const entries = (providers: Record<string, unknown> = {}, environment: Record<string, string> = {}) => {
    const config = resolveServerConfig({
      router: { content: { simulator: { api_latency: false, failure_rate_multiplier: 0 } }, name: 'router.yaml' },
      providers: { content: { providers }, name: 'providers.yaml' },
      environment,
      configDirectory: directory,
      workingDirectory: directory,
    });
    return createProviderEntries({ config, environment, market: new MarketBook() });
  };

  it('simulates every provider when no credentials are present', async () => {
    const result = await entries();
    expect(result.map((entry) => entry.id)).toEqual([...knownProviderIds]);
    expect(result.every((entry) => entry.simulated && entry.adapter.simulated === true)).toBe(true);
    expect(result.find((entry) => entry.id === 'akash')?.reason).toBe('simulated: no credentials');
    expect(result.find((entry) => entry.id === 'render')?.reason).toBe('simulated: no real adapter for this provider yet');
    expect(result.find((entry) => entry.id === 'runpod')?.catalog?.gpu_types.length).toBeGreaterThan(0);
  });

  it('sweeps orphans only where providers.yaml turns orphan_sweep on, and keeps listDeployments through the wrappers', async () => {
    const result = await entries({ akash: { orphan_sweep: true, gpu_types: ['a100'] } }, { AKASH_API_KEY: 'akash-secret' });
    const akash = result.find((entry) => entry.id === 'akash')!;
    expect(akash.orphanSweep).toBe(true);
    expect(typeof akash.adapter.listDeployments).toBe('function');
    expect(result.filter((entry) => entry.id !== 'akash').every((entry) => entry.orphanSweep === false)).toBe(true);
  });

  it('uses the real adapters for akash and ionet when they have credentials (env or secret file)', async () => {
    await writeFile(path.join(directory, 'ionet.key'), 'io-secret-from-file\n');
    const result = await entries({ ionet: { credentials_secret: './ionet.key' } }, { AKASH_API_KEY: 'akash-secret' });
    const akash = result.find((entry) => entry.id === 'akash')!;
    const ionet = result.find((entry) => entry.id === 'ionet')!;
    expect(akash).toMatchObject({ simulated: false, reason: 'credentials from the environment' });
    expect(akash.adapter.simulated).not.toBe(true);
    expect(ionet).toMatchObject({ simulated: false, reason: 'credentials from a secret file' });
    expect(JSON.stringify(result.map((entry) => entry.reason))).not.toMatch(/secret-from-file|akash-secret/);
    expect(result.filter((entry) => entry.simulated)).toHaveLength(6);
  });

  it('hands the factory the key, api_url as baseURL and the environment; says where the key came from', async () => {
    await writeFile(path.join(directory, 'akash.key'), '  akash-from-file\n');
    const received: RealAdapterSettings[] = [];
    const recording: RealAdapterFactory = (settings) => {
      received.push(settings);
      return createMockAdapter({ name: settings.apiKey.startsWith('akash') ? 'akash' : 'ionet' });
    };
    const config = resolveServerConfig({
      router: { content: { simulator: { api_latency: false } }, name: 'router.yaml' },
      providers: {
        content: { providers: { akash: { api_url: 'https://console.example.test/api' }, ionet: { credentials_secret: 'IONET_PROD_KEY' } } },
        name: 'providers.yaml',
      },
      configDirectory: directory,
      workingDirectory: directory,
    });
    const environment = { AKASH_API_KEY_FILE: 'akash.key', IONET_PROD_KEY: 'ionet-prod', IONET_API_KEY: 'not-this-one' };
    const result = await createProviderEntries({ config, environment, market: new MarketBook(), realFactories: { akash: recording, ionet: recording } });

    expect(received).toEqual([
      { apiKey: 'akash-from-file', baseURL: 'https://console.example.test/api', environment },
      { apiKey: 'ionet-prod', environment },
    ]);
    expect(result.find((entry) => entry.id === 'akash')).toMatchObject({ simulated: false, reason: 'credentials from a secret file' });
    expect(result.find((entry) => entry.id === 'ionet')).toMatchObject({ simulated: false, reason: 'credentials from IONET_PROD_KEY' });
  });

  it('fails when a configured credentials_secret is missing instead of silently simulating', async () => {
    await expect(entries({ akash: { credentials_secret: 'AKASH_PROD_KEY' } })).rejects.toSatisfy(
      (error: unknown) => ConfigurationError.isInstance(error) && /AKASH_PROD_KEY, which is not set/.test(error.message),
    );
    await expect(entries({ ionet: { credentials_secret: './missing.key' } })).rejects.toThrow(/cannot read the secret file .*missing\.key \(ENOENT\)/);
  });

  it('leaves out disabled providers', async () => {
    const result = await entries({ akash: { enabled: false }, salad: { enabled: false } });
    expect(result.map((entry) => entry.id)).not.toContain('akash');
    expect(result).toHaveLength(6);
  });

  it('applies gpu_types and default_region to the offers', async () => {
    const result = await entries({ runpod: { gpu_types: ['h100'], default_region: 'eu-central' } });
    const runpod = result.find((entry) => entry.id === 'runpod')!;
    expect((await runpod.adapter.listOffers(createRoutingRequest({ gpu_type: 'a100' }))).offers).toEqual([]);
    const h100 = await runpod.adapter.listOffers(createRoutingRequest({ gpu_type: 'h100', region: 'global' }));
    expect(h100.offers.length).toBeGreaterThan(0);
    expect(new Set(h100.offers.map((offer) => offer.region))).toEqual(new Set(['eu-central']));
    expect(runpod.catalog?.gpu_types).toEqual(['h100']);
  });
});
