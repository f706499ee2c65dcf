/** One placement holding GPUs of a listing until `endsAt` (or until released earlier). */
export type Holding = { readonly endsAt: number; readonly gpus: number; released: boolean };

/**
 * The GPUs our own live placements hold on one listing, kept as a running total. Placements
 * are ordered by their planned end in a binary min-heap, so asking at a later time releases
 * only those that ended since: O(log n) per placement over its life, instead of walking every
 * live placement on every quote. `release` frees a placement early (a termination).
 */
export class ListingUsage {
  private used = 0;
  private readonly heap: Holding[] = [];

  /** Records a placement; one that never ends by itself has `endsAt: Infinity` and stays until released. */
  hold(endsAt: number, gpus: number): Holding {
    const holding: Holding = { endsAt, gpus, released: false };
    this.used += gpus;
    if (Number.isFinite(endsAt)) this.push(holding);
    return holding;
  }

  release(holding: Holding): void {
    if (holding.released) return;
    holding.released = true;
    this.used -= holding.gpus;
  }

  /** GPUs held at `now`; time only moves forward. */
  inUse(now: number): number {
    while (this.heap.length > 0 && this.heap[0]!.endsAt <= now) this.release(this.pop());
    return this.used;
  }

  private push(holding: Holding): void {
    const heap = this.heap;
    heap.push(holding);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.endsAt <= holding.endsAt) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = holding;
  }

  private pop(): Holding {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.endsAt < heap[left]!.endsAt ? right : left;
      if (heap[child]!.endsAt >= last.endsAt) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
