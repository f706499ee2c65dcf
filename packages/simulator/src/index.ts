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
