/**
 * Capacity our own deployments hold, per listing: one machine each from placement until they end.
 * One ledger per simulated run; the world itself stays shared and unchanged.
 */
export class MarketLedger {
  private readonly holds = new Map<string, Array<{ from: number; until: number }>>();

  /** Machines of `listingKey` held at `time`. */
  heldAt(listingKey: string, time: number): number {
    const list = this.holds.get(listingKey);
    if (!list) return 0;
    let held = 0;
    let write = 0;
    for (const hold of list) {
      // Runs move forward in time, so ended holds can go.
      if (hold.until <= time) continue;
      list[write++] = hold;
      if (hold.from <= time) held += 1;
    }
    list.length = write;
    return held;
  }

  hold(listingKey: string, from: number, until: number): void {
    if (!(until > from)) return;
    const list = this.holds.get(listingKey);
    if (list) list.push({ from, until });
    else this.holds.set(listingKey, [{ from, until }]);
  }

  /** Machines held across all listings at `time` (for diagnostics). */
  totalHeldAt(time: number): number {
    let total = 0;
    for (const key of this.holds.keys()) total += this.heldAt(key, time);
    return total;
  }
}
