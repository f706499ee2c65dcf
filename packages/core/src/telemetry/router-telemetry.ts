import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type BatchObservableResult,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type ObservableGauge,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { AuroraError } from '../errors/aurora-error';
import { VERSION } from '../version';
import {
  ATTR_AURORA_ADAPTER_OPERATION,
  ATTR_AURORA_FILTER_REASON,
  ATTR_AURORA_PROVIDER,
  ATTR_ERROR_TYPE,
  METRIC_AURORA_ACTIVE_DEPLOYMENTS,
  METRIC_AURORA_ADAPTER_REQUEST_DURATION,
  METRIC_AURORA_AI_DECISIONS,
  METRIC_AURORA_AI_FILL_RATE_IMPROVEMENT,
  METRIC_AURORA_AI_REWARD,
  METRIC_AURORA_OFFERS_EVALUATED,
  METRIC_AURORA_OFFERS_REJECTED,
  METRIC_AURORA_PROVIDER_CAPACITY,
  METRIC_AURORA_PROVIDER_COST,
  METRIC_AURORA_PROVIDER_HEALTH,
  METRIC_AURORA_PROVIDER_LATENCY,
  METRIC_AURORA_ROUTE_DURATION,
  METRIC_AURORA_ROUTE_FAILURES,
  METRIC_AURORA_ROUTE_REQUESTS,
  METRIC_LABEL_GPU_TYPE,
  METRIC_LABEL_MODE,
  METRIC_LABEL_PROVIDER,
  METRIC_LABEL_REASON,
  METRIC_LABEL_STATUS,
} from './semconv';

const instrumentationName = '@aurora/router';

/** The `provider` label of a route that never reached a provider (nothing eligible, invalid request). */
export const NO_PROVIDER_LABEL = 'none';

/** Seconds; a route includes the provider's deploy call, which can take a minute. */
const routeDurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const adapterDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type RouteStatus = 'deployed' | 'failed' | 'no_eligible' | 'invalid';

/** Where the observable gauges read their values at each collection. */
export type RouterGaugeSource = {
  /** Live deployments per provider. */
  activeDeployments(): Record<string, number>;
  providerHealth(): Array<{ provider: string; healthy: boolean; latency_ms: number | null }>;
  /** Capacity per provider: the summed `capacity` of the offers in its latest answer. */
  capacity(): Record<string, number>;
  /**
   * Cheapest quoted price in USD per GPU-hour (`price_usd_per_hour / gpu_count`) per provider and
   * GPU type, from each provider's latest answer.
   */
  costUsd(): Array<{ provider: string; gpu_type: string; value: number }>;
  /** Latest reward of the learning policy; undefined until there is one. */
  aiReward(): number | undefined;
  /** Fill rate of the ai arm minus the rules arm; undefined until both have outcomes. */
  aiFillRateImprovement(): number | undefined;
};

export type RouterTelemetryOptions = {
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
};

export type RouterTelemetry = {
  readonly tracer: Tracer;
  readonly meter: Meter;
  /**
   * Runs `fn` inside an active INTERNAL span, so spans started within (also across p-limit and
   * other promise chains) nest under it. On error: records the exception, sets status ERROR and
   * `error.type`, and rethrows. The span always ends.
   */
  span<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T>;
  /** One finished route: `aurora_route_requests_total` and `aurora_route_duration_seconds`. */
  recordRoute(provider: string | undefined, status: RouteStatus, durationSeconds: number): void;
  /** One failed deploy attempt or route: `aurora_route_failures_total{provider,reason}`. */
  recordFailure(provider: string, reason: string): void;
  /** One adapter call: `aurora.adapter.request.duration` with operation and `error.type`. */
  recordAdapterRequest(provider: string, operation: string, durationSeconds: number, errorType?: string): void;
  /** Offers the filter saw, and its rejections counted by reason code. */
  recordOffers(evaluated: number, rejectionsByReason: Record<string, number>): void;
  /** One decision by a learning policy (`mode`: the arm or the policy's mode, e.g. ai, shadow). */
  recordAiDecision(mode: string): void;
  /**
   * Starts reporting the gauges from `source`. The gauges and their callback are registered once
   * per instance; a later call replaces the source.
   */
  observeGauges(source: RouterGaugeSource): void;
};

