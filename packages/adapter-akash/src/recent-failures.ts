/** Keys (Akash provider addresses) that failed recently, forgotten after `cooldownMs`. No timers. */
export class RecentFailures {
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly cooldownMs: number, private readonly now: () => number) {}

  add(key: string): void {
    this.failedAt.set(key, this.now());
  }

  /** The keys still inside their cooldown; prunes the rest. */
  current(): Set<string> {
    const now = this.now();
    for (const [key, at] of this.failedAt) if (now - at >= this.cooldownMs) this.failedAt.delete(key);
    return new Set(this.failedAt.keys());
  }
}
