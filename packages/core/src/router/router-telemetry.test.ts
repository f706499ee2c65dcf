import { context, SpanStatusCode } from '@opentelemetry/api';
import { MeterProvider, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterCallError, createRouter, type Policy, type RoutingRequestInput } from '@aurora/router';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { AsyncContextManager } from '../telemetry/__fixtures__/async-context-manager';
import { TestMetricReader } from '../telemetry/__fixtures__/test-metric-reader';

const request: RoutingRequestInput = { workload_type: 'llm_inference', gpu_type: 'a100' };

beforeAll(() => {
  context.setGlobalContextManager(new AsyncContextManager());
});
afterAll(() => {
  context.disable();
});

function setup(policy?: Policy) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const alpha = createMockAdapter({ name: 'alpha', offers: [createOffer({ provider: 'alpha', offer_id: 'a1', price_usd_per_hour: 1, capacity: 3 })] });
  const beta = createMockAdapter({
    name: 'beta',
    simulated: false,
    offers: [createOffer({ provider: 'beta', offer_id: 'b1', price_usd_per_hour: 4, gpu_count: 2, capacity: 2 }), createOffer({ provider: 'beta', offer_id: 'b2', region: 'eu-west', gpu_type: 'h100', price_usd_per_hour: 3 })],
  });
  const router = createRouter({ adapters: [alpha, beta], telemetry: { tracerProvider, meterProvider }, ...(policy ? { policy } : {}) });
  const spans = async (): Promise<ReadableSpan[]> => {
    await tracerProvider.forceFlush();
    return exporter.getFinishedSpans();
  };
  return { router, alpha, beta, spans, reader };
}

