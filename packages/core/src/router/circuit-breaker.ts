import { AdapterCallError } from '../errors/adapter-call-error';
import { AuroraError } from '../errors/aurora-error';
import { ConfigurationError } from '../errors/configuration-error';
import type { CircuitState } from '../schemas/provider-health';
import type { CircuitLimits, RouterClock } from './router-options';

export type CircuitTransition = {
  provider: string;
  /** Set for a provider + GPU type circuit, null for the provider's own. */
  gpu_type: string | null;
  from: CircuitState;
  to: CircuitState;
  /** Why it opened: `consecutive_failures`, `failure_rate`, `rate_limited`, `probe_failed`; `probe_succeeded` on close. */
  reason: string;
  /** When an open circuit lets its probe through (ms since the epoch); null when closing. */
  retry_at: number | null;
};

export type CircuitBreakerOptions = CircuitLimits & {
  clock?: RouterClock;
  onTransition?: (transition: CircuitTransition) => void;
};

export type CircuitSnapshot = {
  state: CircuitState;
  consecutive_failures: number;
  /** Failures and calls inside the current window. */
  window_failures: number;
  window_calls: number;
  retry_at: number | null;
};

type Circuit = {
  provider: string;
  gpuType: string | null;
  state: CircuitState;
  consecutiveFailures: number;
  /** Outcomes, oldest first: call time and whether it failed; those before `head` have left the window. */
  times: number[];
  failed: boolean[];
  head: number;
  failures: number;
  retryAt: number;
  probeInFlight: boolean;
};

/** Bounds the memory of one circuit's window under heavy traffic. */
const maximumWindowEntries = 10_000;

