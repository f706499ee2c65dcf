import type { ListDeploymentsOptionsV1, ProviderAdapter } from '@aurora/router';

/**
 * A delegate of `adapter` whose `listOffers` is replaced; every other call goes to the adapter
 * itself (bound to it, so adapters with private fields keep working).
 */
export function withListOffers(adapter: ProviderAdapter, listOffers: ProviderAdapter['listOffers']): ProviderAdapter {
  return {
    specificationVersion: adapter.specificationVersion,
    name: adapter.name,
    ...(adapter.simulated === undefined ? {} : { simulated: adapter.simulated }),
    listOffers,
    deploy: (request, offer, options) => adapter.deploy(request, offer, options),
    getStatus: (id, options) => adapter.getStatus(id, options),
    getLogs: (id, options) => adapter.getLogs(id, options),
    terminate: (id, options) => adapter.terminate(id, options),
    healthCheck: (options) => adapter.healthCheck(options),
    ...(adapter.findDeployment ? { findDeployment: (key: string, options?: { signal?: AbortSignal }) => adapter.findDeployment!(key, options) } : {}),
    ...(adapter.listDeployments ? { listDeployments: (options?: ListDeploymentsOptionsV1) => adapter.listDeployments!(options) } : {}),
    ...(adapter.close ? { close: () => adapter.close!() } : {}),
  };
}
