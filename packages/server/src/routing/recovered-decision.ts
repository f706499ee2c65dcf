import { defaultWeights, normalizeWeights, type Decision, type Deployment, type WeightsInput } from '@aurora/router';

/**
 * The decision of a deployment whose decision record was never written: the process that routed
 * it died between the deploy and the end of the route, and the reconciler adopted the deployment
 * from the provider. The ranking is lost with that process; the record says so instead of
 * pretending, and a retry of the route still gets its deployment.
 */
export function recoveredDecision(deployment: Deployment, configuredWeights: WeightsInput): Decision {
  return {
    decision_id: deployment.decision_id,
    created_at: deployment.created_at,
    chosen: null,
    candidates: [],
    rejections: [],
    rejection_counts: { by_reason: {}, by_provider: {} },
    weights: normalizeWeights(configuredWeights) ?? defaultWeights,
    policy: { id: 'unknown', version: 'unknown' },
    arm: 'rules',
    propensity: 0,
    shadow: null,
    attempts: [],
    adapter_failures: [],
    warnings: [
      'the decision record was lost: the server stopped between the deploy and the end of the route, and the reconciler adopted the deployment from the provider; the weights shown are the configured defaults',
    ],
  };
}
