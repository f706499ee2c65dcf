import type { AkashAdapterSettings } from '@aurora/adapter-akash';
import { ConfigurationError } from '@aurora/router';
import type { Environment } from '../config/environment-overrides';

type AkashTiming = Pick<AkashAdapterSettings, 'pollIntervalMs' | 'bidTimeoutMs' | 'bidWindowMs' | 'leaseReadyTimeoutMs' | 'timeoutMs'>;

/** The environment variables that tune the Akash adapter's waits, and the setting each one sets. */
export const akashTimingVariables = {
  AKASH_POLL_INTERVAL_MS: { setting: 'pollIntervalMs', minimum: 1 },
  AKASH_BID_TIMEOUT_MS: { setting: 'bidTimeoutMs', minimum: 1 },
  AKASH_BID_WINDOW_MS: { setting: 'bidWindowMs', minimum: 0 },
  // 0: deploy returns at `provisioning` and the status poller follows the lease from there.
  AKASH_LEASE_READY_TIMEOUT_MS: { setting: 'leaseReadyTimeoutMs', minimum: 0 },
  AKASH_TIMEOUT_MS: { setting: 'timeoutMs', minimum: 1 },
} as const satisfies Record<string, { setting: keyof AkashTiming; minimum: number }>;

/**
 * The Akash adapter's waits (bid timeout, bid window, lease readiness, poll interval, per-call
 * timeout) from `AKASH_*_MS` variables. An Akash deploy waits for bids and a lease, which takes
 * minutes by default: operators fit these into `limits.deploy_timeout_ms`. A malformed value
 * stops the server at start, naming the variable.
 */
export function akashTimingFromEnvironment(environment: Environment): AkashTiming {
  const timing: AkashTiming = {};
  for (const [variable, { setting, minimum }] of Object.entries(akashTimingVariables)) {
    const text = environment[variable]?.trim();
    if (text === undefined || text === '') continue;
    if (!/^\d+$/.test(text) || Number(text) < minimum || Number(text) > 86_400_000) {
      throw new ConfigurationError({
        message: `Invalid configuration: ${variable}: expected whole milliseconds from ${minimum} to 86400000, got "${text}"`,
        setting: variable,
      });
    }
    timing[setting] = Number(text);
  }
  return timing;
}
