import { describe, expect, it } from 'vitest';
import { AdapterCallError } from '@aurora/router';
import { classifyDeployFailure, ionetErrorDetail, ionetScopeForStatus, refineDeployError } from './ionet-error';

const refused = (statusCode: number, detail: unknown) =>
  new AdapterCallError({ message: `HTTP ${statusCode}`, adapterId: 'ionet', operation: 'deploy', statusCode, responseBody: JSON.stringify({ detail }) });

describe('ionetErrorDetail', () => {
  it('reads FastAPI bodies: a string detail, a validation list, or falls back to the raw text', () => {
    expect(ionetErrorDetail('{"detail":"Not found"}')).toBe('Not found');
    expect(ionetErrorDetail('{"detail":[{"loc":["body","x"],"msg":"Extra inputs are not permitted","type":"extra_forbidden"}]}')).toBe('extra_forbidden: Extra inputs are not permitted');
    expect(ionetErrorDetail('<html>Bad Gateway</html>')).toBe('<html>Bad Gateway</html>');
    expect(ionetErrorDetail(undefined)).toBe('');
  });
});

describe('classifyDeployFailure', () => {
  it.each([
    [400, 'Insufficient balance: add IO credits', 'payment_required'],
    [402, 'anything', 'payment_required'],
    [400, 'Not enough available replicas of H100 in Germany', 'no_capacity'],
    [400, 'No capacity left for this hardware', 'no_capacity'],
    [400, "A deployment with resource_private_name 'x' already exists", 'duplicate_name'],
    [409, 'conflict', 'duplicate_name'],
    [400, 'Hardware 1 not found', undefined],
    [422, 'insufficient detail in field credit_card', undefined],
    [503, 'no capacity', undefined],
    [401, 'payment', undefined],
  ] as const)('HTTP %s "%s" -> %s', (status, detail, expected) => {
    expect(classifyDeployFailure(refused(status, detail))).toBe(expected);
  });
});

describe('refineDeployError', () => {
  it('makes a payment refusal final for the whole provider', () => {
    const refined = refineDeployError(refused(400, 'Insufficient balance'), 'payment_required');
    expect(refined).toMatchObject({ reason: 'payment_required', isRetryable: false, scope: 'provider', statusCode: 400 });
    expect(refined.message).toBe('ionet deploy refused for payment: Insufficient balance');
  });

  it('makes missing capacity retryable on another offer', () => {
    expect(refineDeployError(refused(400, 'Not enough available replicas'), 'no_capacity')).toMatchObject({ reason: 'no_capacity', isRetryable: true, scope: 'offer' });
  });
});

describe('ionetScopeForStatus', () => {
  it('blocks the provider for a refused key, a rate limit and server errors, else only the offer', () => {
    expect([401, 403, 429, 500, 503].map(ionetScopeForStatus)).toEqual(['provider', 'provider', 'provider', 'provider', 'provider']);
    expect([400, 404, 409, 422].map(ionetScopeForStatus)).toEqual(['offer', 'offer', 'offer', 'offer']);
  });
});
