import type { ScoredCandidate } from '../../schemas/decision';
import type { Weights } from '../../schemas/weights';
import { rewardScalesFromRanges, type RewardOfferValues, type RewardScales } from './compute-reward';
import { denseFeatureCount, featuresPerCandidate, hashedFeatureCount, type EncoderContext, type FeatureBatch } from './feature-encoder';

/** Besides the pick, the rule's top candidates are kept: failover goes down that list. */
export const keptRuleCandidates = 8;
const keptPerDecision = keptRuleCandidates + 1;
const offerValueCount = 3;
const rangeCount = 9;
const initialCapacity = 256;

/** Where a kept candidate of a pending decision lives. */
export type PendingCandidate = { slot: number; position: number };

/**
 * Decisions awaiting their outcome, in a ring of at most `limit` slots (the oldest is forgotten
 * first). Each slot keeps, in preallocated typed arrays, what learning from the outcome needs: the
 * features and advertised values of the pick and of the rule's top 8 candidates, the candidate
 * set's reward ranges, the request context. Nothing is allocated per decision except the map
 * entry, and a pending decision costs about 1.5 KB instead of holding its candidate objects.
 */
export class PendingDecisions {
  private readonly limit: number;
  private capacity = 0;
  private next = 0;
  private readonly slotOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private requests: EncoderContext['request'][] = [];
  private weights: Weights[] = [];
  private now = new Float64Array(0);
  private kept = new Uint8Array(0);
  private ranges = new Float64Array(0);
  private counts = new Uint32Array(0);
  private offerIds: string[] = [];
  private providers: string[] = [];
  private offerValues = new Float64Array(0);
  private dense = new Float64Array(0);
  private slots = new Int32Array(0);
  /** Kept position whose outcome was learned, or -1; its reward and time, for a later correction. */
  private appliedPosition = new Int8Array(0);
  private appliedReward = new Float64Array(0);
  private appliedTime = new Float64Array(0);