function named(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

function points(metric: MetricData | undefined): Array<{ attributes: Record<string, unknown>; value: unknown }> {
  return (metric?.dataPoints ?? []).map((point) => ({ attributes: { ...point.attributes }, value: point.value }));
}

describe('router telemetry', () => {
  it('traces a route: aurora.route with adapter, score, policy and one deploy span per attempt beneath', async () => {
    const { router, alpha, spans } = setup();
    alpha.setFailure('deploy', [new AdapterCallError({ message: 'upstream 503', adapterId: 'alpha', operation: 'deploy', statusCode: 503 })]);
    const { decision } = await router.route(request, { tenant: 'acme' });

    const finished = await spans();
    const [root] = named(finished, 'aurora.route');
    expect(root).toBeDefined();
    expect(root!.parentSpanContext).toBeUndefined();
    expect(root!.attributes).toMatchObject({
      'aurora.decision_id': decision.decision_id,
      'aurora.gpu_type': 'a100',
      'aurora.tenant': 'acme',
      'aurora.route.status': 'deployed',
      'aurora.provider': 'beta',
    });
    const children = finished.filter((span) => span.parentSpanContext?.spanId === root!.spanContext().spanId);
    expect(children.map((span) => span.name).sort()).toEqual(
      ['aurora.adapter.list_offers', 'aurora.adapter.list_offers', 'aurora.deploy', 'aurora.deploy', 'aurora.policy.decide', 'aurora.score'].sort(),
    );
    expect(named(finished, 'aurora.adapter.list_offers').map((span) => span.attributes['aurora.provider']).sort()).toEqual(['alpha', 'beta']);

    const [failed, deployed] = named(finished, 'aurora.deploy');
    expect(failed!.attributes).toMatchObject({ 'aurora.provider': 'alpha', 'aurora.attempt': 1, 'error.type': 'AURORA_ERR_ADAPTER_CALL' });
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
    expect(deployed!.attributes).toMatchObject({ 'aurora.provider': 'beta', 'aurora.attempt': 2, 'aurora.provider_deployment_id': 'beta-dep-1' });
    expect(named(finished, 'aurora.policy.decide')[0]!.attributes).toMatchObject({ 'aurora.policy.id': 'rules', 'aurora.arm': 'rules', 'aurora.propensity': 1 });
    expect(named(finished, 'aurora.score')[0]!.attributes).toMatchObject({ 'aurora.offers.count': 3, 'aurora.candidates.count': 2, 'aurora.rejections.count': 1 });
  });

  it('traces a quote as aurora.quote and leaves cache hits untraced', async () => {
    const { router, spans } = setup();
    await router.quote(request);
    await router.quote(request);
    const finished = await spans();
    const quotes = named(finished, 'aurora.quote');
    expect(quotes).toHaveLength(2);
    const calls = named(finished, 'aurora.adapter.list_offers');
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(quotes[0]!.spanContext().spanId);
    expect(calls[0]!.attributes['aurora.cache.state']).toBe('miss');
  });

  it('marks the policy span as failed when the policy fails and the rule policy takes over', async () => {
    const { router, spans } = setup({ id: 'broken', version: '1', decide: () => { throw new Error('model down'); } });
    await router.route(request);
    const [decide] = named(await spans(), 'aurora.policy.decide');
    expect(decide!.status.code).toBe(SpanStatusCode.ERROR);
    expect(decide!.events.map((event) => event.name)).toContain('exception');
  });

  it('counts routes, failures, adapter calls and offers', async () => {
    const { router, alpha, reader } = setup();
    alpha.setFailure('deploy', [new AdapterCallError({ message: 'upstream 503', adapterId: 'alpha', operation: 'deploy', statusCode: 503 })]);
    await router.route(request);
    await router.route({ ...request, max_price: 0.5 }).catch(() => undefined);
    await router.route({ ...request, gpu_count: 0 }).catch(() => undefined);

    const metrics = await reader.metricsByName();
    expect(points(metrics.get('aurora.route.requests'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'beta', status: 'deployed' }, value: 1 },
        { attributes: { provider: 'none', status: 'no_eligible' }, value: 1 },
        { attributes: { provider: 'none', status: 'invalid' }, value: 1 },
      ]),
    );
    expect(points(metrics.get('aurora.route.failures'))).toEqual([{ attributes: { provider: 'alpha', reason: 'http_503' }, value: 1 }]);
    const duration = metrics.get('aurora.route.duration_seconds') as HistogramMetricData;
    expect(duration.dataPoints.map((point) => point.attributes.provider).sort()).toEqual(['beta', 'none']);
    const adapterCalls = metrics.get('aurora.adapter.request.duration') as HistogramMetricData;
    expect(adapterCalls.dataPoints.map((point) => [point.attributes['aurora.provider'], point.attributes['aurora.adapter.operation'], point.attributes['error.type'] ?? null, point.value.count]).sort()).toEqual(
      [
        ['alpha', 'deploy', 'AURORA_ERR_ADAPTER_CALL', 1],
        ['alpha', 'list_offers', null, 1],
        ['beta', 'deploy', null, 1],
        ['beta', 'list_offers', null, 1],
      ].sort(),
    );
    // 3 offers per quote, two quotes: the second cached, still evaluated
    expect(points(metrics.get('aurora.offers.evaluated'))).toEqual([{ attributes: {}, value: 6 }]);
    expect(points(metrics.get('aurora.offers.rejected'))).toEqual(
      expect.arrayContaining([
        { attributes: { 'aurora.filter.reason': 'gpu_type_mismatch' }, value: 2 },
        { attributes: { 'aurora.filter.reason': 'price_above_max' }, value: 2 },
      ]),
    );
  });

  it('records AI decisions by arm and shadow', async () => {
    const policy: Policy = {
      id: 'bandit',
      version: '1',
      decide: (_context, candidates) => ({
        index: 0, propensity: 0.9, scores: candidates.map((candidate) => candidate.score), policy_id: 'bandit', policy_version: '1', arm: 'ai',
        shadow: { policy_id: 'next', policy_version: '0', index: 0, propensity: 1 },
      }),
    };
    const { router, reader } = setup(policy);
    await router.route(request);
    const metrics = await reader.metricsByName();
    expect(points(metrics.get('aurora.ai.decisions'))).toEqual(
      expect.arrayContaining([
        { attributes: { mode: 'ai' }, value: 1 },
        { attributes: { mode: 'shadow' }, value: 1 },
      ]),
    );
  });

  it('takes the ai gauges from the policy when it reports them', async () => {
    const policy: Policy & { lastReward(): number; fillRateImprovement(): number } = {
      id: 'reporting',
      version: '1',
      decide: (_context, candidates) => ({ index: 0, propensity: 1, scores: candidates.map((candidate) => candidate.score), policy_id: 'reporting', policy_version: '1', arm: 'rules' }),
      lastReward: () => 0.25,
      fillRateImprovement: () => -0.04,
    };
    const { reader } = setup(policy);
    const metrics = await reader.metricsByName();
    expect(points(metrics.get('aurora.ai.reward'))).toEqual([{ attributes: {}, value: 0.25 }]);
    expect(points(metrics.get('aurora.ai.fill_rate_improvement'))).toEqual([{ attributes: {}, value: -0.04 }]);
  });

  it('reports the gauges: live deployments, provider health, capacity and cheapest price', async () => {
    const { router, reader } = setup();
    const { deployment } = await router.route(request);
    await router.checkHealth();
    let metrics = await reader.metricsByName();
    expect(points(metrics.get('aurora.active_deployments'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'alpha' }, value: 1 },
        { attributes: { provider: 'beta' }, value: 0 },
      ]),
    );
    expect(points(metrics.get('aurora.provider.health'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'alpha' }, value: 1 },
        { attributes: { provider: 'beta' }, value: 1 },
      ]),
    );
    expect(points(metrics.get('aurora.provider.latency_ms'))).toEqual(expect.arrayContaining([{ attributes: { provider: 'alpha' }, value: 5 }]));
    expect(points(metrics.get('aurora.provider.capacity'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'alpha' }, value: 3 },
        { attributes: { provider: 'beta' }, value: 6 },
      ]),
    );
    expect(points(metrics.get('aurora.provider.cost_usd'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'alpha', gpu_type: 'a100' }, value: 1 },
        { attributes: { provider: 'beta', gpu_type: 'a100' }, value: 2 },
        { attributes: { provider: 'beta', gpu_type: 'h100' }, value: 3 },
      ]),
    );

    await router.terminate(deployment.deployment_id);
    metrics = await reader.metricsByName();
    expect(points(metrics.get('aurora.active_deployments'))).toEqual(expect.arrayContaining([{ attributes: { provider: 'alpha' }, value: 0 }]));
  });
});
