import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { DataPointType, MeterProvider, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import pLimit from 'p-limit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterCallError } from '../errors/adapter-call-error';
import { NoEligibleOfferError } from '../errors/no-eligible-offer-error';
import { VERSION } from '../version';
import { AsyncContextManager } from './__fixtures__/async-context-manager';
import { TestMetricReader } from './__fixtures__/test-metric-reader';
import {
  ATTR_AURORA_PROVIDER,
  ATTR_ERROR_TYPE,
  createRouterTelemetry,
  errorType,
  SPAN_AURORA_ADAPTER_LIST_OFFERS,
  SPAN_AURORA_ROUTE,
  SPAN_AURORA_SCORE,
  type RouterGaugeSource,
} from './index';

const contextManager = new AsyncContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager);
});
afterAll(() => {
  context.disable();
});

function setup() {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createRouterTelemetry({ tracerProvider, meterProvider });
  /** Spans export asynchronously, even with the simple processor: flush first. */
  const finishedSpans = async (): Promise<ReadableSpan[]> => {
    await tracerProvider.forceFlush();
    return spanExporter.getFinishedSpans();
  };
  return { telemetry, finishedSpans, reader };
}

function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function points(metric: MetricData | undefined): Array<{ attributes: Record<string, unknown>; value: unknown }> {
  if (!metric) return [];
  return metric.dataPoints.map((point) => ({ attributes: { ...point.attributes }, value: point.value }));
}

