export { createRouter } from './create-router';
export type { Router, QuoteOptions, RouteOptions, RouteResult, LogsOptions, StatusOptions } from './router';
export type { QuoteResult } from './quote-offers';
export type { AdapterFailure } from './offer-source';
export type {
  RouterEvents, RouteStartEvent, RouteEndEvent, OfferRejectedEvent, FailoverEvent, DeployFailedEvent, StatusChangeEvent, CircuitEvent,
} from './router-events';
export type { RouterOptions, RouterLimits, CircuitLimits, RouterClock, RouterTelemetryProviders } from './router-options';
export { createInMemoryRegistry, type DeploymentRegistry, type InMemoryRegistry, type InMemoryRegistryOptions } from './deployment-registry';
export { CircuitBreaker, countsAsFailure, type CircuitBreakerOptions, type CircuitSnapshot, type CircuitTransition } from './circuit-breaker';
export { accruedCostUsd } from './deployment-cost';
