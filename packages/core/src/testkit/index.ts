export { createOffer, createOffers, createRoutingRequest, fixtureQuotedAt, type OfferOverrides } from './offer-builders';
export {
  MockAdapter, createMockAdapter,
  type MockAdapterCalls, type MockAdapterMethod, type MockAdapterOptions, type MockDeployProgression,
  type MockFailure, type MockOfferInput, type MockOffers,
} from './mock-adapter';
export {
  describeAdapterConformance, conformanceApiKey,
  type AdapterConformanceCapability, type AdapterConformanceOptions, type AdapterConformanceTimeouts,
} from './describe-adapter-conformance';
export {
  withConformanceAdapter,
  type AdapterConformanceContext, type ConformanceProbe, type CreateConformanceAdapter, type ProviderCallRecord,
} from './conformance-probe';
export { planFaultResponse, describeFault, malformedJsonBody, type AdapterFault, type FaultResponsePlan } from './adapter-fault';
export type { ConformanceMatchers, ConformanceVitest } from './conformance-vitest';