/** The `error.type` of a thrown value: the Aurora error code, else the error's name. */
export function errorType(error: unknown): string {
  if (AuroraError.isInstance(error)) return error.code;
  if (error instanceof Error) return error.name || 'Error';
  return 'unknown';
}

/**
 * Tracer, meter and instruments of one router, through `@opentelemetry/api` only: everything is a
 * no-op until the host registers an SDK or passes providers. Nothing global is touched.
 */
export function createRouterTelemetry(options: RouterTelemetryOptions = {}): RouterTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(instrumentationName, VERSION);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(instrumentationName, VERSION);
  const instruments = createInstruments(meter);
  let gaugeSource: RouterGaugeSource | undefined;

  return {
    tracer,
    meter,

    span(name, attributes, fn) {
      return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
        try {
          return await fn(span);
        } catch (error) {
          recordSpanError(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },

    recordRoute(provider, status, durationSeconds) {
      const providerLabel = provider ?? NO_PROVIDER_LABEL;
      instruments.routeRequests.add(1, { [METRIC_LABEL_PROVIDER]: providerLabel, [METRIC_LABEL_STATUS]: status });
      instruments.routeDuration.record(durationSeconds, { [METRIC_LABEL_PROVIDER]: providerLabel });
    },

    recordFailure(provider, reason) {
      instruments.routeFailures.add(1, { [METRIC_LABEL_PROVIDER]: provider, [METRIC_LABEL_REASON]: reason });
    },

    recordAdapterRequest(provider, operation, durationSeconds, errorTypeValue) {
      const attributes: Attributes = { [ATTR_AURORA_PROVIDER]: provider, [ATTR_AURORA_ADAPTER_OPERATION]: operation };
      if (errorTypeValue !== undefined) attributes[ATTR_ERROR_TYPE] = errorTypeValue;
      instruments.adapterRequestDuration.record(durationSeconds, attributes);
    },

    recordOffers(evaluated, rejectionsByReason) {
      if (evaluated > 0) instruments.offersEvaluated.add(evaluated);
      for (const [reason, count] of Object.entries(rejectionsByReason)) {
        if (count > 0) instruments.offersRejected.add(count, { [ATTR_AURORA_FILTER_REASON]: reason });
      }
    },

    recordAiDecision(mode) {
      instruments.aiDecisions.add(1, { [METRIC_LABEL_MODE]: mode });
    },

    observeGauges(source) {
      const firstCall = gaugeSource === undefined;
      gaugeSource = source;
      if (!firstCall) return;
      const gauges = instruments.gauges;
      meter.addBatchObservableCallback(
        (result) => {
          if (gaugeSource) observeAll(result, gauges, gaugeSource);
        },
        Object.values(gauges),
      );
    },
  };
}

function recordSpanError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
}

type Gauges = {
  activeDeployments: ObservableGauge;
  providerHealth: ObservableGauge;
  providerLatency: ObservableGauge;
  providerCost: ObservableGauge;
  providerCapacity: ObservableGauge;
  aiReward: ObservableGauge;
  aiFillRateImprovement: ObservableGauge;
};

type Instruments = {
  routeRequests: Counter;
  routeDuration: Histogram;
  routeFailures: Counter;
  adapterRequestDuration: Histogram;
  offersEvaluated: Counter;
  offersRejected: Counter;
  aiDecisions: Counter;
  gauges: Gauges;
};

