import type { AkashProvider } from './akash-api';
import type { AkashCallOptions, AkashClient } from './akash-client';
import { toAkashProviderProfile, type AkashProviderProfile } from './akash-provider-profile';

type Cached<T> = { value: T; fetchedAt: number };

export type AkashProviderEntry = { profile: AkashProviderProfile; provider: AkashProvider };

/**
 * Short-lived cache of the public catalog facts `deploy` and `getLogs` need again and again: the
 * provider list (profiles, host URIs) and the AKT price. Entries older than `maxAgeMs` are refetched.
 */
export class AkashCatalog {
  private providerList: Cached<Map<string, AkashProviderEntry>> | undefined;
  private readonly singleProviders = new Map<string, Cached<AkashProviderEntry>>();
  private aktPrice: Cached<number> | undefined;

  constructor(
    private readonly client: AkashClient,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** Every provider, by address; refreshes the cache. */
  async providers(options: AkashCallOptions): Promise<Map<string, AkashProviderEntry>> {
    if (this.providerList && this.fresh(this.providerList)) return this.providerList.value;
    const list = await this.client.providers(options);
    const entries = new Map(list.map((provider) => [provider.owner, { provider, profile: toAkashProviderProfile(provider) }]));
    this.providerList = { value: entries, fetchedAt: this.now() };
    return entries;
  }

  /** Profiles of `addresses`; ones missing from the list are fetched one by one (GET /v1/providers/{address}). */
  async profiles(addresses: readonly string[], options: AkashCallOptions): Promise<Map<string, AkashProviderProfile>> {
    const all = await this.providers(options);
    const result = new Map<string, AkashProviderProfile>();
    for (const address of new Set(addresses)) {
      const entry = all.get(address) ?? (await this.provider(address, options).catch(() => undefined));
      if (entry) result.set(address, entry.profile);
    }
    return result;
  }

  /** One provider, from the list cache or GET /v1/providers/{address}. */
  async provider(address: string, options: AkashCallOptions): Promise<AkashProviderEntry> {
    const listed = this.providerList && this.fresh(this.providerList) ? this.providerList.value.get(address) : undefined;
    if (listed) return listed;
    const cached = this.singleProviders.get(address);
    if (cached && this.fresh(cached)) return cached.value;
    const provider = await this.client.provider(address, options);
    const entry = { provider, profile: toAkashProviderProfile(provider) };
    this.singleProviders.set(address, { value: entry, fetchedAt: this.now() });
    return entry;
  }

  /** USD per AKT (GET /v1/market-data), for uakt prices. */
  async aktUsd(options: AkashCallOptions): Promise<number> {
    if (this.aktPrice && this.fresh(this.aktPrice)) return this.aktPrice.value;
    const { price } = await this.client.marketData(options);
    this.aktPrice = { value: price, fetchedAt: this.now() };
    return price;
  }

  private fresh(entry: Cached<unknown>): boolean {
    return this.now() - entry.fetchedAt < this.maxAgeMs;
  }
}
