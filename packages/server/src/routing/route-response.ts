import type { Decision, Deployment, Offer } from '@aurora/router';

/** POST /route's 201 body: the deployment's fields at the top level and the decision that placed it. */
export type RouteResponse = {
  deployment_id: string;
  provider: string;
  provider_deployment_id: string | null;
  offer_id: string;
  status: Deployment['status'];
  price_usd_per_hour: number;
  estimated_latency_ms: number | null;
  gpu_type: string;
  gpu_count: number;
  region: string;
  endpoint: string | null;
  decision_id: string;
  created_at: string;
  decision: Decision;
};

export function toRouteResponse(deployment: Deployment, decision: Decision): RouteResponse {
  const offer = deployedOffer(deployment, decision);
  return {
    deployment_id: deployment.deployment_id,
    provider: deployment.provider,
    provider_deployment_id: deployment.provider_deployment_id,
    offer_id: deployment.offer_id,
    status: deployment.status,
    price_usd_per_hour: deployment.price_usd_per_hour,
    estimated_latency_ms: offer?.estimated_latency_ms ?? null,
    gpu_type: deployment.gpu_type,
    gpu_count: deployment.gpu_count,
    region: deployment.region,
    endpoint: deployment.endpoint,
    decision_id: deployment.decision_id,
    created_at: deployment.created_at,
    decision,
  };
}

/** The offer finally deployed: the policy's pick, or the candidate failover moved to. */
function deployedOffer(deployment: Deployment, decision: Decision): Offer | undefined {
  const matches = (offer: Offer) => offer.provider === deployment.provider && offer.offer_id === deployment.offer_id;
  if (decision.chosen && matches(decision.chosen)) return decision.chosen;
  return decision.candidates.find((candidate) => matches(candidate.offer))?.offer;
}
