import * as vitest from 'vitest';
import { AdapterCallError, InvalidResponseDataError } from '@aurora/router';
import { describeAdapterConformance, MockAdapter, type AdapterFault, type MockAdapterMethod } from '@aurora/router/testkit';

const methods: readonly MockAdapterMethod[] = ['listOffers', 'deploy', 'getStatus', 'getLogs', 'terminate', 'healthCheck'];

/** The mock is its own provider: a fault becomes the error each method throws. */
function errorForFault(fault: AdapterFault | undefined): Error | undefined {
  if (fault?.type === 'http-status') {
    return new AdapterCallError({
      message: `mock: injected HTTP ${fault.status}`,
      adapterId: 'mock',
      operation: 'injected',
      statusCode: fault.status,
      ...(fault.retryAfterSeconds !== undefined ? { retryAfterMs: fault.retryAfterSeconds * 1000 } : {}),
    });
  }
  if (fault?.type === 'malformed-json') {
    return new InvalidResponseDataError({ message: 'mock: injected malformed answer', adapterId: 'mock', issues: ['body is not valid JSON'] });
  }
  return undefined;
}

describeAdapterConformance(vitest, {
  name: 'MockAdapter',
  // The mock needs no API key.
  skip: ['credentials'],
  createAdapter: ({ fault, recordProviderCall }) => {
    const error = errorForFault(fault);
    // Each method "reaches the provider" when it passes the mock's latency and abort check.
    const reachProvider = () => {
      recordProviderCall();
      return error;
    };
    return new MockAdapter({
      name: 'mock',
      latencyMs: fault?.type === 'slow' ? fault.delayMs : undefined,
      failures: Object.fromEntries(methods.map((method) => [method, reachProvider])),
      logLines: ['loading model', 'listening on :8000'],
    });
  },
  timeouts: { slowResponseMs: 5_000 },
});
