import { UnsupportedAdapterVersionError } from '../errors/unsupported-adapter-version-error';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ProviderAdapter } from './provider-adapter-v1';

const adapterNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks an adapter speaks a supported spec version and has a stable kebab-case name. */
export function assertSupportedAdapter(adapter: ProviderAdapter): ProviderAdapter {
  const version = (adapter as { specificationVersion?: unknown }).specificationVersion;
  if (version !== 'v1') throw new UnsupportedAdapterVersionError({ adapterId: String(adapter.name), version });
  if (typeof adapter.name !== 'string' || !adapterNamePattern.test(adapter.name)) {
    throw new InvalidArgumentError({ issues: [{ field: 'adapter.name', reason: `"${String(adapter.name)}" is not a kebab-case id` }] });
  }
  return adapter;
}

/** The seed's `canHandle`: derived from `listOffers`, true when the provider returns any offer. */
export async function canHandle(adapter: ProviderAdapter, ...args: Parameters<ProviderAdapter['listOffers']>): Promise<boolean> {
  const result = await adapter.listOffers(...args);
  return result.offers.length > 0;
}
