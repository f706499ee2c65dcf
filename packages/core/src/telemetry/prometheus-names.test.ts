import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createRouterTelemetry, type RouterGaugeSource } from './index';

const gaugeSource: RouterGaugeSource = {
  activeDeployments: () => ({ akash: 2 }),
  providerHealth: () => [{ provider: 'akash', healthy: true, latency_ms: 42 }, { provider: 'vastai', healthy: false, latency_ms: null }],
  capacity: () => ({ akash: 7 }),
  costUsd: () => [{ provider: 'akash', gpu_type: 'a100', value: 1.25 }],
  aiReward: () => 0.5,
  aiFillRateImprovement: () => 0.03,
};

let server: Server | undefined;
let meterProvider: MeterProvider | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await meterProvider?.shutdown();
  meterProvider = undefined;
});

/** Scrapes the exporter's real request handler over HTTP, as Prometheus would. */
async function scrape(exporterOptions: ConstructorParameters<typeof PrometheusExporter>[0] = {}): Promise<string[]> {
  const exporter = new PrometheusExporter({ preventServerStart: true, ...exporterOptions });
  meterProvider = new MeterProvider({ readers: [exporter] });
  const telemetry = createRouterTelemetry({ meterProvider });
  telemetry.recordRoute('akash', 'deployed', 0.2);
  telemetry.recordRoute(undefined, 'no_eligible', 0.01);
  telemetry.recordFailure('vastai', 'AURORA_ERR_ADAPTER_CALL');
  telemetry.recordAiDecision('shadow');
  telemetry.recordAdapterRequest('akash', 'list_offers', 0.05);
  telemetry.recordOffers(10, { price_above_max: 3 });
  telemetry.observeGauges(gaugeSource);

  server = createServer((request, response) => exporter.getMetricsRequestHandler(request, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return (await response.text()).split('\n');
}

describe('Prometheus exposition of the router metrics', () => {
  it('prints the design names and labels exactly', async () => {
    const lines = await scrape({ withoutScopeInfo: true, withoutTargetInfo: true });
    const expected = [
      'aurora_route_requests_total{provider="akash",status="deployed"} 1',
      'aurora_route_requests_total{provider="none",status="no_eligible"} 1',
      'aurora_route_duration_seconds_count{provider="akash"} 1',
      'aurora_route_duration_seconds_sum{provider="akash"} 0.2',
      'aurora_route_duration_seconds_bucket{provider="akash",le="0.25"} 1',
      'aurora_route_duration_seconds_bucket{provider="akash",le="0.1"} 0',
      'aurora_route_failures_total{provider="vastai",reason="AURORA_ERR_ADAPTER_CALL"} 1',
      'aurora_active_deployments{provider="akash"} 2',
      'aurora_provider_health{provider="akash"} 1',
      'aurora_provider_health{provider="vastai"} 0',
      'aurora_provider_latency_ms{provider="akash"} 42',
      'aurora_provider_cost_usd{provider="akash",gpu_type="a100"} 1.25',
      'aurora_provider_capacity{provider="akash"} 7',
      'aurora_ai_decisions_total{mode="shadow"} 1',
      'aurora_ai_reward 0.5',
      'aurora_ai_fill_rate_improvement 0.03',
      'aurora_offers_evaluated_total 10',
      'aurora_offers_rejected_total{aurora_filter_reason="price_above_max"} 3',
      'aurora_adapter_request_duration_count{aurora_provider="akash",aurora_adapter_operation="list_offers"} 1',
    ];
    for (const line of expected) expect(lines).toContain(line);
    expect(lines).toContain('# TYPE aurora_route_requests_total counter');
    expect(lines).toContain('# TYPE aurora_route_duration_seconds histogram');
    expect(lines).toContain('# TYPE aurora_provider_health gauge');
    // A provider whose health check has no latency yet is not reported as 0 ms.
    expect(lines.some((line) => line.startsWith('aurora_provider_latency_ms{provider="vastai"'))).toBe(false);
  });

  it('keeps the names under the default exporter options, which add scope labels', async () => {
    const lines = await scrape();
    const names = new Set(lines.filter((line) => line.startsWith('aurora_')).map((line) => line.split(/[{ ]/)[0]));
    expect([...names].sort()).toEqual(
      [
        'aurora_active_deployments',
        'aurora_adapter_request_duration_bucket',
        'aurora_adapter_request_duration_count',
        'aurora_adapter_request_duration_sum',
        'aurora_ai_decisions_total',
        'aurora_ai_fill_rate_improvement',
        'aurora_ai_reward',
        'aurora_offers_evaluated_total',
        'aurora_offers_rejected_total',
        'aurora_provider_capacity',
        'aurora_provider_cost_usd',
        'aurora_provider_health',
        'aurora_provider_latency_ms',
        'aurora_route_duration_seconds_bucket',
        'aurora_route_duration_seconds_count',
        'aurora_route_duration_seconds_sum',
        'aurora_route_failures_total',
        'aurora_route_requests_total',
      ].sort(),
    );
    const routeLine = lines.find((line) => line.startsWith('aurora_route_requests_total{'));
    expect(routeLine).toMatch(/provider="akash"/);
    expect(routeLine).toMatch(/status="deployed"/);
    expect(routeLine).toMatch(/otel_scope_name="@aurora\/router"/);
  });
});
