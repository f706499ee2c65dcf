/** The provider calls a simulated adapter makes. */
export const simulatedOperations = ['listOffers', 'deploy', 'getStatus', 'getLogs', 'terminate', 'healthCheck', 'listDeployments'] as const;
export type SimulatedOperation = (typeof simulatedOperations)[number];

/**
 * A provider misbehaving on purpose, on top of the profile's own failures: for chaos tests and
 * the conformance kit. Applies to every call, or only to `operations`.
 *
 * - `http-status`: the call fails as if the provider answered `status` (with `Retry-After` when
 *   `retryAfterMs` is set); a health check reports unhealthy.
 * - `slow`: the call answers normally after `delayMs` of the adapter's clock (abortable).
 * - `malformed-response`: the provider answers something unparseable (`InvalidResponseDataError`).
 */
export type SimulatedFault = (
  | { type: 'http-status'; status: number; retryAfterMs?: number }
  | { type: 'slow'; delayMs: number }
  | { type: 'malformed-response' }
) & { operations?: readonly SimulatedOperation[] };
