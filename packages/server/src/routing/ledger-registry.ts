import { ConflictError, type Decision, type DecisionLogRecord, type Deployment, type DeploymentRegistry, type Router, type RoutingRequest } from '@aurora/router';
import type { ClaimHandoff } from '../idempotency/claim-handoff';
import type { DeploymentStore } from '../ledger/index';
import { storedRouteResponse, toRouteSummary } from './route-response';

export type LedgerRegistry = DeploymentRegistry & {
  /** Follows the router's `route-start`/`route-end` events to know each decision's request and tenant. */
  attach(router: Router): void;
  /**
   * What the ledger holds of a decision this registry saved, handed over once: its JSON text (a
   * route response reuses it instead of serialising the decision again) and whether the route's
   * idempotency key was completed in the same write. `undefined` when the decision was not saved
   * here (or its save failed), or was taken already.
   */
  takeSavedDecision(decision: Decision): SavedDecision | undefined;
};

export type SavedDecision = { json: string; idempotencyKeyCompleted: boolean };

/**
 * The ledger as the router's `DeploymentRegistry`. Decisions are saved with the request and
 * tenant that produced them (the ledger keeps both for policy training), taken from the router's
 * `route-start` event of the same decision.
 *
 * A successful deploy is recorded by `saveRoute`: the deployment with its provider id, the decision
 * and, for a keyed route, the completion of its idempotency key (with the compact response a replay
 * is rebuilt from) in ONE ledger write. Until then the key stays in progress, so a crash in between
 * leaves it to the reconciler and the key's recovery, exactly as before.
 *
 * `findByIdempotencyKey` is left out on purpose: the server's idempotency claims in the ledger
 * already decide, across replicas, that a key routes once and replays its stored response, so the
 * router's own registry replay would only add a ledger read to every keyed route.
 */
export type LedgerRegistryOptions = {
  /**
   * Idempotency claims offered by the executor: the first intent saved under an offered key is
   * written together with its claim (see `ClaimHandoff`); a key claimed elsewhere meanwhile fails
   * that save with a `ConflictError`, before any provider is called.
   */
  claims?: ClaimHandoff;
  /** The policy's log record of a decision, saved with it (handed over once; see PolicyRuntime). */
  decisionLog?: (decisionId: string) => DecisionLogRecord | undefined;
};

export function createLedgerRegistry(store: DeploymentStore, options: LedgerRegistryOptions = {}): LedgerRegistry {
  const contexts = new Map<string, { request: RoutingRequest; tenant: string | null }>();
  const logOf = (decision: Decision) => {
    const log = options.decisionLog?.(decision.decision_id);
    return log ? { log } : {};
  };
  const saved = new WeakMap<Decision, SavedDecision>();
  return {
    get: (deploymentId) => store.get(deploymentId),
    async save(deployment) {
      const key = deployment.idempotency_key;
      const offered = key !== null && deployment.provider_deployment_id === null ? options.claims?.take(deployment.tenant, key) : undefined;
      if (!offered) {
        await store.save(deployment);
        return;
      }
      const { claimed } = await store.saveIntentClaimingKey(deployment, offered.claim);
      offered.settle(claimed);
      if (!claimed) {
        throw new ConflictError({
          message: `Idempotency-Key "${key}" was claimed by another request while this one was routing`,
          details: { idempotency_key: key, reason: 'in_progress' },
        });
      }
    },
    async saveDecision(decision) {
      const context = contexts.get(decision.decision_id);
      if (!context) return;
      const json = JSON.stringify(decision);
      await store.saveDecision(decision, { ...context, decision_json: json, ...logOf(decision) });
      saved.set(decision, { json, idempotencyKeyCompleted: false });
    },
    async saveRoute(deployment: Deployment, decision: Decision) {
      const context = contexts.get(decision.decision_id);
      if (!context) {
        // Not a route this registry follows (no route-start seen): the deployment alone.
        await store.save(deployment);
        return;
      }
      const json = JSON.stringify(decision);
      const key = deployment.idempotency_key;
      const { completed } = await store.saveRoute({
        ...context,
        deployment,
        decision,
        decision_json: json,
        ...logOf(decision),
        ...(key !== null
          ? { complete: { tenant: deployment.tenant, key, response_status: 201, response_body: storedRouteResponse(toRouteSummary(deployment, decision)) } }
          : {}),
      });
      saved.set(decision, { json, idempotencyKeyCompleted: completed });
    },
    async getDecision(decisionId) {
      return (await store.getDecision(decisionId))?.decision;
    },
    takeSavedDecision(decision) {
      const entry = saved.get(decision);
      // The router keeps recent decisions in memory; their JSON need not stay with them.
      saved.delete(decision);
      return entry;
    },
    attach(router) {
      router.on('route-start', (event) => contexts.set(event.decision_id, { request: event.request, tenant: event.tenant }));
      router.on('route-end', (event) => contexts.delete(event.decision_id));
    },
  };
}
