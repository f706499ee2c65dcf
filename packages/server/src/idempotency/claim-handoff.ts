import type { ClaimIdempotencyKeyOptions, TenantScope } from '../ledger/deployment-store';

/** Where an offered claim stands: not written yet, written with the intent, or found taken. */
export type HandoffState = 'offered' | 'claimed' | 'lost';

export type ClaimTicket = {
  /** Withdraws the offer (if still open) and tells where it ended. */
  close(): HandoffState;
};

type Pending = { claim: ClaimIdempotencyKeyOptions; state: HandoffState };

/**
 * Carries an idempotency claim from the executor to the ledger registry, so the claim is written
 * in the same atomic write as the route's first intent (`saveIntentClaimingKey`): one ledger
 * write and one commit less per keyed route. The executor offers the claim of a key that nobody
 * holds; the registry takes it with the intent, before the provider is called; a claim found
 * taken by then (another replica won the race) fails that save, nothing is deployed, and the
 * executor goes the usual way (wait for the holder, or replay its response).
 */
export class ClaimHandoff {
  private readonly pending = new Map<string, Pending>();

  offer(claim: ClaimIdempotencyKeyOptions): ClaimTicket {
    const slot = slotOf(claim.tenant, claim.key);
    const entry: Pending = { claim, state: 'offered' };
    this.pending.set(slot, entry);
    return {
      close: () => {
        if (this.pending.get(slot) === entry) this.pending.delete(slot);
        return entry.state;
      },
    };
  }

  /** The open offer for this key, taken once: `settle` records whether the claim was written. */
  take(tenant: TenantScope, key: string): { claim: ClaimIdempotencyKeyOptions; settle(claimed: boolean): void } | undefined {
    const slot = slotOf(tenant, key);
    const entry = this.pending.get(slot);
    if (!entry || entry.state !== 'offered') return undefined;
    this.pending.delete(slot);
    return {
      claim: entry.claim,
      settle: (claimed) => {
        entry.state = claimed ? 'claimed' : 'lost';
      },
    };
  }
}

function slotOf(tenant: TenantScope, key: string): string {
  return `${tenant ?? ''}\u0000${key}`;
}
