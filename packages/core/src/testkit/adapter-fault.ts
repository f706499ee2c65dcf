/**
 * A provider misbehaving on purpose. The conformance kit asks the adapter author to build an
 * adapter whose provider (a fake server, or an injected `fetch`) answers every call this way.
 *
 * - `http-status`: every call answers with `status` (and `Retry-After: <retryAfterSeconds>` when set).
 * - `slow`: every call is answered normally, but only after `delayMs`.
 * - `malformed-json`: every call answers 200 with a body that is not JSON.
 */
export type AdapterFault =
  | { type: 'http-status'; status: number; retryAfterSeconds?: number }
  | { type: 'slow'; delayMs: number }
  | { type: 'malformed-json' };

/** What a fake provider should do for one call under a fault. */
export type FaultResponsePlan = {
  /** Wait this long before answering (honouring the client disconnecting). */
  delayMs: number;
  /** Answer this instead of the normal response; `undefined` = answer normally after the delay. */
  response?: { status: number; headers: Record<string, string>; body: string };
};

/** The body a malformed answer carries: looks like JSON, is not. */
export const malformedJsonBody = '{"offers": [ {"id": "truncated';

/**
 * Turns a fault into what a fake server sends, so fake providers apply faults the same way.
 * `undefined` fault = a healthy provider (no delay, normal answer).
 */
export function planFaultResponse(fault: AdapterFault | undefined): FaultResponsePlan {
  if (fault === undefined) return { delayMs: 0 };
  switch (fault.type) {
    case 'slow':
      return { delayMs: fault.delayMs };
    case 'malformed-json':
      return { delayMs: 0, response: { status: 200, headers: { 'content-type': 'application/json' }, body: malformedJsonBody } };
    case 'http-status': {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      const body = JSON.stringify({ error: { status: fault.status, message: `injected HTTP ${fault.status}` } });
      return { delayMs: 0, response: { status: fault.status, headers, body } };
    }
  }
}

/** A short label for test titles: `HTTP 429 (Retry-After 7 s)`, `slow (10000 ms)`, `malformed JSON`. */
export function describeFault(fault: AdapterFault): string {
  switch (fault.type) {
    case 'slow':
      return `slow (${fault.delayMs} ms)`;
    case 'malformed-json':
      return 'malformed JSON';
    case 'http-status':
      return fault.retryAfterSeconds === undefined
        ? `HTTP ${fault.status}`
        : `HTTP ${fault.status} (Retry-After ${fault.retryAfterSeconds} s)`;
  }
}
