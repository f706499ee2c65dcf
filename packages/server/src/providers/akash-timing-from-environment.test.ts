import { ConfigurationError } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { akashTimingFromEnvironment } from './akash-timing-from-environment';

describe('akashTimingFromEnvironment', () => {
  it('reads the AKASH_*_MS variables that are set into adapter settings', () => {
    expect(
      akashTimingFromEnvironment({
        AKASH_POLL_INTERVAL_MS: '250',
        AKASH_BID_TIMEOUT_MS: ' 90000 ',
        AKASH_BID_WINDOW_MS: '0',
        AKASH_LEASE_READY_TIMEOUT_MS: '0',
        AKASH_TIMEOUT_MS: '',
        AKASH_API_KEY: 'unrelated',
      }),
    ).toEqual({ pollIntervalMs: 250, bidTimeoutMs: 90_000, bidWindowMs: 0, leaseReadyTimeoutMs: 0 });
    expect(akashTimingFromEnvironment({})).toEqual({});
  });

  it.each([
    ['AKASH_POLL_INTERVAL_MS', '0'],
    ['AKASH_BID_TIMEOUT_MS', '3s'],
    ['AKASH_BID_WINDOW_MS', '-1'],
    ['AKASH_LEASE_READY_TIMEOUT_MS', '1.5'],
    ['AKASH_TIMEOUT_MS', '86400001'],
  ])('stops the server on a malformed %s=%s, naming the variable', (variable, value) => {
    let caught: unknown;
    try {
      akashTimingFromEnvironment({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ setting: variable, message: expect.stringContaining(`${variable}: expected whole milliseconds`) });
  });
});
