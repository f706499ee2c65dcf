import { createHash } from 'node:crypto';
import type { ApiKeyScope } from '../config/router-config-schema';

/** A configured API key: only its SHA-256 digest is kept in memory. */
export type ApiKeyRecord = {
  /** A label for logs and rate limiting: the configured name or the entry's position. */
  id: string;
  sha256: Buffer;
  tenant: string;
  scopes: ReadonlySet<ApiKeyScope>;
};

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function sha256Hex(value: string): string {
  return sha256(value).toString('hex');
}
