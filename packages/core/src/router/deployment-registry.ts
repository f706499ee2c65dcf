import { AuroraError } from '../errors/aurora-error';
import type { Decision } from '../schemas/decision';
import type { Deployment } from '../schemas/deployment';

/**
 * Where the router records deployments. The router saves the intent (`pending`, no provider id)
 * before it calls a provider and the provider's id right after, so a durable implementation (the
 * server's ledger) can reconcile a deploy interrupted by a crash. `save` is an upsert by
 * `deployment_id`.
 */
export interface DeploymentRegistry {
  get(deploymentId: string): Promise<Deployment | undefined>;
  save(deployment: Deployment): Promise<void>;
  /** The deployment made for this idempotency key (and tenant), for replays across processes. */
  findByIdempotencyKey?(idempotencyKey: string, tenant?: string): Promise<Deployment | undefined>;
  /** Keeps the decision record; lets a replay from the registry return the original decision. */
  saveDecision?(decision: Decision): Promise<void>;
  /**
   * Saves a deployment right after its successful deploy (provider id set) together with the
   * route's decision, all or nothing, in one write. When present the router calls it instead of
   * `save` followed by `saveDecision`, so a durable registry commits the two at once; a failure is
   * a failed save (the route fails with the registry's error).
   */
  saveRoute?(deployment: Deployment, decision: Decision): Promise<void>;
  getDecision?(decisionId: string): Promise<Decision | undefined>;
}

export type InMemoryRegistry = Required<Omit<DeploymentRegistry, 'saveRoute'>> & {
  /** Every deployment, oldest first. */
  list(): Deployment[];
};

export type InMemoryRegistryOptions = {
  /** Decision records kept (oldest dropped first); default 10,000. */
  maxDecisions?: number;
};

/** A registry in process memory: the router's default, for embedding and tests. Nothing survives a restart. */
export function createInMemoryRegistry(options: InMemoryRegistryOptions = {}): InMemoryRegistry {
  const maxDecisions = options.maxDecisions ?? 10_000;
  const deployments = new Map<string, Deployment>();
  const byIdempotencyKey = new Map<string, string>();
  const decisions = new Map<string, Decision>();
  const idempotencyIndex = (key: string, tenant: string | null | undefined) => `${tenant ?? ''}\u0000${key}`;

  return {
    async get(deploymentId) {
      const deployment = deployments.get(deploymentId);
      return deployment ? { ...deployment } : undefined;
    },
    async save(deployment) {
      deployments.set(deployment.deployment_id, { ...deployment });
      if (deployment.idempotency_key !== null) {
        byIdempotencyKey.set(idempotencyIndex(deployment.idempotency_key, deployment.tenant), deployment.deployment_id);
      }
    },
    async findByIdempotencyKey(idempotencyKey, tenant) {
      const id = byIdempotencyKey.get(idempotencyIndex(idempotencyKey, tenant));
      const deployment = id === undefined ? undefined : deployments.get(id);
      return deployment ? { ...deployment } : undefined;
    },
    async saveDecision(decision) {
      decisions.delete(decision.decision_id);
      decisions.set(decision.decision_id, decision);
      if (decisions.size > maxDecisions) decisions.delete(decisions.keys().next().value!);
    },
    async getDecision(decisionId) {
      return decisions.get(decisionId);
    },
    list() {
      return [...deployments.values()].map((deployment) => ({ ...deployment }));
    },
  };
}

/** Saves through the registry; a failure that is not an Aurora error is wrapped (code `AURORA_ERR_REGISTRY`). */
export async function saveToRegistry(registry: DeploymentRegistry, deployment: Deployment): Promise<void> {
  try {
    await registry.save(deployment);
  } catch (error) {
    throw registryError(error, `save ${deployment.deployment_id}`);
  }
}

export function registryError(error: unknown, operation: string): AuroraError {
  if (AuroraError.isInstance(error)) return error;
  return new AuroraError({
    message: `Deployment registry failed to ${operation}: ${error instanceof Error ? error.message : String(error)}`,
    code: 'AURORA_ERR_REGISTRY',
    cause: error,
    isRetryable: true,
  });
}
