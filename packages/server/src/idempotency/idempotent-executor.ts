import { ConflictError } from '@aurora/router';
import type { DeploymentStore, TenantScope } from '../ledger/deployment-store';
import { canonicalHash } from './canonical-hash';
import type { ClaimHandoff } from './claim-handoff';

export type StoredResponse = { status: number; body: unknown; replayed: boolean };

/**
 * What a run answers. `stored`, when given, is what the ledger keeps for replays instead of
 * `body` (a compact reference the caller expands again); a replay from the ledger returns it as
 * `body`, while concurrent duplicates in this process share `body` itself. `completed: true` says
 * the run already completed the key in the ledger, in the same write as its own work, with what a
 * replay needs: the executor does not write it again.
 */
export type RunResponse = { status: number; body: unknown; stored?: unknown; completed?: boolean };

/**
 * Called when another holder of the key has not finished within the wait: usually a replica that
 * crashed mid-request. Returns the response to store and replay (the work did happen), `retry`
 * (it failed: run the request again), or `undefined` (still undecided: answer 409, retry later).
 */
export type RecoverStaleClaim = () => Promise<{ status: number; body: unknown } | 'retry' | undefined>;

export type IdempotentExecutorOptions = {
  store: Pick<DeploymentStore, 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey'> &
    Partial<Pick<DeploymentStore, 'peekIdempotencyKey'>>;
  /**
   * When given (with a store that can peek), a key nobody holds is not claimed up front: its claim
   * is handed to the ledger registry and written with the route's first intent, in one write.
   */
  handoff?: ClaimHandoff;
  /** How long a request waits for another replica that holds the same key. */
  waitMs: number;
  /** Between reads of a key another replica holds. */
  pollMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
};

type InFlight = { hash: string; response: Promise<StoredResponse> };

/**
 * Runs a request at most once per (tenant, Idempotency-Key). The ledger's claim decides between
 * replicas; inside one process concurrent duplicates share the first request's promise instead of
 * polling. A replay gets the first response; the same key with another body is a `ConflictError`.
 * A failed run releases its claim so the client may retry with the same key.
 */
export class IdempotentExecutor {
  private readonly options: Required<Omit<IdempotentExecutorOptions, 'store' | 'handoff'>> & Pick<IdempotentExecutorOptions, 'store' | 'handoff'>;
  private readonly inFlight = new Map<string, InFlight>();

  constructor(options: IdempotentExecutorOptions) {
    this.options = {
      pollMs: 50,
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
      ...options,
    };
  }

  async execute(
    scope: { tenant: TenantScope; key: string; body: unknown },
    run: () => Promise<RunResponse>,
    recover?: RecoverStaleClaim,
  ): Promise<StoredResponse> {
    const hash = canonicalHash(scope.body);
    const slot = `${scope.tenant ?? ''}\u0000${scope.key}`;
    const running = this.inFlight.get(slot);
    if (running) {
      if (running.hash !== hash) throw conflict(scope.key);
      const response = await running.response;
      return { ...response, replayed: true };
    }
    const response = this.runOnce(scope.tenant, scope.key, hash, run, recover);
    const entry: InFlight = { hash, response };
    this.inFlight.set(slot, entry);
    try {
      return await response;
    } finally {
      if (this.inFlight.get(slot) === entry) this.inFlight.delete(slot);
    }
  }

  /**
   * With a handoff, a key the ledger does not know yet is claimed together with the route's first
   * intent (see `ClaimHandoff`): no write before the route starts. If another replica claimed it
   * in the meantime, that intent was refused and nothing deployed: the usual claim decides then.
   */
  private async runOnce(
    tenant: TenantScope,
    key: string,
    hash: string,
    run: () => Promise<RunResponse>,
    recover: RecoverStaleClaim | undefined,
  ): Promise<StoredResponse> {
    const { store, handoff } = this.options;
    if (!handoff || !store.peekIdempotencyKey || (await store.peekIdempotencyKey({ tenant, key })) !== undefined) {
      return this.claimAndRun(tenant, key, hash, run, recover);
    }
    const ticket = handoff.offer({ tenant, key, request_hash: hash, now: this.options.now().toISOString() });
    let result: RunResponse;
    try {
      result = await run();
    } catch (error) {
      const state = ticket.close();
      if (state === 'lost') return this.claimAndRun(tenant, key, hash, run, recover);
      if (state === 'claimed') await store.releaseIdempotencyKey({ tenant, key }).catch(() => undefined);
      throw error;
    }
    if (ticket.close() === 'offered') {
      // The run recorded no intent under this key (nothing asked for it): claim and complete now.
      const claim = await store.claimIdempotencyKey({ tenant, key, request_hash: hash, now: this.options.now().toISOString() });
      if (claim.outcome !== 'claimed') return { status: result.status, body: result.body, replayed: false };
    } else if (result.completed === true) {
      return { status: result.status, body: result.body, replayed: false };
    }
    const stored = 'stored' in result ? result.stored : result.body;
    await store.completeIdempotencyKey({ tenant, key, response_status: result.status, response_body: stored });
    return { status: result.status, body: result.body, replayed: false };
  }

  private async claimAndRun(
    tenant: TenantScope,
    key: string,
    hash: string,
    run: () => Promise<RunResponse>,
    recover: RecoverStaleClaim | undefined,
  ): Promise<StoredResponse> {
    const { store } = this.options;
    const deadline = this.options.now().getTime() + this.options.waitMs;
    let recovered = false;
    for (;;) {
      const claim = await store.claimIdempotencyKey({ tenant, key, request_hash: hash, now: this.options.now().toISOString() });
      if (claim.outcome !== 'claimed' && claim.request_hash !== hash) throw conflict(key);
      if (claim.outcome === 'completed') return { status: claim.response_status, body: claim.response_body, replayed: true };
      if (claim.outcome === 'claimed') break;
      if (this.options.now().getTime() >= deadline) {
        const resolution = recover && !recovered ? await recover() : undefined;
        recovered = true;
        if (resolution === 'retry') {
          await store.releaseIdempotencyKey({ tenant, key });
          continue;
        }
        if (resolution) {
          await store.completeIdempotencyKey({ tenant, key, response_status: resolution.status, response_body: resolution.body });
          return { ...resolution, replayed: true };
        }
        throw new ConflictError({
          message: `A request with Idempotency-Key "${key}" is still in progress; retry later`,
          details: { idempotency_key: key, reason: 'in_progress' },
        });
      }
      await this.options.sleep(this.options.pollMs);
    }
    let result: RunResponse;
    try {
      result = await run();
    } catch (error) {
      await store.releaseIdempotencyKey({ tenant, key }).catch(() => undefined);
      throw error;
    }
    if (result.completed !== true) {
      const stored = 'stored' in result ? result.stored : result.body;
      await store.completeIdempotencyKey({ tenant, key, response_status: result.status, response_body: stored });
    }
    return { status: result.status, body: result.body, replayed: false };
  }
}

function conflict(key: string): ConflictError {
  return new ConflictError({
    message: `Idempotency-Key "${key}" was already used with a different request body`,
    details: { idempotency_key: key, reason: 'different_body' },
  });
}