/**
 * Circuit breakers per provider and per provider + GPU type (design.md section 4).
 *
 * - closed -> open after `consecutive_failures` failures in a row, or when the window holds at
 *   least `minimum_calls` calls and the failed share reaches `failure_rate`; at once on a 429 with
 *   Retry-After, for exactly that long.
 * - open -> half_open lazily, once the cooldown has passed (no timers: state is computed on access,
 *   so an injected clock or fake timers drive it).
 * - half_open lets exactly one probe through (`tryAcquire`); its success closes the circuit, its
 *   failure opens it again for another cooldown.
 *
 * Which failures count (`countsAsFailure`): provider-side trouble only. Retryable errors (5xx, 408,
 * 409, 429, timeouts, network, unparseable answers) count. 401 and 403 count too, as does a
 * `ConfigurationError`: they are not transient, but they make the provider unusable for every
 * request until someone fixes the credentials, and an open circuit stops hammering it and shows the
 * problem in /providers. Other 4xx (400, 404, 422, ...) describe one request, not the provider,
 * and do not count; nor does an abort by the caller, nor an offer that sold out (`no_capacity`).
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();
  private readonly limits: CircuitLimits;
  private readonly clock: RouterClock;
  private readonly onTransition: ((transition: CircuitTransition) => void) | undefined;
  /** Circuits not closed; when zero, `allows` is answered without a lookup. */
  private notClosed = 0;

  constructor(options: CircuitBreakerOptions) {
    this.limits = {
      consecutive_failures: options.consecutive_failures,
      failure_rate: options.failure_rate,
      window_ms: options.window_ms,
      minimum_calls: options.minimum_calls,
      cooldown_ms: options.cooldown_ms,
    };
    this.clock = options.clock ?? Date;
    this.onTransition = options.onTransition;
  }

  /** True when no circuit at all is open or half-open (the common, fast case). */
  get allClosed(): boolean {
    return this.notClosed === 0;
  }

  /** State of the provider's circuit, or of the provider + GPU type circuit when `gpuType` is given. */
  state(provider: string, gpuType?: string): CircuitState {
    const circuit = this.circuits.get(circuitKey(provider, gpuType));
    if (!circuit) return 'closed';
    this.advance(circuit);
    return circuit.state;
  }

  snapshot(provider: string, gpuType?: string): CircuitSnapshot {
    const circuit = this.circuits.get(circuitKey(provider, gpuType));
    if (!circuit) return { state: 'closed', consecutive_failures: 0, window_failures: 0, window_calls: 0, retry_at: null };
    this.advance(circuit);
    this.prune(circuit, this.clock.now());
    return {
      state: circuit.state,
      consecutive_failures: circuit.consecutiveFailures,
      window_failures: circuit.failures,
      window_calls: windowCalls(circuit),
      retry_at: circuit.state === 'closed' ? null : circuit.retryAt,
    };
  }

  /**
   * Whether offers of this provider and GPU type may be used now, without taking the probe: both
   * circuits closed, or half-open with the probe still free.
   */
  allows(provider: string, gpuType?: string): boolean {
    if (this.notClosed === 0) return true;
    return this.circuitAllows(this.circuits.get(provider)) && (gpuType === undefined || this.circuitAllows(this.circuits.get(circuitKey(provider, gpuType))));
  }

  /**
   * Permission for one call. Closed: yes. Half-open: yes for the first caller only (the probe),
   * until `recordSuccess`, `recordFailure` or `release` settles it. Open: no.
   */
  tryAcquire(provider: string, gpuType?: string): boolean {
    if (this.notClosed === 0) return true;
    if (!this.allows(provider, gpuType)) return false;
    for (const circuit of [this.circuits.get(provider), gpuType === undefined ? undefined : this.circuits.get(circuitKey(provider, gpuType))]) {
      if (circuit?.state === 'half_open') circuit.probeInFlight = true;
    }
    return true;
  }

  /** Frees a probe taken by `tryAcquire` whose call ended without a verdict (e.g. the caller aborted). */
  release(provider: string, gpuType?: string): void {
    for (const key of keysFor(provider, gpuType)) {
      const circuit = this.circuits.get(key);
      if (circuit) circuit.probeInFlight = false;
    }
  }

  recordSuccess(provider: string, gpuType?: string): void {
    const now = this.clock.now();
    for (const key of keysFor(provider, gpuType)) {
      const circuit = this.getOrCreate(key, provider, key === provider ? null : gpuType!);
      this.advance(circuit);
      circuit.probeInFlight = false;
      circuit.consecutiveFailures = 0;
      if (circuit.state === 'half_open') {
        this.reset(circuit);
        this.transition(circuit, 'closed', 'probe_succeeded');
        continue;
      }
      if (circuit.state === 'closed') this.push(circuit, now, false);
    }
  }

  /**
   * Records a failed call. `scope` says which circuits it counts against: `provider` (listOffers,
   * healthCheck, provider-wide deploy failures) or `offer` (a deploy failure of one offer, which
   * counts only against the provider + GPU type circuit). Returns whether it counted.
   */
  recordFailure(provider: string, gpuType: string | undefined, error: unknown, scope: 'provider' | 'offer' = 'provider'): boolean {
    if (!countsAsFailure(error)) {
      this.release(provider, gpuType);
      return false;
    }
    const now = this.clock.now();
    const rateLimitMs = AdapterCallError.isInstance(error) && error.statusCode === 429 && error.retryAfterMs !== undefined && error.retryAfterMs > 0
      ? error.retryAfterMs
      : undefined;
    const keys = scope === 'offer' && gpuType !== undefined ? [circuitKey(provider, gpuType)] : keysFor(provider, gpuType);
    for (const key of keys) {
      const circuit = this.getOrCreate(key, provider, key === provider ? null : gpuType!);
      this.advance(circuit);
      circuit.probeInFlight = false;
      circuit.consecutiveFailures += 1;
      if (circuit.state === 'half_open') {
        this.open(circuit, now, rateLimitMs ?? this.limits.cooldown_ms, 'probe_failed');
        continue;
      }
      if (circuit.state === 'open') {
        // Failures reported while already open (calls that started before it opened) extend a rate limit only.
        if (rateLimitMs !== undefined) circuit.retryAt = Math.max(circuit.retryAt, now + rateLimitMs);
        continue;
      }
      this.push(circuit, now, true);
      if (rateLimitMs !== undefined) this.open(circuit, now, rateLimitMs, 'rate_limited');
      else if (circuit.consecutiveFailures >= this.limits.consecutive_failures) this.open(circuit, now, this.limits.cooldown_ms, 'consecutive_failures');
      else if (windowCalls(circuit) >= this.limits.minimum_calls && circuit.failures / windowCalls(circuit) >= this.limits.failure_rate) {
        this.open(circuit, now, this.limits.cooldown_ms, 'failure_rate');
      }
    }
    return true;
  }

  /** The provider's circuit and each of its provider + GPU type circuits that has seen a call. */
  circuitsOf(provider: string): Array<{ gpu_type: string | null; snapshot: CircuitSnapshot }> {
    const result: Array<{ gpu_type: string | null; snapshot: CircuitSnapshot }> = [];
    for (const circuit of this.circuits.values()) {
      if (circuit.provider === provider) result.push({ gpu_type: circuit.gpuType, snapshot: this.snapshot(provider, circuit.gpuType ?? undefined) });
    }
    return result;
  }

  private circuitAllows(circuit: Circuit | undefined): boolean {
    if (!circuit || circuit.state === 'closed') return true;
    this.advance(circuit);
    return circuit.state === 'half_open' && !circuit.probeInFlight;
  }

  private getOrCreate(key: string, provider: string, gpuType: string | null): Circuit {
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = { provider, gpuType, state: 'closed', consecutiveFailures: 0, times: [], failed: [], head: 0, failures: 0, retryAt: 0, probeInFlight: false };
      this.circuits.set(key, circuit);
    }
    return circuit;
  }

  private advance(circuit: Circuit): void {
    if (circuit.state === 'open' && this.clock.now() >= circuit.retryAt) {
      circuit.state = 'half_open';
      circuit.probeInFlight = false;
    }
  }

  private open(circuit: Circuit, now: number, forMs: number, reason: string): void {
    circuit.retryAt = now + forMs;
    circuit.probeInFlight = false;
    this.transition(circuit, 'open', reason);
  }

  private transition(circuit: Circuit, to: CircuitState, reason: string): void {
    const from = circuit.state;
    // A reopened half-open circuit reports half_open -> open; the intermediate half_open was lazy.
    if (from === 'closed' && to !== 'closed') this.notClosed += 1;
    if (from !== 'closed' && to === 'closed') this.notClosed -= 1;
    circuit.state = to;
    this.onTransition?.({ provider: circuit.provider, gpu_type: circuit.gpuType, from, to, reason, retry_at: to === 'closed' ? null : circuit.retryAt });
  }

  private reset(circuit: Circuit): void {
    circuit.times = [];
    circuit.failed = [];
    circuit.head = 0;
    circuit.failures = 0;
    circuit.consecutiveFailures = 0;
  }

  private push(circuit: Circuit, now: number, failed: boolean): void {
    this.prune(circuit, now);
    circuit.times.push(now);
    circuit.failed.push(failed);
    if (failed) circuit.failures += 1;
    if (windowCalls(circuit) > maximumWindowEntries) this.drop(circuit, windowCalls(circuit) - maximumWindowEntries);
  }

  private prune(circuit: Circuit, now: number): void {
    const oldest = now - this.limits.window_ms;
    let expired = 0;
    while (circuit.head + expired < circuit.times.length && circuit.times[circuit.head + expired]! <= oldest) expired++;
    if (expired > 0) this.drop(circuit, expired);
  }

  /** Moves the window's start; the arrays are compacted only once most of them is dead, so a busy circuit costs O(1) per call. */
  private drop(circuit: Circuit, count: number): void {
    const end = circuit.head + count;
    for (let index = circuit.head; index < end; index++) if (circuit.failed[index]) circuit.failures -= 1;
    circuit.head = end;
    if (circuit.head >= 1_024 && circuit.head * 2 >= circuit.times.length) {
      circuit.times = circuit.times.slice(circuit.head);
      circuit.failed = circuit.failed.slice(circuit.head);
      circuit.head = 0;
    }
  }
}

function windowCalls(circuit: Circuit): number {
  return circuit.times.length - circuit.head;
}

function circuitKey(provider: string, gpuType: string | null | undefined): string {
  return gpuType === undefined || gpuType === null ? provider : `${provider}/${gpuType}`;
}

function keysFor(provider: string, gpuType: string | undefined): string[] {
  return gpuType === undefined ? [provider] : [provider, circuitKey(provider, gpuType)];
}

/** See the class comment: provider-side failures and unusable credentials count; request errors and aborts do not. */
export function countsAsFailure(error: unknown): boolean {
  if (ConfigurationError.isInstance(error)) return true;
  if (AdapterCallError.isInstance(error)) {
    if (error.reason === 'aborted') return false;
    // An offer that sold out between quote and deploy is the market moving, not the provider failing.
    if (error.reason === 'no_capacity' && error.scope === 'offer') return false;
    if (error.statusCode === 401 || error.statusCode === 403) return true;
    return error.isRetryable;
  }
  if (AuroraError.isInstance(error)) return error.isRetryable;
  return true;
}
