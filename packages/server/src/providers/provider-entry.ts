import type { ProviderAdapter } from '@aurora/router';

/** What the server knows of one provider beyond its adapter, for GET /providers and logs. */
export type ProviderCatalog = {
  gpu_types: string[];
  regions: string[];
  price_range: { min_usd_per_hour: number; max_usd_per_hour: number } | null;
};

export type ProviderEntry = {
  id: string;
  /** The adapter the router uses (with providers.yaml restrictions and market observation applied). */
  adapter: ProviderAdapter;
  simulated: boolean;
  /** Why it runs simulated or real, for the start-up log: "no credentials", "credentials from AKASH_API_KEY". */
  reason: string;
  /** What the provider sells, when known without asking it (simulated profiles, providers.yaml gpu_types). */
  catalog: ProviderCatalog | null;
  healthCheckIntervalMs: number | undefined;
  /** providers.yaml `orphan_sweep`: the reconciler terminates this account's deployments the ledger does not know. */
  orphanSweep: boolean;
};
