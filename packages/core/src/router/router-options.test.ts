import { describe, expect, it } from 'vitest';
import { createRouter, InvalidArgumentError, UnsupportedAdapterVersionError, type RouterOptions } from '@aurora/router';
import { createMockAdapter } from '@aurora/router/testkit';

function fieldsOf(options: unknown): string[] {
  try {
    createRouter(options as RouterOptions);
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return (error as InvalidArgumentError).issues.map((issue) => issue.field);
  }
  throw new Error('createRouter accepted invalid options');
}

describe('createRouter options', () => {
  it('accepts adapters alone and fills every default', () => {
    expect(() => createRouter({ adapters: [createMockAdapter()] })).not.toThrow();
    expect(() => createRouter({ adapters: [] })).not.toThrow();
  });

  it('names each invalid limit, including nested circuit limits and unknown keys', () => {
    const fields = fieldsOf({
      adapters: [createMockAdapter()],
      limits: { quote_timeout_ms: -1, max_deploy_attempts: 0, circuit: { failure_rate: 2, colour: 'red' }, speed: 'fast' },
    });
    expect(fields).toEqual(
      expect.arrayContaining(['limits.quote_timeout_ms', 'limits.max_deploy_attempts', 'limits.circuit.failure_rate', 'limits.circuit.colour', 'limits.speed']),
    );
  });

  it('rejects a cache maximum age below the fresh age', () => {
    expect(fieldsOf({ adapters: [], limits: { offer_cache_fresh_ms: 10_000, offer_cache_max_age_ms: 5_000 } })).toEqual(['limits.offer_cache_max_age_ms']);
  });

  it('rejects unknown top-level options, bad weights and bad defaults with their field names', () => {
    expect(fieldsOf({ adapters: [], retries: 3 })).toEqual(['retries']);
    expect(fieldsOf({ adapters: [], weights: { price: -1 } })).toEqual(['weights.price']);
    expect(fieldsOf({ adapters: [], weights: { price: 0, latency: 0, reputation: 0, availability: 0 } })).toEqual(['weights']);
    expect(fieldsOf({ adapters: [], defaults: { gpu_type: 'not-a-gpu', colour: 'red' } })).toEqual(
      expect.arrayContaining(['defaults.gpu_type', 'defaults.colour']),
    );
    expect(fieldsOf({ adapters: [], policy: { decide: 'no' } })).toEqual(['policy']);
    expect(fieldsOf({ adapters: [], registry: { get: async () => undefined } })).toEqual(['registry']);
    expect(fieldsOf({ adapters: [], clock: Date.now })).toEqual(['clock']);
  });

  it('rejects duplicate adapter names and adapters missing methods', () => {
    expect(fieldsOf({ adapters: [createMockAdapter({ name: 'alpha' }), createMockAdapter({ name: 'alpha' })] })).toEqual(['adapters.1.name']);
    const broken = Object.assign(createMockAdapter({ name: 'broken' }), { deploy: undefined });
    expect(fieldsOf({ adapters: [broken] })).toEqual(['adapters.0.deploy']);
    expect(fieldsOf({ adapters: [createMockAdapter({ name: 'Not Kebab' })] })).toEqual(['adapter.name']);
  });

  it('rejects adapters of an unsupported specification version', () => {
    const future = Object.assign(createMockAdapter(), { specificationVersion: 'v9' });
    expect(() => createRouter({ adapters: [future as never] })).toThrow(expect.objectContaining({ code: 'AURORA_ERR_UNSUPPORTED_ADAPTER_VERSION' }));
    try {
      createRouter({ adapters: [future as never] });
    } catch (error) {
      expect(UnsupportedAdapterVersionError.isInstance(error)).toBe(true);
    }
  });

  it('needs an options object', () => {
    expect(fieldsOf(undefined)).toEqual(['(root)']);
  });
});
