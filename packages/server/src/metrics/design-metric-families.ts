/**
 * The metric families design.md section 6 promises on /metrics. The router records them through
 * OpenTelemetry; a family without samples yet (no failure so far, no learning policy) is still
 * announced with HELP and TYPE, so dashboards and alerts can rely on every name being present.
 */
export const designMetricFamilies = [
  { name: 'aurora_route_requests_total', type: 'counter', help: 'Routing requests by the provider finally used and the outcome' },
  { name: 'aurora_route_duration_seconds', type: 'histogram', help: 'Wall time of a route, from request to deployment or failure' },
  { name: 'aurora_route_failures_total', type: 'counter', help: 'Failed deploy attempts and routes by provider and reason' },
  { name: 'aurora_active_deployments', type: 'gauge', help: 'Deployments not yet in a terminal state, by provider' },
  { name: 'aurora_provider_health', type: 'gauge', help: 'Provider health: 1 healthy, 0 unhealthy' },
  { name: 'aurora_provider_latency_ms', type: 'gauge', help: 'Latency of the last provider health check' },
  { name: 'aurora_provider_cost_usd', type: 'gauge', help: 'Cheapest quoted price in USD per GPU-hour, by provider and GPU type' },
  { name: 'aurora_provider_capacity', type: 'gauge', help: 'Capacity quoted by the provider in the last quote' },
  { name: 'aurora_ai_decisions_total', type: 'counter', help: 'Decisions taken by a learning policy, by mode' },
  { name: 'aurora_ai_reward', type: 'gauge', help: 'Latest reward observed by the learning policy' },
  { name: 'aurora_ai_fill_rate_improvement', type: 'gauge', help: 'Fill rate of the ai arm minus that of the rules arm' },
] as const;

/** Appends HELP and TYPE lines for each family the exposition does not contain yet. */
export function announceMissingFamilies(exposition: string, families: ReadonlyArray<{ name: string; type: string; help: string }>): string {
  const missing = families.filter((family) => !exposition.includes(`# TYPE ${family.name} `));
  if (missing.length === 0) return exposition;
  const separator = exposition === '' || exposition.endsWith('\n') ? '' : '\n';
  return exposition + separator + missing.map((family) => `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`).join('');
}
