import {
  AdapterCallError, BudgetExceededError, ConfigurationError, ConflictError, DeployFailedError, InvalidArgumentError,
  InvalidResponseDataError, NoEligibleOfferError, NotFoundError, PolicyError,
} from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../ledger/index';
import { AuthenticationError } from './authentication-error';
import { mapAuroraError } from './map-aurora-error';
import { PermissionError } from './permission-error';
import { RateLimitError } from './rate-limit-error';

const retryable = new AdapterCallError({ message: 'busy', adapterId: 'akash', operation: 'deploy', statusCode: 503, retryAfterMs: 2_500 });
const final = new AdapterCallError({ message: 'bad request', adapterId: 'akash', operation: 'deploy', statusCode: 400 });

describe('mapAuroraError', () => {
  it.each([
    [new InvalidArgumentError({ issues: [{ field: 'gpu_type', reason: 'unknown' }] }), 400, 'AURORA_ERR_INVALID_ARGUMENT'],
    [new AuthenticationError({ message: 'missing' }), 401, 'AURORA_ERR_UNAUTHENTICATED'],
    [new BudgetExceededError({ scope: 'tenant', limitUsd: 10, requiredUsd: 12 }), 402, 'AURORA_ERR_BUDGET_EXCEEDED'],
    [new PermissionError({ requiredScope: 'route' }), 403, 'AURORA_ERR_FORBIDDEN'],
    [new NotFoundError({ resource: 'deployment', id: 'dep-1' }), 404, 'AURORA_ERR_NOT_FOUND'],
    [new ConflictError({ message: 'reused' }), 409, 'AURORA_ERR_CONFLICT'],
    [new NoEligibleOfferError({ rejections: { total_offers: 3, by_reason: { price_above_max: 3 }, by_provider: { akash: 3 } } }), 422, 'AURORA_ERR_NO_ELIGIBLE_OFFER'],
    [new RateLimitError({ limit: 10, retryAfterSeconds: 7 }), 429, 'AURORA_ERR_RATE_LIMITED'],
    [final, 502, 'AURORA_ERR_ADAPTER_CALL'],
    [retryable, 503, 'AURORA_ERR_ADAPTER_CALL'],
    [new InvalidResponseDataError({ message: 'garbage', adapterId: 'ionet' }), 503, 'AURORA_ERR_INVALID_RESPONSE'],
    [new DeployFailedError({ reason: 'max_attempts', errors: [retryable] }), 503, 'AURORA_ERR_DEPLOY_FAILED'],
    [new DeployFailedError({ reason: 'not_retryable', errors: [final] }), 502, 'AURORA_ERR_DEPLOY_FAILED'],
    [new ConfigurationError({ message: 'AKASH_API_KEY is missing', setting: 'AKASH_API_KEY' }), 500, 'AURORA_ERR_CONFIGURATION'],
    [new PolicyError({ message: 'broken', policyId: 'ai' }), 500, 'AURORA_ERR_POLICY'],
  ])('%s -> %i', (error, status, code) => {
    const mapped = mapAuroraError(error);
    expect(mapped.statusCode).toBe(status);
    expect(mapped.body.error.code).toBe(code);
    expect(mapped.body.error.message).toBe(error.message);
    expect(mapped.body.error.details).toEqual(error.details);
  });

  it('adds Retry-After to retryable upstream failures, from the provider when it said', () => {
    expect(mapAuroraError(retryable).headers['retry-after']).toBe('3');
    expect(mapAuroraError(new DeployFailedError({ reason: 'max_attempts', errors: [final, retryable] })).headers['retry-after']).toBe('3');
    expect(mapAuroraError(new AdapterCallError({ message: 'timeout', adapterId: 'a', operation: 'deploy', reason: 'timeout' })).headers['retry-after']).toBe('5');
    expect(mapAuroraError(final).headers['retry-after']).toBeUndefined();
  });

  it('maps ledger failures without the driver\'s message', () => {
    const busy = mapAuroraError(new LedgerError({ message: 'SQLITE_BUSY: database is locked at /secret/path', operation: 'save', isRetryable: true }));
    expect(busy.statusCode).toBe(503);
    expect(busy.body.error.message).not.toMatch(/secret/);
    expect(mapAuroraError(new LedgerError({ message: 'disk I/O error', operation: 'save' })).statusCode).toBe(500);
  });

  it('hides the cause of unknown errors', () => {
    const mapped = mapAuroraError(new TypeError('cannot read properties of undefined (reading "token")'));
    expect(mapped).toMatchObject({ statusCode: 500, unexpected: true, body: { error: { code: 'AURORA_ERR_INTERNAL', message: 'Internal server error', details: {} } } });
  });

  it('maps fastify\'s own client errors', () => {
    expect(mapAuroraError(Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' })).body.error.code).toBe(
      'AURORA_ERR_PAYLOAD_TOO_LARGE',
    );
    const malformed = mapAuroraError(Object.assign(new Error("Body is not valid JSON but content-type is set to 'application/json'"), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.error.details.issues).toEqual([{ field: '(body)', reason: expect.stringMatching(/^malformed JSON/) }]);
  });
});
