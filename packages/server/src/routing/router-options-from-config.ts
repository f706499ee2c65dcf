import type { RouterOptions, RoutingRequestInput } from '@aurora/router';
import type { ServerConfig } from '../config/server-config';

/**
 * The router's defaults, weights and limits from router.yaml. The router's own in-process replay
 * cache is off (`idempotency_cache_size: 0`): the server's idempotency claims in the ledger already
 * route each key once, across replicas, and a cache of whole results would only hold memory.
 */
export function routerOptionsFromConfig(config: ServerConfig): Pick<RouterOptions, 'defaults' | 'weights' | 'limits'> {
  const { defaults, limits, budgets } = config.router;
  const requestDefaults: Partial<RoutingRequestInput> = {
    region: defaults.region,
    allow_interruptible: defaults.allow_interruptible,
    ...(defaults.max_latency_ms !== undefined ? { max_latency_ms: defaults.max_latency_ms } : {}),
    ...(defaults.min_reputation !== undefined ? { min_reputation: defaults.min_reputation } : {}),
  };
  return {
    defaults: requestDefaults,
    weights: defaults.weights,
    limits: {
      quote_timeout_ms: limits.quote_timeout_ms,
      quote_concurrency: limits.quote_concurrency,
      offer_cache_fresh_ms: limits.offer_cache_fresh_ms,
      offer_cache_max_age_ms: limits.offer_cache_max_age_ms,
      max_deploy_attempts: limits.max_deploy_attempts,
      deploy_timeout_ms: limits.deploy_timeout_ms,
      route_deadline_ms: limits.route_deadline_ms,
      adapter_call_timeout_ms: limits.adapter_call_timeout_ms,
      max_recorded_candidates: limits.max_recorded_candidates,
      max_recorded_rejections: limits.max_recorded_rejections,
      idempotency_cache_size: 0,
      circuit: limits.circuit,
      ...(budgets.per_deployment_usd !== null ? { budget_per_request_usd: budgets.per_deployment_usd } : {}),
    },
  };
}
