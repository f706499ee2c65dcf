/**
 * Names Aurora uses in telemetry. Attribute names live under `aurora.*`; span names are
 * low-cardinality and never carry ids. `error.type` is the stable OpenTelemetry attribute, copied
 * here so the core needs no semantic-conventions dependency.
 */

// Span attributes
export const ATTR_AURORA_PROVIDER = 'aurora.provider';
export const ATTR_AURORA_GPU_TYPE = 'aurora.gpu_type';
export const ATTR_AURORA_GPU_COUNT = 'aurora.gpu_count';
export const ATTR_AURORA_REGION = 'aurora.region';
export const ATTR_AURORA_WORKLOAD_TYPE = 'aurora.workload_type';
export const ATTR_AURORA_DECISION_ID = 'aurora.decision_id';
export const ATTR_AURORA_DEPLOYMENT_ID = 'aurora.deployment_id';
export const ATTR_AURORA_PROVIDER_DEPLOYMENT_ID = 'aurora.provider_deployment_id';
export const ATTR_AURORA_OFFER_ID = 'aurora.offer_id';
export const ATTR_AURORA_OFFERS_COUNT = 'aurora.offers.count';
export const ATTR_AURORA_CANDIDATES_COUNT = 'aurora.candidates.count';
export const ATTR_AURORA_REJECTIONS_COUNT = 'aurora.rejections.count';
export const ATTR_AURORA_ARM = 'aurora.arm';
export const ATTR_AURORA_POLICY_ID = 'aurora.policy.id';
export const ATTR_AURORA_POLICY_VERSION = 'aurora.policy.version';
export const ATTR_AURORA_PROPENSITY = 'aurora.propensity';
export const ATTR_AURORA_SHADOW_POLICY_ID = 'aurora.shadow.policy.id';
export const ATTR_AURORA_SHADOW_OFFER_ID = 'aurora.shadow.offer_id';
export const ATTR_AURORA_ATTEMPT = 'aurora.attempt';
export const ATTR_AURORA_FILTER_REASON = 'aurora.filter.reason';
export const ATTR_AURORA_ROUTE_STATUS = 'aurora.route.status';
export const ATTR_AURORA_ADAPTER_OPERATION = 'aurora.adapter.operation';
export const ATTR_AURORA_CACHE_STATE = 'aurora.cache.state';
export const ATTR_AURORA_CIRCUIT_STATE = 'aurora.circuit.state';
export const ATTR_AURORA_DEPLOYMENT_STATUS = 'aurora.deployment.status';
export const ATTR_AURORA_TENANT = 'aurora.tenant';
export const ATTR_AURORA_PRICE_USD_PER_HOUR = 'aurora.price_usd_per_hour';
/** Stable OpenTelemetry attribute: the error's `code` (or name), low cardinality. */
export const ATTR_ERROR_TYPE = 'error.type';

// Span names
export const SPAN_AURORA_ROUTE = 'aurora.route';
export const SPAN_AURORA_QUOTE = 'aurora.quote';
export const SPAN_AURORA_ADAPTER_LIST_OFFERS = 'aurora.adapter.list_offers';
export const SPAN_AURORA_SCORE = 'aurora.score';
export const SPAN_AURORA_POLICY_DECIDE = 'aurora.policy.decide';
export const SPAN_AURORA_DEPLOY = 'aurora.deploy';
export const SPAN_AURORA_ADAPTER_GET_STATUS = 'aurora.adapter.get_status';
export const SPAN_AURORA_ADAPTER_TERMINATE = 'aurora.adapter.terminate';
export const SPAN_AURORA_ADAPTER_HEALTH_CHECK = 'aurora.adapter.health_check';
export const SPAN_AURORA_TERMINATE = 'aurora.terminate';

// Metric label keys of the Prometheus-facing metrics (design.md section 6 names them bare)
export const METRIC_LABEL_PROVIDER = 'provider';
export const METRIC_LABEL_STATUS = 'status';
export const METRIC_LABEL_REASON = 'reason';
export const METRIC_LABEL_GPU_TYPE = 'gpu_type';
export const METRIC_LABEL_MODE = 'mode';

/**
 * Instrument names. The Prometheus exporter replaces `.` with `_` and appends `_total` to
 * monotonic counters; it adds no unit suffix, so units that must show are part of the name.
 */
export const METRIC_AURORA_ROUTE_REQUESTS = 'aurora.route.requests'; // aurora_route_requests_total
export const METRIC_AURORA_ROUTE_DURATION = 'aurora.route.duration_seconds'; // aurora_route_duration_seconds
export const METRIC_AURORA_ROUTE_FAILURES = 'aurora.route.failures'; // aurora_route_failures_total
export const METRIC_AURORA_ACTIVE_DEPLOYMENTS = 'aurora.active_deployments'; // aurora_active_deployments
export const METRIC_AURORA_PROVIDER_HEALTH = 'aurora.provider.health'; // aurora_provider_health
export const METRIC_AURORA_PROVIDER_LATENCY = 'aurora.provider.latency_ms'; // aurora_provider_latency_ms
export const METRIC_AURORA_PROVIDER_COST = 'aurora.provider.cost_usd'; // aurora_provider_cost_usd
export const METRIC_AURORA_PROVIDER_CAPACITY = 'aurora.provider.capacity'; // aurora_provider_capacity
export const METRIC_AURORA_AI_DECISIONS = 'aurora.ai.decisions'; // aurora_ai_decisions_total
export const METRIC_AURORA_AI_REWARD = 'aurora.ai.reward'; // aurora_ai_reward
export const METRIC_AURORA_AI_FILL_RATE_IMPROVEMENT = 'aurora.ai.fill_rate_improvement'; // aurora_ai_fill_rate_improvement
export const METRIC_AURORA_ADAPTER_REQUEST_DURATION = 'aurora.adapter.request.duration'; // aurora_adapter_request_duration
export const METRIC_AURORA_OFFERS_EVALUATED = 'aurora.offers.evaluated'; // aurora_offers_evaluated_total
export const METRIC_AURORA_OFFERS_REJECTED = 'aurora.offers.rejected'; // aurora_offers_rejected_total
