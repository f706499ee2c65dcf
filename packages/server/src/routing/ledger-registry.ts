import type { DeploymentRegistry, Router, RoutingRequest } from '@aurora/router';
import type { DeploymentStore } from '../ledger/index';

export type LedgerRegistry = DeploymentRegistry & {
  /** Follows the router's `route-start`/`route-end` events to know each decision's request and tenant. */
  attach(router: Router): void;
};

/**
 * The ledger as the router's `DeploymentRegistry`. Decisions are saved with the request and
 * tenant that produced them (the ledger keeps both for policy training), taken from the router's
 * `route-start` event of the same decision.
 *
 * `findByIdempotencyKey` is left out on purpose: the server's idempotency claims in the ledger
 * already decide, across replicas, that a key routes once and replays its stored response, so the
 * router's own registry replay would only add a ledger read to every keyed route.
 */
export function createLedgerRegistry(store: DeploymentStore): LedgerRegistry {
  const contexts = new Map<string, { request: RoutingRequest; tenant: string | null }>();
  return {
    get: (deploymentId) => store.get(deploymentId),
    save: (deployment) => store.save(deployment),
    async saveDecision(decision) {
      const context = contexts.get(decision.decision_id);
      if (!context) return;
      await store.saveDecision(decision, context);
    },
    async getDecision(decisionId) {
      return (await store.getDecision(decisionId))?.decision;
    },
    attach(router) {
      router.on('route-start', (event) => contexts.set(event.decision_id, { request: event.request, tenant: event.tenant }));
      router.on('route-end', (event) => contexts.delete(event.decision_id));
    },
  };
}
