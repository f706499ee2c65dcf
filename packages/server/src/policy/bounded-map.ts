/**
 * A Map that keeps at most `capacity` entries: setting a new key past the limit forgets the oldest
 * one (insertion order; setting an existing key again makes it the newest).
 */
export class BoundedMap<Key, Value> extends Map<Key, Value> {
  readonly capacity: number;

  constructor(capacity: number) {
    super();
    this.capacity = capacity;
  }

  override set(key: Key, value: Value): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.capacity) super.delete(this.keys().next().value as Key);
    return this;
  }
}
