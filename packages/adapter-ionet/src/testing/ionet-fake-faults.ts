/** Where a fault applies. Without `path`/`method` it applies to every API call. */
export type IonetFakeFaultScope = {
  /** Path under the base (`/price`, `/deploy`, `/deployment/`): a prefix, or a pattern. */
  path?: string | RegExp;
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Apply this many times, then stop. Default: until replaced. */
  times?: number;
};

/**
 * Failures the fake can inject. HTTP faults answer instead of the endpoint; the others change what
 * the endpoints do.
 */
export type IonetFakeFault = IonetFakeFaultScope &
  (
    | { kind: 'http-error'; status: number; retryAfterSeconds?: number; detail?: string } // any status, `{"detail": ...}`
    | { kind: 'unauthorized' } // 401 {"detail": ...}
    | { kind: 'forbidden' } // 403 {"detail": ...}
    | { kind: 'not-found' } // 404 {"detail": "Not found"}
    | { kind: 'rate-limited'; retryAfterSeconds?: number } // 429, with Retry-After only when set
    | { kind: 'server-error'; status?: number } // 500 unless `status`
    | { kind: 'slow'; delayMs: number } // answers normally, after a delay
    | { kind: 'malformed-json' } // 200 with a truncated JSON body
    | { kind: 'no-capacity' } // no free replicas anywhere; deploy refuses
    | { kind: 'payment-required' } // deploy refuses for lack of IO credits
    | { kind: 'deployment-fails' } // new deployments end `failed` instead of running
    | { kind: 'deploy-answer-lost' } // deploy creates the deployment, then answers 504
    | { kind: 'log-early-close'; afterLines?: number; abrupt?: boolean } // log streams end after N lines (abrupt: socket reset)
    | { kind: 'log-slow-drip'; intervalMs: number } // log streams write one line per interval
  );

export type IonetFakeFaultKind = IonetFakeFault['kind'];

type ActiveFault = { fault: IonetFakeFault; remaining: number };

/** The fake's active faults; the first one matching a request applies. */
export class IonetFakeFaults {
  private active: ActiveFault[] = [];

  set(faults: IonetFakeFault | readonly IonetFakeFault[] | null | undefined): void {
    const list = faults === null || faults === undefined ? [] : Array.isArray(faults) ? faults : [faults as IonetFakeFault];
    this.active = list.map((fault) => ({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  /** The first active fault of one of `kinds` matching the request, counted as used. */
  take<Kind extends IonetFakeFaultKind>(kinds: readonly Kind[], method: string, path: string): Extract<IonetFakeFault, { kind: Kind }> | undefined {
    for (const entry of this.active) {
      if (entry.remaining <= 0 || !(kinds as readonly string[]).includes(entry.fault.kind)) continue;
      if (!matches(entry.fault, method, path)) continue;
      entry.remaining -= 1;
      return entry.fault as Extract<IonetFakeFault, { kind: Kind }>;
    }
    return undefined;
  }

  list(): IonetFakeFault[] {
    return this.active.filter((entry) => entry.remaining > 0).map((entry) => entry.fault);
  }
}

function matches(fault: IonetFakeFaultScope, method: string, path: string): boolean {
  if (fault.method && fault.method !== method) return false;
  if (fault.path === undefined) return true;
  return typeof fault.path === 'string' ? path.startsWith(fault.path) : fault.path.test(path);
}
