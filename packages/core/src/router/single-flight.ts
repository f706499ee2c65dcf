/**
 * Shares one running promise per key: a second caller with the same key gets the first caller's
 * promise until it settles. Keys are forgotten once settled.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const promise = work().finally(() => {
      if (this.running.get(key) === promise) this.running.delete(key);
    });
    this.running.set(key, promise);
    return promise;
  }

  get(key: string): Promise<T> | undefined {
    return this.running.get(key);
  }
}
