/** Lock namespaces (first key of PostgreSQL's two-key advisory locks): 'AUMG' and 'AULD'. */
export const migrationLockNamespace = 0x41554d47;
export const leadershipLockNamespace = 0x41554c44;

/** A stable signed 32-bit key for `text` (FNV-1a), the second key of a two-key advisory lock. */
export function advisoryLockKey(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
