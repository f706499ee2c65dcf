import { describe, expect, it } from 'vitest';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { main } from './main';

/** Keeps every exported span, also after shutdown (InMemorySpanExporter forgets them then). */
class RecordingSpanExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

describe('embed-in-app', () => {
  it('routes across two providers, fails over once, and prints the explained decision', async () => {
    const printed: string[] = [];
    const spanExporter = new InMemorySpanExporter();
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const { decision, deployment } = await main({ write: (text) => printed.push(text), spanExporter, metricExporter });
    const output = printed.join('\n');

    // The ranking: four eligible offers, each score the sum of its criterion contributions.
    expect(decision.candidates.map((candidate) => `${candidate.offer.provider}/${candidate.offer.offer_id}`)).toEqual([
      'north-cloud/nc-a100-sfo', 'south-grid/sg-a100-la', 'south-grid/sg-a100-phx', 'north-cloud/nc-a100-sea',
    ]);
    for (const candidate of decision.candidates) {
      const { price, latency, reputation, availability } = candidate.contributions;
      expect(price + latency + reputation + availability).toBeCloseTo(candidate.score, 10);
    }
    expect(output).toContain('Ranked candidates (4):');
    expect(output).toMatch(/#1 north-cloud\/nc-a100-sfo {2}score 0\.\d{3} {2}= price 0\.\d{3} \+ latency 0\.\d{3} \+ reputation 0\.\d{3} \+ availability 0\.\d{3}/);

    // Rejections by reason, with each offer named.
    expect(decision.rejection_counts.by_reason).toEqual({ region_mismatch: 2, price_above_max: 1, reputation_below_min: 1 });
    expect(output).toContain('Rejected offers (4):');
    expect(output).toContain('  region_mismatch: 2');
    expect(output).toContain('    - north-cloud/nc-a100-premium: 4.5 USD/h above max_price 3');
    expect(output).toContain('    - south-grid/sg-a100-spot: reputation 35 below min_reputation 50');

    // The best offer had no capacity left: one retryable failure, then the next candidate.
    expect(decision.attempts.map((attempt) => [attempt.provider, attempt.offer_id, attempt.result])).toEqual([
      ['north-cloud', 'nc-a100-sfo', 'failed'],
      ['south-grid', 'sg-a100-la', 'deployed'],
    ]);
    expect(output).toContain('1. north-cloud/nc-a100-sfo failed: AURORA_ERR_ADAPTER_CALL (retryable, failed over)');
    expect(output).toContain('2. south-grid/sg-a100-la deployed');
    expect(output).toContain('Policy choice: north-cloud/nc-a100-sfo at 1.60 USD/h (propensity 1.00)');
    expect(output).toContain('Deployed on: south-grid/sg-a100-la at 1.90 USD/h');
    expect(deployment).toMatchObject({ provider: 'south-grid', offer_id: 'sg-a100-la', decision_id: decision.decision_id });
    expect(output).toContain(`Deployment ${deployment.deployment_id} on south-grid`);
  });

  it('sends the router spans, nested under aurora.route, and its metrics to the host SDK', async () => {
    const spanExporter = new RecordingSpanExporter();
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    await main({ write: () => undefined, spanExporter, metricExporter });

    const spans = spanExporter.spans;
    const route = spans.find((span) => span.name === 'aurora.route');
    expect(route).toBeDefined();
    const children = spans.filter((span) => span.parentSpanContext?.spanId === route!.spanContext().spanId).map((span) => span.name).sort();
    expect(children).toEqual(['aurora.adapter.list_offers', 'aurora.adapter.list_offers', 'aurora.deploy', 'aurora.deploy', 'aurora.policy.decide', 'aurora.score']);
    expect(spans.every((span) => span.instrumentationScope.name === '@aurora/router')).toBe(true);

    const metricNames = metricExporter
      .getMetrics()
      .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics)
      .flatMap((scope) => scope.metrics)
      .map((metric) => metric.descriptor.name);
    expect(metricNames).toContain('aurora.route.requests');
    expect(metricNames).toContain('aurora.route.duration_seconds');
  });
});
