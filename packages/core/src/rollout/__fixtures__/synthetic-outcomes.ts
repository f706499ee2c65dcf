import { createSeededRandom } from '../../evaluation/seeded-random';
import type { HybridArm } from '../../policy/hybrid-policy';
import type { ArmOutcome } from '../ab-metrics';

/** How one arm behaves: fill probability, and log-normal price, job length and time to running. */
export type ArmProfile = {
  fill_rate: number;
  /** Median USD per GPU-hour. */
  price_per_gpu_hour: number;
  /** Median time to running. */
  time_to_running_ms: number;
  /** Median achieved latency. */
  achieved_latency_ms: number;
};

export const baselineProfile: ArmProfile = { fill_rate: 0.93, price_per_gpu_hour: 2, time_to_running_ms: 60_000, achieved_latency_ms: 80 };

/** Standard normal draws (Box-Muller) from a seeded uniform source. */
export function normalSource(uniform: () => number): () => number {
  return () => {
    let u = 0;
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

export type OutcomeStreamOptions = {
  seed: number;
  /** Probability, 0-1, that an outcome belongs to the ai arm. */
  treatment_share: number | (() => number);
  control?: ArmProfile;
  treatment?: ArmProfile;
};

/**
 * A seeded stream of tagged outcomes. Unfilled decisions deliver no GPU-hours but may cost a
 * little (a failed attempt billed for a few minutes); filled ones run a log-normal number of hours.
 */
export function createOutcomeStream(options: OutcomeStreamOptions): () => ArmOutcome {
  const uniform = createSeededRandom(options.seed);
  const normal = normalSource(uniform);
  const share = typeof options.treatment_share === 'number' ? () => options.treatment_share as number : options.treatment_share;
  const profiles: Record<HybridArm, ArmProfile> = { rules: options.control ?? baselineProfile, ai: options.treatment ?? baselineProfile };
  return () => {
    const arm: HybridArm = uniform() < share() ? 'ai' : 'rules';
    const profile = profiles[arm];
    const filled = uniform() < profile.fill_rate;
    const price = profile.price_per_gpu_hour * Math.exp(0.3 * normal());
    const hours = filled ? Math.exp(0.8 * normal()) : 0;
    const cost = filled ? price * hours : 0.05 * price * uniform();
    const outcome: ArmOutcome = {
      decision_id: 'dec-synthetic',
      provider: 'synthetic',
      offer_id: 'offer-synthetic',
      filled,
      cost_usd: cost,
      gpu_hours_delivered: hours,
      observed_at: '2026-01-01T00:00:00.000Z',
      arm,
    };
    if (filled) {
      outcome.time_to_running_ms = profile.time_to_running_ms * Math.exp(0.7 * normal());
      outcome.achieved_latency_ms = profile.achieved_latency_ms * Math.exp(0.25 * normal());
    } else {
      outcome.failure_reason = 'no_capacity';
    }
    return outcome;
  };
}
