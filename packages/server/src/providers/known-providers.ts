/** The providers the server knows: the seed providers plus RunPod. Ids are the adapters' names. */
export const knownProviderIds = ['akash', 'ionet', 'render', 'flux', 'aethir', 'vastai', 'salad', 'runpod'] as const;

export type KnownProviderId = (typeof knownProviderIds)[number];

/** `AKASH_API_KEY`: the default environment variable of a provider's credential. */
export function defaultCredentialVariable(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}
