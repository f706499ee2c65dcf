import type { DeploymentStatus, WorkloadType } from '@aurora/router';
import { sampleDuration } from '../duration-distribution';
import type { FailureRates, ProviderProfile } from '../profiles/provider-profile';
import type { SeededRandom } from '../seeded-random';

export type DeploymentEndReason = 'start_failure' | 'host_lost' | 'preempted' | 'completed';

/**
 * The whole future of one deployment, drawn when it is placed: when it is placed, when it runs,
 * whether and how it ends by itself. Status at any time is then a pure function of the plan, the
 * time and whether (and when) it was terminated: no timers run in the background.
 */
export type DeploymentPlan = {
  createdAt: number;
  /** End of `pending`: the provider has placed it and starts it. */
  provisioningAt: number;
  /** When it runs; absent when it fails to start. */
  runningAt?: number;
  end?: { at: number; reason: DeploymentEndReason; message: string };
};

export type PlanInput = {
  profile: ProviderProfile;
  /** Effective rates (multiplier applied, listing reliability included). */
  rates: FailureRates;
  interruptible: boolean;
  workloadType: WorkloadType;
  /** Hours of wall-clock work for batch workloads (training, rendering); they complete after it. */
  batchHours?: number;
  now: number;
};

const startFailureMessages = [
  'image pull failed: manifest unknown',
  'container exited with code 1 during start-up',
  'CUDA driver version is insufficient for CUDA runtime version',
  'image pull failed: registry authentication required',
  'health probe failed: no process listening on the traffic port',
];

const hourMs = 3_600_000;

/** Draws a deployment's plan from `random`. */
export function planDeployment(random: SeededRandom, input: PlanInput): DeploymentPlan {
  const { profile, rates, now } = input;
  const pendingMs = sampleDuration(random, profile.startup.pending);
  const provisioningMs = sampleDuration(random, profile.startup.provisioning);
  const provisioningAt = now + Math.round(pendingMs);

  if (random.chance(rates.startFailure)) {
    const failsAt = provisioningAt + Math.round(provisioningMs * random.between(0.2, 1));
    return {
      createdAt: now,
      provisioningAt,
      end: { at: failsAt, reason: 'start_failure', message: random.pick(startFailureMessages) },
    };
  }

  const runningAt = provisioningAt + Math.round(provisioningMs);
  const hazardPerHour = input.interruptible ? rates.preemptionPerHour : rates.runtimeFailurePerHour;
  const failsAfterMs = hazardPerHour > 0 ? random.exponential(hourMs / hazardPerHour) : Number.POSITIVE_INFINITY;
  const completesAfterMs = input.batchHours !== undefined ? input.batchHours * hourMs : Number.POSITIVE_INFINITY;

  if (completesAfterMs <= failsAfterMs && Number.isFinite(completesAfterMs)) {
    return {
      createdAt: now, provisioningAt, runningAt,
      end: { at: runningAt + Math.round(completesAfterMs), reason: 'completed', message: 'workload finished' },
    };
  }
  if (Number.isFinite(failsAfterMs)) {
    const reason = input.interruptible ? 'preempted' : 'host_lost';
    const message = input.interruptible ? 'interruptible capacity reclaimed by the host' : 'lost contact with the host';
    return { createdAt: now, provisioningAt, runningAt, end: { at: runningAt + Math.round(failsAfterMs), reason, message } };
  }
  return { createdAt: now, provisioningAt, runningAt };
}

export type PlannedStatus = {
  status: DeploymentStatus;
  providerStatus: string;
  message?: string;
  /** When it reached `running`, if it has. */
  startedAt?: number;
  /** When it reached its terminal status, if it has. */
  endedAt?: number;
};

/** Status of a deployment at `now`, given its plan and the time it was terminated (if it was). */
export function statusAt(plan: DeploymentPlan, profile: ProviderProfile, now: number, terminatedAt?: number): PlannedStatus {
  const startedAt = plan.runningAt !== undefined && plan.runningAt <= now ? plan.runningAt : undefined;
  const started = startedAt !== undefined ? { startedAt } : {};
  const end = plan.end;
  const endedByItself = end !== undefined && end.at <= now && (terminatedAt === undefined || end.at < terminatedAt);
  if (endedByItself) {
    if (end.reason === 'completed') {
      return { status: 'completed', providerStatus: profile.statuses.completed, message: end.message, ...started, endedAt: end.at };
    }
    const providerStatus = end.reason === 'preempted' ? 'preempted' : profile.statuses.failed;
    return { status: 'failed', providerStatus, message: end.message, ...started, endedAt: end.at };
  }
  if (terminatedAt !== undefined && terminatedAt <= now) {
    return { status: 'terminated', providerStatus: profile.statuses.terminated, message: 'terminated on request', ...started, endedAt: terminatedAt };
  }
  if (now < plan.provisioningAt) return { status: 'pending', providerStatus: profile.statuses.pending };
  if (startedAt === undefined) return { status: 'provisioning', providerStatus: profile.statuses.provisioning };
  return { status: 'running', providerStatus: profile.statuses.running, startedAt };
}
