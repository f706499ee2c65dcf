import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

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
export function createPrometheusMetrics(): PrometheusMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  const meterProvider = new MeterProvider({ readers: [exporter] });
  return {
    meterProvider,
    async render() {
      const { resourceMetrics, errors } = await exporter.collect();
      if (errors.length > 0) throw errors[0];
      return serializer.serialize(resourceMetrics);
    },
    async shutdown() {
      await meterProvider.shutdown();
    },
  };
}