function createInstruments(meter: Meter): Instruments {
  return {
    routeRequests: meter.createCounter(METRIC_AURORA_ROUTE_REQUESTS, {
      description: 'Routing requests by the provider finally used and the outcome',
      unit: '{request}',
    }),
    routeDuration: meter.createHistogram(METRIC_AURORA_ROUTE_DURATION, {
      description: 'Wall time of a route, from request to deployment or failure',
      unit: 's',
      advice: { explicitBucketBoundaries: routeDurationBuckets },
    }),
    routeFailures: meter.createCounter(METRIC_AURORA_ROUTE_FAILURES, {
      description: 'Failed deploy attempts and routes by provider and reason',
      unit: '{failure}',
    }),
    adapterRequestDuration: meter.createHistogram(METRIC_AURORA_ADAPTER_REQUEST_DURATION, {
      description: 'Duration of calls to a provider adapter',
      unit: 's',
      advice: { explicitBucketBoundaries: adapterDurationBuckets },
    }),
    offersEvaluated: meter.createCounter(METRIC_AURORA_OFFERS_EVALUATED, {
      description: 'Offers checked against the hard constraints',
      unit: '{offer}',
    }),
    offersRejected: meter.createCounter(METRIC_AURORA_OFFERS_REJECTED, {
      description: 'Offers rejected by the hard constraints, by reason code',
      unit: '{offer}',
    }),
    aiDecisions: meter.createCounter(METRIC_AURORA_AI_DECISIONS, {
      description: 'Decisions taken by a learning policy, by mode',
      unit: '{decision}',
    }),
    gauges: {
      activeDeployments: meter.createObservableGauge(METRIC_AURORA_ACTIVE_DEPLOYMENTS, {
        description: 'Deployments not yet in a terminal state, by provider',
        unit: '{deployment}',
      }),
      providerHealth: meter.createObservableGauge(METRIC_AURORA_PROVIDER_HEALTH, {
        description: 'Provider health: 1 healthy, 0 unhealthy',
      }),
      providerLatency: meter.createObservableGauge(METRIC_AURORA_PROVIDER_LATENCY, {
        description: 'Latency of the last provider health check',
        unit: 'ms',
      }),
      providerCost: meter.createObservableGauge(METRIC_AURORA_PROVIDER_COST, {
        description: 'Cheapest quoted price in USD per GPU-hour, by provider and GPU type',
        unit: 'USD/h',
      }),
      providerCapacity: meter.createObservableGauge(METRIC_AURORA_PROVIDER_CAPACITY, {
        description: 'Summed capacity of the offers in the provider\'s latest answer',
        unit: '{slot}',
      }),
      aiReward: meter.createObservableGauge(METRIC_AURORA_AI_REWARD, {
        description: 'Latest reward observed by the learning policy',
      }),
      aiFillRateImprovement: meter.createObservableGauge(METRIC_AURORA_AI_FILL_RATE_IMPROVEMENT, {
        description: 'Fill rate of the ai arm minus that of the rules arm',
      }),
    },
  };
}

function observeAll(result: BatchObservableResult, gauges: Gauges, source: RouterGaugeSource): void {
  for (const [provider, count] of Object.entries(source.activeDeployments())) {
    result.observe(gauges.activeDeployments, count, { [METRIC_LABEL_PROVIDER]: provider });
  }
  for (const health of source.providerHealth()) {
    result.observe(gauges.providerHealth, health.healthy ? 1 : 0, { [METRIC_LABEL_PROVIDER]: health.provider });
    if (health.latency_ms !== null) {
      result.observe(gauges.providerLatency, health.latency_ms, { [METRIC_LABEL_PROVIDER]: health.provider });
    }
  }
  for (const [provider, capacity] of Object.entries(source.capacity())) {
    result.observe(gauges.providerCapacity, capacity, { [METRIC_LABEL_PROVIDER]: provider });
  }
  for (const cost of source.costUsd()) {
    result.observe(gauges.providerCost, cost.value, { [METRIC_LABEL_PROVIDER]: cost.provider, [METRIC_LABEL_GPU_TYPE]: cost.gpu_type });
  }
  const reward = source.aiReward();
  if (reward !== undefined) result.observe(gauges.aiReward, reward);
  const improvement = source.aiFillRateImprovement();
  if (improvement !== undefined) result.observe(gauges.aiFillRateImprovement, improvement);
}
