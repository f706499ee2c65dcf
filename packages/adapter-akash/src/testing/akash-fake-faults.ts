/** Which Console API calls an HTTP fault hits: a path prefix or pattern, and a method; all by default. */
export type AkashFakeFaultTarget = {
  path?: string | RegExp;
  method?: string;
  /** How many matching calls it hits before it lifts itself; every call by default. */
  times?: number;
};

/**
 * Misbehaviour on request. HTTP faults (`http-status`, `slow`, `malformed-json`) hit Console API
 * calls; the others script the market and the provider gateway:
 * - `http-status`: answer `status` with the Akash error body; `retryAfterSeconds` (or a raw
 *   `retryAfter` header value) adds Retry-After. Covers 401, 403, 404, 429, 5xx.
 * - `slow`: answer normally after `delayMs`.
 * - `malformed-json`: answer 200 with a body that is not JSON.
 * - `drop-websocket`: after `afterLines` lines (default 1) the gateway drops the log socket without
 *   a close frame, for `times` connections (default 1).
 * - `expired-token`: the next `tokens` provider JWTs minted (default 1) stop working after
 *   `afterLines` lines on a socket (default 0: refused at the handshake with 401); a socket whose
 *   token expires is closed with 1008.
 * - `no-bids`: providers stop bidding (GET /v1/bids answers no bids).
 * - `bid-vanishes`: creating a lease withdraws the bids it names, and the call answers 400.
 * - `lease-never-ready`: leases stay at ready_replicas 0.
 * - `insufficient-funds`: active leases report `insufficient_funds`.
 */
export type AkashFakeFault =
  | ({ type: 'http-status'; status: number; retryAfterSeconds?: number; retryAfter?: string } & AkashFakeFaultTarget)
  | ({ type: 'slow'; delayMs: number } & AkashFakeFaultTarget)
  | ({ type: 'malformed-json' } & AkashFakeFaultTarget)
  | { type: 'drop-websocket'; afterLines?: number; times?: number }
  | { type: 'expired-token'; afterLines?: number; tokens?: number }
  | { type: 'no-bids' }
  | { type: 'bid-vanishes' }
  | { type: 'lease-never-ready' }
  | { type: 'insufficient-funds' };

export type HttpFault = Extract<AkashFakeFault, { type: 'http-status' | 'slow' | 'malformed-json' }>;

export const malformedJsonBody = '{"data": [ {"bid": {"id": "trunc';

const errorCodes: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict',
  429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

/** The documented Akash error body `{ error: "<CodeString>", message }`. */
export function akashErrorBody(status: number, message: string): { error: string; message: string } {
  return { error: errorCodes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest'), message };
}

/** The faults currently set, with per-fault hit counters. */
export class AkashFakeFaults {
  private active: Array<{ fault: AkashFakeFault; hits: number }> = [];

  set(faults: readonly AkashFakeFault[]): void {
    this.active = faults.map((fault) => ({ fault, hits: 0 }));
  }

  add(fault: AkashFakeFault): void {
    this.active.push({ fault, hits: 0 });
  }

  list(): AkashFakeFault[] {
    return this.active.map((entry) => entry.fault);
  }

  has(type: AkashFakeFault['type']): boolean {
    return this.active.some((entry) => entry.fault.type === type);
  }

  /** The first HTTP fault hitting this call, counted as a hit (and lifted when its `times` run out). */
  takeHttpFault(method: string, path: string): HttpFault | undefined {
    const entry = this.active.find(({ fault }) => isHttpFault(fault) && matches(fault, method, path));
    if (!entry) return undefined;
    this.hit(entry);
    return entry.fault as HttpFault;
  }

  /** Takes one use of a gateway fault (`drop-websocket`, `expired-token`), lifting it when used up. */
  take<Type extends 'drop-websocket' | 'expired-token'>(type: Type): Extract<AkashFakeFault, { type: Type }> | undefined {
    const entry = this.active.find(({ fault }) => fault.type === type);
    if (!entry) return undefined;
    this.hit(entry);
    return entry.fault as Extract<AkashFakeFault, { type: Type }>;
  }

  private hit(entry: { fault: AkashFakeFault; hits: number }): void {
    entry.hits += 1;
    const limit = limitOf(entry.fault);
    if (limit !== undefined && entry.hits >= limit) this.active = this.active.filter((candidate) => candidate !== entry);
  }
}

function isHttpFault(fault: AkashFakeFault): fault is HttpFault {
  return fault.type === 'http-status' || fault.type === 'slow' || fault.type === 'malformed-json';
}

function matches(target: AkashFakeFaultTarget, method: string, path: string): boolean {
  if (target.method && target.method.toUpperCase() !== method.toUpperCase()) return false;
  if (target.path === undefined) return true;
  return typeof target.path === 'string' ? path.startsWith(target.path) : target.path.test(path);
}

function limitOf(fault: AkashFakeFault): number | undefined {
  switch (fault.type) {
    case 'http-status':
    case 'slow':
    case 'malformed-json':
      return fault.times;
    case 'drop-websocket':
      return fault.times ?? 1;
    case 'expired-token':
      return fault.tokens ?? 1;
    default:
      return undefined;
  }
}
