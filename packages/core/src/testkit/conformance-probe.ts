import type { ProviderAdapter } from '../adapter/provider-adapter-v1';
import type { AdapterFault } from './adapter-fault';

/** One request the adapter sent to its provider, as the author's fake server or fetch saw it. */
export type ProviderCallRecord = { method?: string; url?: string };

/**
 * What the kit hands to `createAdapter`. The author builds an adapter whose provider behaves as
 * `fault` says, authenticates with `apiKey`, and reports every provider request it sees.
 */
export type AdapterConformanceContext = {
  /** Make every provider call misbehave this way; `undefined` = a healthy provider. */
  readonly fault: AdapterFault | undefined;
  /**
   * The API key to configure. `undefined` means: build the adapter with no key at all (no setting,
   * no environment variable), to check that keys load lazily and a missing one fails typed.
   */
  readonly apiKey: string | undefined;
  /** Call once for every request that reaches the provider (from the fake server or an injected fetch). */
  recordProviderCall(call?: ProviderCallRecord): void;
  /** Runs after the test, in reverse order: close the fake server you started for this adapter. */
  onCleanup(cleanup: () => unknown): void;
};

export type CreateConformanceAdapter = (context: AdapterConformanceContext) => ProviderAdapter | Promise<ProviderAdapter>;

/** The adapter under test plus what its provider saw. */
export type ConformanceProbe = { adapter: ProviderAdapter; providerCalls: readonly ProviderCallRecord[] };

/**
 * Builds an adapter for one test, runs `body`, then closes the adapter and runs the author's
 * cleanups (even when `body` throws).
 */
export async function withConformanceAdapter<T>(
  createAdapter: CreateConformanceAdapter,
  setting: { fault?: AdapterFault; apiKey: string | undefined },
  body: (probe: ConformanceProbe) => Promise<T>,
): Promise<T> {
  const providerCalls: ProviderCallRecord[] = [];
  const cleanups: Array<() => unknown> = [];
  const context: AdapterConformanceContext = {
    fault: setting.fault,
    apiKey: setting.apiKey,
    recordProviderCall: (call = {}) => {
      providerCalls.push(call);
    },
    onCleanup: (cleanup) => {
      cleanups.push(cleanup);
    },
  };
  let adapter: ProviderAdapter | undefined;
  try {
    adapter = await createAdapter(context);
    return await body({ adapter, providerCalls });
  } finally {
    try {
      await adapter?.close?.();
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  }
}
