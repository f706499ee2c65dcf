/**
 * A queue looked at a few items at a time: `check` takes items from the front, drops those its
 * callback is done with and puts the others at the back. An array with a moving head, compacted
 * once the dead front is larger than the live part, so every operation is O(1) amortised (a Map
 * used this way would walk the holes its deletions leave at the front).
 */
export class CheckQueue<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Looks at up to `count` items from the front; `done(item)` true drops it, false sends it to the back. */
  check(count: number, done: (item: T) => boolean): void {
    const limit = Math.min(count, this.size);
    for (let index = 0; index < limit; index++) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined as T;
      this.head += 1;
      if (!done(item)) this.items.push(item);
    }
    if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
