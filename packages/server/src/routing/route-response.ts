import type { Decision, Deployment, Offer } from '@aurora/router';

/** POST /route's 201 body: the deployment's fields at the top level and the decision that placed it. */
export type RouteResponse = RouteSummary & { decision: Decision };

/** The top-level fields of a route response: everything but the decision. */
export type RouteSummary = {
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
};

export function toRouteResponse(deployment: Deployment, decision: Decision): RouteResponse {
  return { ...toRouteSummary(deployment, decision), decision };
}

export function toRouteSummary(deployment: Deployment, decision: Decision): RouteSummary {
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
  };
}

/**
 * The JSON text of `{ ...summary, decision }` from the decision's JSON text: the same bytes as
 * `JSON.stringify(toRouteResponse(...))`, without serialising the decision a second time.
 */
export function routeResponseJson(summary: RouteSummary, decisionJson: string): string {
  const head = JSON.stringify(summary);
  return `${head.slice(0, -1)},"decision":${decisionJson}}`;
}

/** Marks the compact form of a route response that the ledger keeps under an Idempotency-Key. */
const storedRouteMarker = 'aurora.route-response/v1';

/**
 * What the ledger keeps to replay a route's 201: the top-level fields and, through `decision_id`,
 * the decision stored beside it (`expandStoredRoute` puts the two together again). A few hundred
 * bytes instead of a second copy of the decision.
 */
export type StoredRouteResponse = { kind: typeof storedRouteMarker; summary: RouteSummary };

export function storedRouteResponse(summary: RouteSummary): StoredRouteResponse {
  return { kind: storedRouteMarker, summary };
}

export function isStoredRouteResponse(value: unknown): value is StoredRouteResponse {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === storedRouteMarker;
}

/** The offer finally deployed: the policy's pick, or the candidate failover moved to. */
function deployedOffer(deployment: Deployment, decision: Decision): Offer | undefined {
  const matches = (offer: Offer) => offer.provider === deployment.provider && offer.offer_id === deployment.offer_id;
  if (decision.chosen && matches(decision.chosen)) return decision.chosen;
  return decision.candidates.find((candidate) => matches(candidate.offer))?.offer;
}
