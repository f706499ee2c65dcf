const deltaPattern = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds to wait from `retry-after-ms`, or `retry-after` (delta seconds or an HTTP date).
 * `undefined` when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(headers: Pick<Headers, 'get'>, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms')?.trim();
  // Only plain decimal numbers: Number() would also accept "0x10", "1e3" or "Infinity".
  if (milliseconds !== undefined && deltaPattern.test(milliseconds)) return Number(milliseconds);
  const header = headers.get('retry-after')?.trim();
  if (header === undefined || header === '') return undefined;
  if (deltaPattern.test(header)) return Number(header) * 1000;
  // An HTTP date always names a weekday and month; a bare or signed number is not one.
  if (!/[a-z]/i.test(header)) return undefined;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
