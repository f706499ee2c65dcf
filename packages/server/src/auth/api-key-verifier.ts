import { timingSafeEqual } from 'node:crypto';
import { sha256, type ApiKeyRecord } from './api-key';

export type ApiKeyVerifier = {
  /** The record whose hash matches the presented key, compared in constant time against every record. */
  verify(presentedKey: string): ApiKeyRecord | undefined;
};

/**
 * Hashes the presented key once and compares it with every configured digest using
 * `timingSafeEqual`, without stopping at the first match, so timing says nothing about which or
 * how many digests were close.
 */
export function createApiKeyVerifier(records: readonly ApiKeyRecord[]): ApiKeyVerifier {
  const keys = [...records];
  return {
    verify(presentedKey) {
      const digest = sha256(presentedKey);
      let match: ApiKeyRecord | undefined;
      for (const record of keys) {
        if (timingSafeEqual(digest, record.sha256) && match === undefined) match = record;
      }
      return match;
    },
  };
}
