import { createAkash } from '@aurora/adapter-akash';
import { createIonet } from '@aurora/adapter-ionet';
import type { ProviderAdapter } from '@aurora/router';
import { akashTimingFromEnvironment } from './akash-timing-from-environment';
import type { KnownProviderId } from './known-providers';

/** The settings every real adapter factory takes (the `create<Provider>` convention). */
export type RealAdapterSettings = {
  apiKey: string;
  baseURL?: string;
  environment?: Readonly<Record<string, string | undefined>>;
};

export type RealAdapterFactory = (settings: RealAdapterSettings) => ProviderAdapter;

/** Providers with a published adapter package. Every other provider runs simulated. */
export const realAdapterFactories: Partial<Record<KnownProviderId, RealAdapterFactory>> = {
  akash: ({ environment, ...settings }) =>
    createAkash({
      ...akashTimingFromEnvironment(environment ?? {}),
      ...settings,
      ...(environment ? { environment: { ...environment } } : {}),
    }),
  ionet: ({ environment, ...settings }) => createIonet({ ...settings, ...(environment ? { environment: { ...environment } } : {}) }),
};
