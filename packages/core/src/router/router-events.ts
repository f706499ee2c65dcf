import type { AuroraError } from '../errors/aurora-error';
import type { DeployAttempt, OfferRejection } from '../schemas/decision';
import type { DeploymentStatus } from '../schemas/deployment';
import type { Outcome } from '../schemas/outcome';
import type { RoutingRequest } from '../schemas/routing-request';
import type { CircuitTransition } from './circuit-breaker';

export type RouteStartEvent = {
  decision_id: string;
  deployment_id: string;
  request: RoutingRequest;
  tenant: string | null;
  idempotency_key: string | null;
};

export type RouteEndEvent = {
  decision_id: string;
  deployment_id: string | null;
  status: 'deployed' | 'failed' | 'no_eligible';
  /** The provider deployed on, or the last one tried. */
  provider: string | null;
  duration_ms: number;
  attempts: number;
  error: AuroraError | null;
};

export type OfferRejectedEvent = OfferRejection & { decision_id: string | null };

export type FailoverEvent = {
  decision_id: string;
  deployment_id: string;
  attempt: number;
  /** The offer that failed. */
  provider: string;
  offer_id: string;
  error: AuroraError;
  /** What is blocked for the rest of this route: that offer or the whole provider. */
  blocked: 'offer' | 'provider';
  /** The candidate tried next, or null when none is left. */
  next: { provider: string; offer_id: string } | null;
};

export type DeployFailedEvent = {
  decision_id: string;
  deployment_id: string;
  error: AuroraError;
  attempts: DeployAttempt[];
};

export type StatusChangeEvent = {
  deployment_id: string;
  provider: string;
  from: DeploymentStatus;
  to: DeploymentStatus;
};

export type CircuitEvent = CircuitTransition;

/**
 * The router's typed events (eventemitter3). Listeners run synchronously; one that throws cannot
 * break a route (the router catches and ignores it).
 *
 * `offer-rejected` is emitted once per rejection, only while someone listens, and at most
 * `limits.max_recorded_rejections` times per quote.
 */
export type RouterEvents = {
  'route-start': [event: RouteStartEvent];
  'route-end': [event: RouteEndEvent];
  'offer-rejected': [event: OfferRejectedEvent];
  failover: [event: FailoverEvent];
  'deploy-failed': [event: DeployFailedEvent];
  'circuit-open': [event: CircuitEvent];
  'circuit-close': [event: CircuitEvent];
  'status-change': [event: StatusChangeEvent];
  outcome: [event: Outcome];
};
