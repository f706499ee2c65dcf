import type { HybridArm } from '@aurora/router';
import { BoundedMap } from './bounded-map';

/**
 * The rewards of the latest decisions of each A/B arm, one per decision: a later outcome of the
 * same decision (the final one, with the bill) replaces its earlier reward.
 */
export class ArmRewards {
  private readonly arms: Record<HybridArm, BoundedMap<string, number>>;

  constructor(capacity: number) {
    this.arms = { rules: new BoundedMap(capacity), ai: new BoundedMap(capacity) };
  }

  record(arm: HybridArm, decisionId: string, reward: number): void {
    this.arms[arm].set(decisionId, reward);
  }

  rewards(arm: HybridArm): number[] {
    return [...this.arms[arm].values()];
  }

  /** Mean reward of the arm's latest decisions; undefined without any. */
  mean(arm: HybridArm): number | undefined {
    const values = this.arms[arm];
    if (values.size === 0) return undefined;
    let sum = 0;
    for (const value of values.values()) sum += value;
    return sum / values.size;
  }
}
