import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { announceMissingFamilies, designMetricFamilies } from './design-metric-families';
import { policyMetricFamilies } from './policy-metric-families';
import { reconcilerMetricFamilies } from './reconciler-metric-families';

const announcedFamilies = [...designMetricFamilies, ...policyMetricFamilies, ...reconcilerMetricFamilies];

export type PrometheusMetricsOptions = {
  /** Collection errors (an observable callback that threw); the rest of the metrics are still served. */
  onCollectionError?: (error: unknown) => void;
};

export type PrometheusMetrics = {
  /** Pass to `createRouter({ telemetry: { meterProvider } })` and to anything else that records metrics. */
  readonly meterProvider: MeterProvider;
  /** Collects every instrument now and renders the Prometheus text exposition format. */
  render(): Promise<string>;
  shutdown(): Promise<void>;
};

export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A MeterProvider read by the OpenTelemetry Prometheus exporter. The exporter's own HTTP server
 * is never started: the fastify server serves the text on GET /metrics.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    async render() {
      const { resourceMetrics, errors } = await exporter.collect();
      for (const error of errors) options.onCollectionError?.(error);
      return announceMissingFamilies(serializer.serialize(resourceMetrics), announcedFamilies);
    },
    async shutdown() {
      await meterProvider.shutdown();
    },
  };
}
