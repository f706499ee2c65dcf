/**
 * A map that keeps the newest `capacity` keys: adding one more forgets the oldest. The order of
 * keys is a ring of its own, so forgetting costs O(1) (taking the first key of a Map whose front
 * was deleted walks the holes the deletions left, until the Map rehashes). Setting a key again
 * replaces its value and keeps its place.
 */
export class RecentEntries<K, V> {
  private readonly map = new Map<K, V>();
  private readonly ring: Array<K | undefined>;
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<K | undefined>(capacity);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (!this.map.has(key)) {
      const oldest = this.ring[this.next];
      if (oldest !== undefined && this.map.size >= this.capacity) this.map.delete(oldest);
      this.ring[this.next] = key;
      this.next = (this.next + 1) % this.capacity;
    }
    this.map.set(key, value);
  }
}
