const encoder = new TextEncoder();

/**
 * MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of `key`. Stable across processes, machines and
 * languages, so an arm assignment can be recomputed anywhere from the key alone.
 */
export function murmurHash3(key: string, seed = 0): number {
  const bytes = encoder.encode(key);
  const length = bytes.length;
  const blockEnd = length - (length % 4);
  let hash = seed >>> 0;
  for (let index = 0; index < blockEnd; index += 4) {
    let block = bytes[index]! | (bytes[index + 1]! << 8) | (bytes[index + 2]! << 16) | (bytes[index + 3]! << 24);
    block = Math.imul(block, 0xcc9e2d51);
    block = (block << 15) | (block >>> 17);
    block = Math.imul(block, 0x1b873593);
    hash ^= block;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  const remaining = length & 3;
  if (remaining > 0) {
    let tail = 0;
    if (remaining === 3) tail ^= bytes[blockEnd + 2]! << 16;
    if (remaining >= 2) tail ^= bytes[blockEnd + 1]! << 8;
    tail ^= bytes[blockEnd]!;
    tail = Math.imul(tail, 0xcc9e2d51);
    tail = (tail << 15) | (tail >>> 17);
    tail = Math.imul(tail, 0x1b873593);
    hash ^= tail;
  }
  hash ^= length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Maps `key` to a point in [0, 100) by its 32-bit MurmurHash3. A unit is in a rollout of p % when
 * its point is below p, so raising p only ever moves units into the treatment, never out.
 */
export function stableHashPercentage(key: string): number {
  return (murmurHash3(key) / 0x1_0000_0000) * 100;
}
