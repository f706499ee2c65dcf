import * as vitest from 'vitest';
import { describeAdapterConformance, type AdapterFault } from '@aurora/router/testkit';
import { createIonet } from './ionet-adapter';
import { startIonetFake, type IonetFakeFault } from './testing/index';

/** The kit's provider faults as the io.net fake's fault knobs, applied to every call. */
function fakeFault(fault: AdapterFault | undefined): IonetFakeFault | null {
  if (fault === undefined) return null;
  if (fault.type === 'slow') return { kind: 'slow', delayMs: fault.delayMs };
  if (fault.type === 'malformed-json') return { kind: 'malformed-json' };
  return { kind: 'http-error', status: fault.status, retryAfterSeconds: fault.retryAfterSeconds };
}

describeAdapterConformance(vitest, {
  name: 'io.net adapter against the io.net contract fake',
  // io.net needs a container image to deploy.
  request: { workload_type: 'llm_inference', gpu_type: 'a100', gpu_count: 1, region: 'global', image: 'vllm/vllm-openai:latest' },
  createAdapter: async ({ fault, apiKey, recordProviderCall, onCleanup }) => {
    const fake = await startIonetFake({
      apiKey: apiKey ?? 'never-sent',
      timing: { provisioningMs: 40, workerReadyMs: 40, logIntervalMs: 10, logPollMs: 10 },
      onRequest: (request) => recordProviderCall({ method: request.method, url: request.path }),
    });
    onCleanup(() => fake.close());
    fake.setFault(fakeFault(fault));
    // No key (apiKey undefined) and an empty environment: the adapter must fail typed on first use.
    return createIonet({
      baseURL: fake.url,
      apiKey,
      environment: {},
      logs: { idleTimeoutMs: 150, reconnectDelayMs: 20 },
    });
  },
  timeouts: { slowResponseMs: 3_000 },
});
