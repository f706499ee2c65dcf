import type { RoutingRequest } from '@aurora/router';
import type { PlacedRegion } from '../world/region-round-trip';

/** One arrival in a simulated period: the routing request plus what only the simulator knows. */
export type SimulatedRequest = {
  /** Unique within a period; outcome draws are keyed by it, so every policy sees the same ones. */
  id: string;
  arrival_ms: number;
  request: RoutingRequest;
  /** Where the workload's users are: achieved and estimated latency are measured from here. */
  client_region: PlacedRegion;
  /** How long the work runs once started (wall clock). */
  duration_ms: number;
  tenant: string;
  /** Which trace (or synthetic class) the arrival came from. */
  source: string;
};

/** Workloads that finish (and lose un-checkpointed work when interrupted) rather than serve. */
export function isBatchWorkload(workloadType: RoutingRequest['workload_type']): boolean {
  return workloadType === 'llm_training' || workloadType === 'rendering';
}
