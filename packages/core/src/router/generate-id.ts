const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random bytes drawn from the CSPRNG in blocks: one call serves many ids instead of one call per id. */
const pool = new Uint8Array(4_096);
let poolOffset = pool.length;

function randomBytes(count: number): Uint8Array {
  if (poolOffset + count > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

/**
 * `<prefix>-<time><random>`: a base-36 timestamp (so ids sort by creation time in a ledger) and 12
 * random base-36 characters (about 62 bits) from the platform's CSPRNG.
 */
export function generateRandomId(prefix: string, now: number = Date.now()): string {
  const bytes = randomBytes(12);
  let random = '';
  for (let index = 0; index < bytes.length; index++) random += alphabet[bytes[index]! % 36];
  return `${prefix}-${now.toString(36).padStart(9, '0')}${random}`;
}

/** Runs a custom generator and makes sure the result carries `<prefix>-`. */
export function prefixedId(generate: (prefix: string) => string, prefix: string): string {
  const id = String(generate(prefix));
  return id.startsWith(`${prefix}-`) ? id : `${prefix}-${id}`;
}
