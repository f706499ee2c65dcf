import * as vitest from 'vitest';
import { conformanceApiKey, describeAdapterConformance } from '@aurora/router/testkit';
import { createLumen } from './lumen-provider';
import { startFakeLumenServer } from './testing/fake-lumen-server';

// The kit checks the adapter without any key: a developer's own key must not leak into that check.
delete process.env.LUMEN_API_KEY;
delete process.env.LUMEN_API_KEY_FILE;

describeAdapterConformance(vitest, {
  name: 'Lumen GPU Cloud',
  createAdapter: async ({ fault, apiKey, recordProviderCall, onCleanup }) => {
    // The fake always expects the kit's key; `apiKey` is undefined when the kit checks a missing key.
    const server = await startFakeLumenServer({ apiKey: conformanceApiKey, fault, onRequest: recordProviderCall });
    onCleanup(() => server.close());
    return createLumen({ baseURL: server.url, apiKey, logPollIntervalMs: 10 });
  },
  timeouts: { slowResponseMs: 5_000 },
});
