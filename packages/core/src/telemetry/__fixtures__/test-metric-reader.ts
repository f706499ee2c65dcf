import { MetricReader, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** A pull reader for tests: `collect()` on demand, no timers. */
export class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}

  /** Every metric of one collection, by instrument name. */
  async metricsByName(): Promise<Map<string, MetricData>> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) throw errors[0];
    return indexMetrics(resourceMetrics);
  }
}

function indexMetrics(resourceMetrics: ResourceMetrics): Map<string, MetricData> {
  const byName = new Map<string, MetricData>();
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
  return byName;
}
