import * as vitest from 'vitest';
import { conformanceApiKey, describeAdapterConformance, type AdapterFault } from '@aurora/router/testkit';
import { createAkash } from './akash-adapter';
import { startAkashFake, type AkashFakeFault } from './testing/index';

/** The kit's faults hit every Console API call, which is what the fake's HTTP faults do by default. */
function toFakeFault(fault: AdapterFault | undefined): AkashFakeFault[] {
  if (!fault) return [];
  switch (fault.type) {
    case 'http-status':
      return [{ type: 'http-status', status: fault.status, ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}) }];
    case 'slow':
      return [{ type: 'slow', delayMs: fault.delayMs }];
    case 'malformed-json':
      return [{ type: 'malformed-json' }];
  }
}

describeAdapterConformance(vitest, {
  name: 'akash',
  // A dseq the fake never hands out (it counts from 20000001).
  unknownDeploymentId: '99999999',
  createAdapter: async ({ fault, apiKey, recordProviderCall, onCleanup }) => {
    // Progressions counted in polls, not time: bids on the 2nd poll, lease ready on the 2nd status look.
    const fake = await startAkashFake({
      apiKey: conformanceApiKey,
      faults: toFakeFault(fault),
      timing: {
        bidsAfterMs: 0, bidsAfterPolls: 1, leaseStatusAfterMs: 0, leaseStatusAfterPolls: 0,
        leaseReadyAfterMs: 0, leaseReadyAfterPolls: 1, logLineIntervalMs: 10,
      },
    });
    onCleanup(() => fake.close());
    return createAkash({
      baseURL: fake.url,
      apiKey,
      environment: {},
      fetch: (input, init) => {
        recordProviderCall({ method: init?.method ?? 'GET', url: String(input) });
        return fetch(input, init);
      },
      pollIntervalMs: 5,
      bidWindowMs: 0,
      bidTimeoutMs: 5_000,
      leaseReadyTimeoutMs: 5_000,
    });
  },
  timeouts: { slowResponseMs: 3_000 },
});
