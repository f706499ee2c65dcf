import { describe, expect, it } from 'vitest';
import { sha256 } from './api-key';
import { createApiKeyVerifier } from './api-key-verifier';

describe('createApiKeyVerifier', () => {
  const records = [
    { id: 'a', sha256: sha256('key-a-0123456789abcdef'), tenant: 'acme', scopes: new Set(['read'] as const) },
    { id: 'b', sha256: sha256('key-b-0123456789abcdef'), tenant: 'globex', scopes: new Set(['route'] as const) },
  ];
  const verifier = createApiKeyVerifier(records);

  it('finds the record whose digest matches', () => {
    expect(verifier.verify('key-b-0123456789abcdef')?.id).toBe('b');
    expect(verifier.verify('key-a-0123456789abcdef')?.tenant).toBe('acme');
  });

  it('rejects unknown keys, prefixes and the digest itself', () => {
    expect(verifier.verify('key-a-0123456789abcde')).toBeUndefined();
    expect(verifier.verify('')).toBeUndefined();
    expect(verifier.verify(records[0]!.sha256.toString('hex'))).toBeUndefined();
  });
});
