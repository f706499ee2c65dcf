import { describe, expect, it } from 'vitest';
import { AdapterCallError, CircuitBreaker, ConfigurationError, countsAsFailure, type CircuitTransition } from '@aurora/router';

const limits = { consecutive_failures: 3, failure_rate: 0.5, window_ms: 60_000, minimum_calls: 6, cooldown_ms: 30_000 };

function setup(overrides: Partial<typeof limits> = {}) {
  let now = 1_000_000;
  const transitions: CircuitTransition[] = [];
  const breaker = new CircuitBreaker({ ...limits, ...overrides, clock: { now: () => now }, onTransition: (transition) => transitions.push(transition) });
  return { breaker, transitions, advance: (ms: number) => (now += ms), now: () => now };
}

const serverError = () => new AdapterCallError({ message: 'boom', adapterId: 'alpha', operation: 'list_offers', statusCode: 503 });

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and stays open until the cooldown passes', () => {
    const { breaker, transitions, advance } = setup();
    breaker.recordFailure('alpha', undefined, serverError());
    breaker.recordFailure('alpha', undefined, serverError());
    expect(breaker.state('alpha')).toBe('closed');
    breaker.recordFailure('alpha', undefined, serverError());
    expect(breaker.state('alpha')).toBe('open');
    expect(transitions).toEqual([expect.objectContaining({ provider: 'alpha', gpu_type: null, from: 'closed', to: 'open', reason: 'consecutive_failures' })]);
    expect(breaker.tryAcquire('alpha')).toBe(false);
    expect(breaker.allows('alpha')).toBe(false);
    advance(29_999);
    expect(breaker.state('alpha')).toBe('open');
    advance(1);
    expect(breaker.state('alpha')).toBe('half_open');
  });

  it('a success resets the consecutive count', () => {
    const { breaker } = setup();
    breaker.recordFailure('alpha', undefined, serverError());
    breaker.recordFailure('alpha', undefined, serverError());
    breaker.recordSuccess('alpha');
    breaker.recordFailure('alpha', undefined, serverError());
    breaker.recordFailure('alpha', undefined, serverError());
    expect(breaker.state('alpha')).toBe('closed');
    expect(breaker.snapshot('alpha').consecutive_failures).toBe(2);
  });

  it('opens on the failure rate over the window once it holds the minimum calls', () => {
    const { breaker, transitions } = setup({ consecutive_failures: 100 });
    // success, failure, alternating: 50 % failures, never 3 in a row
    for (let call = 0; call < 5; call++) {
      if (call % 2 === 0) breaker.recordSuccess('alpha');
      else breaker.recordFailure('alpha', undefined, serverError());
    }
    expect(breaker.state('alpha')).toBe('closed'); // 5 calls < minimum 6
    breaker.recordFailure('alpha', undefined, serverError()); // 3 of 6
    expect(breaker.state('alpha')).toBe('open');
    expect(transitions[0]).toMatchObject({ reason: 'failure_rate' });
  });

  it('forgets outcomes older than the window', () => {
    const { breaker, advance } = setup({ consecutive_failures: 100 });
    for (let call = 0; call < 5; call++) breaker.recordFailure('alpha', undefined, serverError());
    breaker.recordSuccess('alpha');
    advance(60_001);
    for (let call = 0; call < 5; call++) breaker.recordSuccess('alpha');
    breaker.recordFailure('alpha', undefined, serverError());
    expect(breaker.state('alpha')).toBe('closed');
    expect(breaker.snapshot('alpha')).toMatchObject({ window_calls: 6, window_failures: 1 });
  });

  it('opens at once on 429 with Retry-After, for exactly that long', () => {
    const { breaker, transitions, advance, now } = setup();
    const start = now();
    breaker.recordFailure('alpha', undefined, new AdapterCallError({ message: 'slow down', adapterId: 'alpha', operation: 'list_offers', statusCode: 429, retryAfterMs: 5_000 }));
    expect(breaker.state('alpha')).toBe('open');
    expect(transitions[0]).toMatchObject({ reason: 'rate_limited', retry_at: start + 5_000 });
    advance(4_999);
    expect(breaker.state('alpha')).toBe('open');
    advance(1);
    expect(breaker.state('alpha')).toBe('half_open');
  });

  it('half-open lets exactly one probe through; its success closes the circuit', () => {
    const { breaker, transitions, advance } = setup();
    for (let call = 0; call < 3; call++) breaker.recordFailure('alpha', undefined, serverError());
    advance(30_000);
    expect(breaker.allows('alpha')).toBe(true);
    expect(breaker.tryAcquire('alpha')).toBe(true);
    expect(breaker.tryAcquire('alpha')).toBe(false);
    expect(breaker.allows('alpha')).toBe(false);
    breaker.recordSuccess('alpha');
    expect(breaker.state('alpha')).toBe('closed');
    expect(breaker.allClosed).toBe(true);
    expect(transitions.map((transition) => `${transition.from}->${transition.to}`)).toEqual(['closed->open', 'half_open->closed']);
  });

  it('a failed probe reopens for another cooldown', () => {
    const { breaker, transitions, advance } = setup();
    for (let call = 0; call < 3; call++) breaker.recordFailure('alpha', undefined, serverError());
    advance(30_000);
    expect(breaker.tryAcquire('alpha')).toBe(true);
    breaker.recordFailure('alpha', undefined, serverError());
    expect(breaker.state('alpha')).toBe('open');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'probe_failed' });
    advance(29_999);
    expect(breaker.state('alpha')).toBe('open');
    advance(1);
    expect(breaker.state('alpha')).toBe('half_open');
  });

  it('a probe released without a verdict can be taken again', () => {
    const { breaker, advance } = setup();
    for (let call = 0; call < 3; call++) breaker.recordFailure('alpha', undefined, serverError());
    advance(30_000);
    expect(breaker.tryAcquire('alpha')).toBe(true);
    breaker.release('alpha');
    expect(breaker.tryAcquire('alpha')).toBe(true);
  });

  it('keeps provider + GPU type circuits apart; offer-scope failures open only those', () => {
    const { breaker } = setup();
    const startFailed = new AdapterCallError({ message: 'start failed', adapterId: 'alpha', operation: 'deploy', statusCode: 503, reason: 'start_failed' });
    for (let call = 0; call < 3; call++) breaker.recordFailure('alpha', 'a100', startFailed, 'offer');
    expect(breaker.state('alpha', 'a100')).toBe('open');
    expect(breaker.state('alpha')).toBe('closed');
    expect(breaker.allows('alpha', 'a100')).toBe(false);
    expect(breaker.allows('alpha', 'h100')).toBe(true);
    expect(breaker.allows('alpha')).toBe(true);
  });

  it('provider-scope failures count against the provider and its GPU type', () => {
    const { breaker } = setup();
    for (let call = 0; call < 3; call++) breaker.recordFailure('alpha', 'a100', serverError(), 'provider');
    expect(breaker.state('alpha')).toBe('open');
    expect(breaker.allows('alpha', 'h100')).toBe(false);
  });

  it('does not count an offer that sold out, but counts a provider-wide capacity failure', () => {
    const soldOut = new AdapterCallError({ message: 'sold out', adapterId: 'alpha', operation: 'deploy', reason: 'no_capacity', scope: 'offer', isRetryable: true });
    const providerDry = new AdapterCallError({ message: 'no capacity anywhere', adapterId: 'alpha', operation: 'deploy', reason: 'no_capacity', scope: 'provider', isRetryable: true });
    expect(countsAsFailure(soldOut)).toBe(false);
    expect(countsAsFailure(providerDry)).toBe(true);
    const { breaker } = setup();
    for (let call = 0; call < 10; call++) breaker.recordFailure('alpha', 'a100', soldOut, 'offer');
    expect(breaker.allows('alpha', 'a100')).toBe(true);
  });

  it('does not count request errors or caller aborts, and counts bad credentials', () => {
    const badRequest = new AdapterCallError({ message: 'bad image', adapterId: 'alpha', operation: 'deploy', statusCode: 400 });
    const notFound = new AdapterCallError({ message: 'gone', adapterId: 'alpha', operation: 'get_status', statusCode: 404 });
    const aborted = new AdapterCallError({ message: 'aborted', adapterId: 'alpha', operation: 'list_offers', reason: 'aborted', isRetryable: false });
    const unauthorized = new AdapterCallError({ message: 'no', adapterId: 'alpha', operation: 'list_offers', statusCode: 401 });
    const missingKey = new ConfigurationError({ message: 'ALPHA_API_KEY is not set', setting: 'ALPHA_API_KEY' });
    expect([badRequest, notFound, aborted].map(countsAsFailure)).toEqual([false, false, false]);
    expect([unauthorized, missingKey, serverError()].map(countsAsFailure)).toEqual([true, true, true]);

    const { breaker } = setup();
    for (let call = 0; call < 5; call++) expect(breaker.recordFailure('alpha', undefined, badRequest)).toBe(false);
    expect(breaker.state('alpha')).toBe('closed');
  });
});
