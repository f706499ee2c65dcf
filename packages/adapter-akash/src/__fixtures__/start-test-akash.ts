import { createRoutingRequest } from '@aurora/router/testkit';
import { offerSchema, type Offer, type RoutingRequestInput } from '@aurora/router';
import { createAkash } from '../akash-adapter';
import type { AkashAdapterSettings } from '../akash-settings';
import { startAkashFake, type AkashFake, type AkashFakeOptions } from '../testing/index';

/** Fake progressions counted in polls (deterministic): bids on the 2nd poll, lease ready on the 2nd look. */
export const fastTiming = {
  bidsAfterMs: 0, bidsAfterPolls: 1, leaseStatusAfterMs: 0, leaseStatusAfterPolls: 0,
  leaseReadyAfterMs: 0, leaseReadyAfterPolls: 1, logLineIntervalMs: 5,
} as const;

/**
 * Adapter timing for tests: tight polls. The waits are long because the fake's progressions count
 * polls, so a healthy deploy never waits them out; tests of the timeouts shorten them (`shortWaits`).
 */
export const fastSettings: AkashAdapterSettings = {
  pollIntervalMs: 2,
  bidWindowMs: 0,
  bidTimeoutMs: 10_000,
  leaseReadyTimeoutMs: 10_000,
  environment: {},
};

/** For faults that never let a wait succeed (no bids, a lease never ready): the timeout is the only way out. */
export const shortWaits: AkashAdapterSettings = { bidTimeoutMs: 100, leaseReadyTimeoutMs: 100 };

export type TestAkash = { fake: AkashFake; adapter: ReturnType<typeof createAkash>; close(): Promise<void> };

/** A fresh fake and an adapter pointed at it. */
export async function startTestAkash(options: { fake?: AkashFakeOptions; adapter?: AkashAdapterSettings } = {}): Promise<TestAkash> {
  const fake = await startAkashFake({ timing: fastTiming, ...options.fake });
  const adapter = createAkash({ ...fastSettings, baseURL: fake.url, apiKey: fake.apiKey, ...options.adapter });
  return {
    fake,
    adapter,
    close: async () => {
      await adapter.close();
      await fake.close();
    },
  };
}

export function testRequest(overrides: Partial<RoutingRequestInput> = {}) {
  return createRoutingRequest({ gpu_type: 'a100', image: 'vllm/vllm-openai:latest', ports: [8000], ...overrides });
}

/** The adapter's first offer for the request, parsed. */
export async function firstOffer(adapter: TestAkash['adapter'], request = testRequest()): Promise<Offer> {
  const { offers } = await adapter.listOffers(request);
  if (offers.length === 0) throw new Error('no offers');
  return offerSchema.parse(offers[0]);
}

/** Settles a promise into its error (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
