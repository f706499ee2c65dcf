import { pathToFileURL } from 'node:url';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { AdapterCallError, createRouter, type Decision, type Deployment } from '@aurora/router';
import { createOffer, MockAdapter } from '@aurora/router/testkit';
import { formatDecision } from './format-decision';

export type MainOptions = {
  /** Where the decision is printed; default stdout. */
  write?: (text: string) => void;
  /** Where spans go; default the console. */
  spanExporter?: SpanExporter;
  /** Where metrics go (once, at shutdown); default the console. */
  metricExporter?: PushMetricExporter;
};

export type MainResult = { decision: Decision; deployment: Deployment; printed: string };

/** Two simulated providers with a spread of offers, so the decision has something to explain. */
function createProviders(): MockAdapter[] {
  const northCloud = new MockAdapter({
    name: 'north-cloud',
    offers: [
      createOffer({ provider: 'north-cloud', offer_id: 'nc-a100-sfo', region: 'us-west', price_usd_per_hour: 1.6, estimated_latency_ms: 35, reputation: 88, availability: 0.95 }),
      createOffer({ provider: 'north-cloud', offer_id: 'nc-a100-nyc', region: 'us-east', price_usd_per_hour: 1.2, estimated_latency_ms: 80, reputation: 90, availability: 0.9 }),
      createOffer({ provider: 'north-cloud', offer_id: 'nc-a100-premium', region: 'us-west', price_usd_per_hour: 4.5, estimated_latency_ms: 20, reputation: 99, availability: 0.99 }),
      createOffer({ provider: 'north-cloud', offer_id: 'nc-a100-sea', region: 'us-west', price_usd_per_hour: 2.4, estimated_latency_ms: 25, reputation: 95, availability: 0.98 }),
    ],
    // The best-ranked offer is gone by the time we deploy: the router fails over.
    failures: {
      deploy: (callNumber) =>
        callNumber === 1
          ? new AdapterCallError({ message: 'north-cloud: no capacity left on nc-a100-sfo', adapterId: 'north-cloud', operation: 'deploy', statusCode: 503, reason: 'no_capacity' })
          : undefined,
    },
  });
  const southGrid = new MockAdapter({
    name: 'south-grid',
    offers: [
      createOffer({ provider: 'south-grid', offer_id: 'sg-a100-la', region: 'us-west', price_usd_per_hour: 1.9, estimated_latency_ms: 45, reputation: 80, availability: 0.85 }),
      createOffer({ provider: 'south-grid', offer_id: 'sg-a100-spot', region: 'us-west', price_usd_per_hour: 0.9, estimated_latency_ms: 60, reputation: 35, availability: 0.6, interruptible: true }),
      createOffer({ provider: 'south-grid', offer_id: 'sg-a100-phx', region: 'us-west', price_usd_per_hour: 1.4, estimated_latency_ms: 90, reputation: 70, availability: 0.7 }),
      createOffer({ provider: 'south-grid', offer_id: 'sg-a100-fra', region: 'eu-central', price_usd_per_hour: 1.1, estimated_latency_ms: 140, reputation: 85, availability: 0.9 }),
    ],
    deploy: { endpoint: 'https://sg-a100-la.south-grid.example' },
  });
  return [northCloud, southGrid];
}

/**
 * A host application embedding Aurora Router: it owns the OpenTelemetry SDK, hands the providers
 * to the router, routes one request and prints the explained decision.
 */
export async function main(options: MainOptions = {}): Promise<MainResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(`${text}\n`));

  // The host registers the SDK; the router only uses the API and the providers passed to it.
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: options.spanExporter ?? new ConsoleSpanExporter() })] });
  const metricReader = new PeriodicExportingMetricReader({ exporter: options.metricExporter ?? new ConsoleMetricExporter(), exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [metricReader] });
  // Without a context manager, spans would not nest: aurora.route would not parent the adapter spans.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);

  const router = createRouter({
    adapters: createProviders(),
    telemetry: { tracerProvider, meterProvider },
    weights: { price: 0.5, latency: 0.3, reputation: 0.15, availability: 0.05 },
  });
  try {
    const { decision, deployment } = await router.route(
      { workload_type: 'llm_inference', gpu_type: 'A100 80GB', region: 'us-west', max_price: 3, min_reputation: 50, image: 'vllm/vllm-openai:latest', ports: [8000] },
      { idempotency_key: 'embed-in-app-demo-1', tenant: 'demo' },
    );
    const printed = formatDecision(decision, deployment);
    write(printed);
    await router.terminate(deployment.deployment_id);
    return { decision, deployment, printed };
  } finally {
    await router.close();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main();
}