  constructor(limit: number) {
    this.limit = limit;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Remembers decision `context.decision_id`, whose candidates were encoded into `batch`. */
  add(context: EncoderContext & { decision_id: string; weights: Weights }, candidates: readonly ScoredCandidate[], index: number, batch: FeatureBatch): void {
    const slot = this.claimSlot(context.decision_id);
    const count = candidates.length;
    const kept = Math.min(count, keptRuleCandidates + (index >= keptRuleCandidates ? 1 : 0));
    this.requests[slot] = context.request;
    this.weights[slot] = context.weights;
    this.now[slot] = context.now;
    this.kept[slot] = kept;
    this.counts[slot] = count;
    for (let index = 0; index < rangeCount; index++) this.ranges[slot * rangeCount + index] = batch.ranges[index]!;
    this.appliedPosition[slot] = -1;
    const base = slot * keptPerDecision;
    for (let position = 0; position < kept; position++) {
      // The pick first, then the rule's best candidates in rank order.
      const row = position === 0 ? index : position <= index ? position - 1 : position;
      const offer = candidates[row]!.offer;
      const at = base + position;
      this.offerIds[at] = offer.offer_id;
      this.providers[at] = offer.provider;
      this.offerValues[at * offerValueCount] = offer.price_usd_per_hour / offer.gpu_count;
      this.offerValues[at * offerValueCount + 1] = offer.estimated_latency_ms;
      this.offerValues[at * offerValueCount + 2] = offer.reputation;
      for (let feature = 0; feature < denseFeatureCount; feature++) this.dense[at * denseFeatureCount + feature] = batch.dense[row * denseFeatureCount + feature]!;
      for (let feature = 0; feature < hashedFeatureCount; feature++) this.slots[at * hashedFeatureCount + feature] = batch.slots[row * hashedFeatureCount + feature]!;
    }
  }

  /** The kept candidate of `decisionId` with this offer, if the decision and the offer were kept. */
  find(decisionId: string, provider: string, offerId: string): PendingCandidate | undefined {
    const slot = this.slotOf.get(decisionId);
    if (slot === undefined) return undefined;
    const base = slot * keptPerDecision;
    for (let position = 0; position < this.kept[slot]!; position++) {
      if (this.offerIds[base + position] === offerId && this.providers[base + position] === provider) return { slot, position };
    }
    return undefined;
  }

  context(slot: number): EncoderContext & { weights: Weights } {
    return { request: this.requests[slot]!, now: this.now[slot]!, weights: this.weights[slot]! };
  }

  scales(slot: number): RewardScales {
    return rewardScalesFromRanges(this.ranges, this.counts[slot]!, slot * rangeCount);
  }

  offerValuesOf({ slot, position }: PendingCandidate): RewardOfferValues {
    const at = (slot * keptPerDecision + position) * offerValueCount;
    return { pricePerGpuHour: this.offerValues[at]!, latencyMs: this.offerValues[at + 1]!, reputation: this.offerValues[at + 2]! };
  }

  /** Writes the candidate's sparse feature vector into `indices`/`values`; returns its length. */
  features({ slot, position }: PendingCandidate, indices: Int32Array, values: Float64Array): number {
    const at = slot * keptPerDecision + position;
    for (let feature = 0; feature < denseFeatureCount; feature++) {
      indices[feature] = feature;
      values[feature] = this.dense[at * denseFeatureCount + feature]!;
    }
    for (let feature = 0; feature < hashedFeatureCount; feature++) {
      indices[denseFeatureCount + feature] = this.slots[at * hashedFeatureCount + feature]!;
      values[denseFeatureCount + feature] = 1;
    }
    return featuresPerCandidate;
  }

  /** The outcome already learned for this candidate, if any. */
  applied({ slot, position }: PendingCandidate): { reward: number; timeMs: number } | undefined {
    if (this.appliedPosition[slot] !== position) return undefined;
    return { reward: this.appliedReward[slot]!, timeMs: this.appliedTime[slot]! };
  }

  markApplied({ slot, position }: PendingCandidate, reward: number, timeMs: number): void {
    this.appliedPosition[slot] = position;
    this.appliedReward[slot] = reward;
    this.appliedTime[slot] = timeMs;
  }

  /** A fresh slot; a repeated decision id simply moves to it (the old slot is then never found). */
  private claimSlot(decisionId: string): number {
    if (this.next === this.capacity) {
      if (this.capacity < this.limit) this.grow(Math.min(this.limit, Math.max(initialCapacity, 2 * this.capacity)));
      else this.next = 0;
    }
    const slot = this.next++;
    const evicted = this.ids[slot];
    if (evicted !== undefined && this.slotOf.get(evicted) === slot) this.slotOf.delete(evicted);
    this.ids[slot] = decisionId;
    this.slotOf.set(decisionId, slot);
    return slot;
  }

  private grow(capacity: number): void {
    const grown = <T extends Float64Array | Int32Array | Uint8Array | Uint32Array | Int8Array>(array: T, perSlot: number, make: (length: number) => T): T => {
      const next = make(capacity * perSlot);
      next.set(array);
      return next;
    };
    this.now = grown(this.now, 1, (length) => new Float64Array(length));
    this.kept = grown(this.kept, 1, (length) => new Uint8Array(length));
    this.counts = grown(this.counts, 1, (length) => new Uint32Array(length));
    this.ranges = grown(this.ranges, rangeCount, (length) => new Float64Array(length));
    this.offerValues = grown(this.offerValues, keptPerDecision * offerValueCount, (length) => new Float64Array(length));
    this.dense = grown(this.dense, keptPerDecision * denseFeatureCount, (length) => new Float64Array(length));
    this.slots = grown(this.slots, keptPerDecision * hashedFeatureCount, (length) => new Int32Array(length));
    this.appliedPosition = grown(this.appliedPosition, 1, (length) => new Int8Array(length));
    this.appliedReward = grown(this.appliedReward, 1, (length) => new Float64Array(length));
    this.appliedTime = grown(this.appliedTime, 1, (length) => new Float64Array(length));
    this.capacity = capacity;
  }
}
