const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * `<prefix>-<time><random>`: a base-36 timestamp (so ids sort by creation time in a ledger) and 12
 * random base-36 characters (about 62 bits) from the platform's CSPRNG.
 */
export function generateRandomId(prefix: string, now: number = Date.now()): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let random = '';
  for (const byte of bytes) random += alphabet[byte % 36];
  return `${prefix}-${now.toString(36).padStart(9, '0')}${random}`;
}

/** Runs a custom generator and makes sure the result carries `<prefix>-`. */
export function prefixedId(generate: (prefix: string) => string, prefix: string): string {
  const id = String(generate(prefix));
  return id.startsWith(`${prefix}-`) ? id : `${prefix}-${id}`;
}
