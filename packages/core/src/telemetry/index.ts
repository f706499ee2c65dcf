export * from './semconv';
export {
  createRouterTelemetry,
  errorType,
  NO_PROVIDER_LABEL,
  type RouteStatus,
  type RouterGaugeSource,
  type RouterTelemetry,
  type RouterTelemetryOptions,
} from './router-telemetry';
