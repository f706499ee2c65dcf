export { createSeededRandom, type Seed, type SeededRandom } from './seeded-random';
export type { SimulationClock } from './clock/simulation-clock';
export { createRealTimeClock, type RealTimeClockOptions } from './clock/real-time-clock';
export { createManualClock, defaultManualClockStart, type ManualClock, type ManualClockOptions } from './clock/manual-clock';
export { sampleDuration, type DurationDistribution } from './duration-distribution';
export * from './profiles/index';
export { marketWindowMs } from './market/simulated-market';
export {
  createSimulatedAdapter, outageWindowMs, type SimulatedAdapter, type SimulatedAdapterOptions,
} from './simulated-adapter';
export { simulatedOperations, type SimulatedFault, type SimulatedOperation } from './simulated-fault';
export { createSimulatedFleet, isSimulatedProviderId, type SimulatedFleetOptions } from './simulated-fleet';
export { SimulationDataError } from './data/simulation-data-error';
export { parseCsv, type CsvRow, type CsvTable } from './data/parse-csv';
export { parsePriceCatalog, providerFromFileName, memoryFromGpuInfo, type CatalogEntry, type PriceCatalog } from './data/price-catalog';
export { parseWorkloadTrace, type TraceJob, type WorkloadTrace } from './data/workload-trace';
export { parseAvailabilityTrace, type AvailabilityTrace } from './data/availability-trace';
export { loadMarketData, type MarketData, type MarketDataFiles } from './data/load-market-data';
export { syntheticCatalog } from './world/synthetic-catalog';
export { drawProviderTraits, profileFor, type AdvertisedTraits, type ProviderTraits, type TrueTraits } from './world/provider-traits';
export { AvailabilityEpisodes, referenceCapacityShares, referenceRunLengths, type EpisodeSource } from './world/availability-episodes';
export { createColdStartModel, syntheticColdStart, type ColdStartModel } from './world/cold-start-model';
export { regionRoundTripMs as regionRoundTripBetween, type PlacedRegion } from './world/region-round-trip';
export { MarketLedger } from './world/market-ledger';
export { billedUsd, drawBillingTerms, type BillingSpan, type BillingTerms, type MeterStart, type WorkloadBilling } from './world/billing-terms';
export {
  MarketWorld, type ListingInspection, type MarketWorldOptions, type PlacementEnd, type PlacementOutcome, type WorldListing,
} from './world/market-world';
export type { SimulatedRequest } from './workload/simulated-request';
export { generateRequests, type GenerateRequestsOptions } from './workload/generate-requests';
export { syntheticTraces, syntheticWorkloadCalibration } from './workload/synthetic-workload';
export { estimateMean, excludesZero, mean, pairedDifference, quantile, standardDeviation, studentTCdf, studentTQuantile, type Estimate } from './harness/statistics';
export { summarizeRun, type RunMetrics } from './harness/run-metrics';
export { finalOutcome, runPolicy, type Expectation, type Hypothetical, type RunDecision, type RunPolicyOptions, type RunResult } from './harness/run-policy';
export { clairvoyantFrontier, frontierFillWeights, frontierLatencyWeights, informedFrontier, type FrontierPoint } from './harness/cost-latency-frontier';
export {
  experimentPeriods, experimentStartMs, runPolicyExperiment, type MarketInputs, type OffPolicyEstimates, type OffPolicyEstimator,
  type PolicyExperimentOptions, type PolicyFactory, type PolicyFactoryInput, type SeedArtifacts,
} from './harness/policy-experiment';
export {
  compare, summarizeExperiment, type ExperimentReport, type OffPolicySummary, type PairedEstimate, type PolicyDifference,
  type PolicySummary, type SeedOffPolicy, type SeedResult, type SummarizeInput,
} from './harness/experiment-report';
export { learningPolicyFactory, rulesPolicyFactory } from './harness/policy-factories';
export { coreOffPolicyEstimator } from './harness/core-off-policy-estimator';
export { policyBenchLine } from './harness/bench-line';