describe('createRouterTelemetry spans', () => {
  let fixture: ReturnType<typeof setup>;
  beforeEach(() => {
    fixture = setup();
  });

  it('names the tracer @aurora/router with the package version', async () => {
    await fixture.telemetry.span(SPAN_AURORA_ROUTE, {}, async () => undefined);
    const [span] = await fixture.finishedSpans();
    expect(span?.instrumentationScope).toMatchObject({ name: '@aurora/router', version: VERSION });
  });

  it('returns the result, sets the attributes and ends the span', async () => {
    const result = await fixture.telemetry.span(SPAN_AURORA_ROUTE, { [ATTR_AURORA_PROVIDER]: 'akash' }, async (span) => {
      span.setAttribute('aurora.offers.count', 3);
      return 'done';
    });
    expect(result).toBe('done');
    const [span] = await fixture.finishedSpans();
    expect(span?.name).toBe(SPAN_AURORA_ROUTE);
    expect(span?.attributes).toEqual({ [ATTR_AURORA_PROVIDER]: 'akash', 'aurora.offers.count': 3 });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.ended).toBe(true);
  });

  it('nests child spans, also when they run through p-limit', async () => {
    const limit = pLimit(1);
    await fixture.telemetry.span(SPAN_AURORA_ROUTE, {}, async () => {
      await Promise.all(
        ['akash', 'vastai', 'ionet'].map((provider) =>
          limit(() => fixture.telemetry.span(SPAN_AURORA_ADAPTER_LIST_OFFERS, { [ATTR_AURORA_PROVIDER]: provider }, async () => provider)),
        ),
      );
      await fixture.telemetry.span(SPAN_AURORA_SCORE, {}, async () => undefined);
    });
    const spans = await fixture.finishedSpans();
    const root = spanNamed(spans, SPAN_AURORA_ROUTE);
    const children = spans.filter((span) => span !== root);
    expect(children).toHaveLength(4);
    for (const child of children) {
      expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    }
    expect(root.parentSpanContext).toBeUndefined();
  });

  it('records an Aurora error with its code as error.type, sets ERROR and rethrows', async () => {
    const failure = new NoEligibleOfferError({ rejections: { total_offers: 2, by_reason: { region_mismatch: 2 }, by_provider: { akash: 2 } } });
    await expect(fixture.telemetry.span(SPAN_AURORA_ROUTE, {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = await fixture.finishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBe('AURORA_ERR_NO_ELIGIBLE_OFFER');
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
    expect(span?.ended).toBe(true);
  });

  it('uses the error name for other errors and ends the span on a synchronous throw', async () => {
    await expect(
      fixture.telemetry.span(SPAN_AURORA_ROUTE, {}, () => {
        throw new TypeError('bad');
      }),
    ).rejects.toThrow('bad');
    const [span] = await fixture.finishedSpans();
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(span?.ended).toBe(true);
  });

  it('leaves the active context as it was after the span', async () => {
    const before = trace.getActiveSpan();
    await fixture.telemetry.span(SPAN_AURORA_ROUTE, {}, async () => {
      expect(trace.getActiveSpan()).toBeDefined();
    });
    expect(trace.getActiveSpan()).toBe(before);
  });

  it('works as a no-op without providers or a registered SDK', async () => {
    const telemetry = createRouterTelemetry();
    await expect(telemetry.span(SPAN_AURORA_ROUTE, {}, async () => 7)).resolves.toBe(7);
    telemetry.recordRoute('akash', 'deployed', 1);
    telemetry.observeGauges(emptyGaugeSource());
    expect(await fixture.finishedSpans()).toHaveLength(0);
  });
});

describe('errorType', () => {
  it('prefers the Aurora code, then the error name', () => {
    expect(errorType(new AdapterCallError({ message: 'down', adapterId: 'akash', operation: 'deploy', statusCode: 503 }))).toBe('AURORA_ERR_ADAPTER_CALL');
    expect(errorType(new RangeError('x'))).toBe('RangeError');
    expect(errorType('a string')).toBe('unknown');
  });
});

describe('createRouterTelemetry metrics', () => {
  let fixture: ReturnType<typeof setup>;
  beforeEach(() => {
    fixture = setup();
  });

  it('counts routes by provider and status and records their duration', async () => {
    fixture.telemetry.recordRoute('akash', 'deployed', 0.3);
    fixture.telemetry.recordRoute('akash', 'deployed', 0.1);
    fixture.telemetry.recordRoute(undefined, 'invalid', 0.001);
    const metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.route.requests'))).toEqual(
      expect.arrayContaining([
        { attributes: { provider: 'akash', status: 'deployed' }, value: 2 },
        { attributes: { provider: 'none', status: 'invalid' }, value: 1 },
      ]),
    );
    const duration = metrics.get('aurora.route.duration_seconds') as HistogramMetricData;
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.descriptor.unit).toBe('s');
    const akash = duration.dataPoints.find((point) => point.attributes.provider === 'akash');
    expect(akash?.value.count).toBe(2);
    expect(akash?.value.sum).toBeCloseTo(0.4);
    expect(akash?.value.buckets.boundaries).toContain(0.25);
  });

  it('counts failures, AI decisions, offers and rejections by reason', async () => {
    fixture.telemetry.recordFailure('vastai', 'AURORA_ERR_ADAPTER_CALL');
    fixture.telemetry.recordAiDecision('ai');
    fixture.telemetry.recordAiDecision('ai');
    fixture.telemetry.recordOffers(12, { price_above_max: 4, region_mismatch: 1, over_budget: 0 });
    fixture.telemetry.recordOffers(3, {});
    const metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.route.failures'))).toEqual([{ attributes: { provider: 'vastai', reason: 'AURORA_ERR_ADAPTER_CALL' }, value: 1 }]);
    expect(points(metrics.get('aurora.ai.decisions'))).toEqual([{ attributes: { mode: 'ai' }, value: 2 }]);
    expect(points(metrics.get('aurora.offers.evaluated'))).toEqual([{ attributes: {}, value: 15 }]);
    expect(points(metrics.get('aurora.offers.rejected'))).toEqual(
      expect.arrayContaining([
        { attributes: { 'aurora.filter.reason': 'price_above_max' }, value: 4 },
        { attributes: { 'aurora.filter.reason': 'region_mismatch' }, value: 1 },
      ]),
    );
    expect(points(metrics.get('aurora.offers.rejected'))).toHaveLength(2);
  });

  it('records adapter request durations with the operation and error type', async () => {
    fixture.telemetry.recordAdapterRequest('akash', 'deploy', 2);
    fixture.telemetry.recordAdapterRequest('akash', 'deploy', 1, 'AURORA_ERR_ADAPTER_CALL');
    const metrics = await fixture.reader.metricsByName();
    const histogram = metrics.get('aurora.adapter.request.duration') as HistogramMetricData;
    const attributes = histogram.dataPoints.map((point) => ({ ...point.attributes }));
    expect(attributes).toEqual(
      expect.arrayContaining([
        { 'aurora.provider': 'akash', 'aurora.adapter.operation': 'deploy' },
        { 'aurora.provider': 'akash', 'aurora.adapter.operation': 'deploy', 'error.type': 'AURORA_ERR_ADAPTER_CALL' },
      ]),
    );
  });

  it('observes the gauges from the source at each collection', async () => {
    let active = 1;
    fixture.telemetry.observeGauges({
      ...emptyGaugeSource(),
      activeDeployments: () => ({ akash: active }),
      providerHealth: () => [{ provider: 'akash', healthy: false, latency_ms: 120 }],
      capacity: () => ({ akash: 5 }),
      costUsd: () => [{ provider: 'akash', gpu_type: 'h100', value: 2.5 }],
      aiReward: () => -0.25,
      aiFillRateImprovement: () => 0.1,
    });
    let metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.active_deployments'))).toEqual([{ attributes: { provider: 'akash' }, value: 1 }]);
    expect(points(metrics.get('aurora.provider.health'))).toEqual([{ attributes: { provider: 'akash' }, value: 0 }]);
    expect(points(metrics.get('aurora.provider.latency_ms'))).toEqual([{ attributes: { provider: 'akash' }, value: 120 }]);
    expect(points(metrics.get('aurora.provider.capacity'))).toEqual([{ attributes: { provider: 'akash' }, value: 5 }]);
    expect(points(metrics.get('aurora.provider.cost_usd'))).toEqual([{ attributes: { provider: 'akash', gpu_type: 'h100' }, value: 2.5 }]);
    expect(points(metrics.get('aurora.ai.reward'))).toEqual([{ attributes: {}, value: -0.25 }]);
    expect(points(metrics.get('aurora.ai.fill_rate_improvement'))).toEqual([{ attributes: {}, value: 0.1 }]);
    active = 3;
    metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.active_deployments'))).toEqual([{ attributes: { provider: 'akash' }, value: 3 }]);
  });

  it('registers the gauge callback once; a second call replaces the source', async () => {
    fixture.telemetry.observeGauges({ ...emptyGaugeSource(), activeDeployments: () => ({ akash: 1 }) });
    fixture.telemetry.observeGauges({ ...emptyGaugeSource(), activeDeployments: () => ({ vastai: 4 }) });
    const metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.active_deployments'))).toEqual([{ attributes: { provider: 'vastai' }, value: 4 }]);
  });

  it('reports no AI gauges until the source has values', async () => {
    fixture.telemetry.observeGauges(emptyGaugeSource());
    const metrics = await fixture.reader.metricsByName();
    expect(points(metrics.get('aurora.ai.reward'))).toEqual([]);
    expect(points(metrics.get('aurora.ai.fill_rate_improvement'))).toEqual([]);
  });

  it('keeps instances independent', async () => {
    const other = setup();
    fixture.telemetry.recordAiDecision('ai');
    const metrics = await other.reader.metricsByName();
    expect(points(metrics.get('aurora.ai.decisions'))).toEqual([]);
  });
});

function emptyGaugeSource(): RouterGaugeSource {
  return {
    activeDeployments: () => ({}),
    providerHealth: () => [],
    capacity: () => ({}),
    costUsd: () => [],
    aiReward: () => undefined,
    aiFillRateImprovement: () => undefined,
  };
}
