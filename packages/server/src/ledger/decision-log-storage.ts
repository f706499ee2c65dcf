import { createHash } from 'node:crypto';
import { decodeStoredDecisionLogRecord, type DecisionLogRecord, type Offer, type ScoredCandidate } from '@aurora/router';
import { hasMinMaxScoresV1, minMaxScoresV1 } from './min-max-scores-v1';

/** The storage tag of a log record whose offers live in `decision_offers`, referred to by key. */
export const offerReferencesEncoding = 'offer-refs-v1';

/** How the candidates' scores are stored: left out and recomputed (`minMaxScoresV1`), or as columns. */
const derivedScores = 'min-max-v1';

/** One offer as the decision log stores it: its text, and the key that is a hash of that text. */
export type StoredOffer = { key: string; json: string };

export type EncodedDecisionLog = {
  /** The record's storage text (JSON). */
  text: string;
  /**
   * Offers it refers to that this process has not written within the refresh interval: insert
   * them with it (or, when stored already, bring their `last_seen_at` up to `seenAt`).
   */
  newOffers: StoredOffer[];
  /** When the record was encoded (epoch ms): the `last_seen_at` of `newOffers`. */
  seenAt: number;
};

export type DecisionLogStorageOptions = {
  /**
   * An offer this process wrote longer ago than this is written again when a record refers to it,
   * which moves its `last_seen_at` on. So every record referring to an offer was written at most
   * this long after the offer's `last_seen_at`: what retention relies on (`offerRetentionCutoff`).
   */
  offerRefreshMs?: number;
  now?: () => number;
};

/** The default `offerRefreshMs`: one hour. */
export const defaultOfferRefreshMs = 3_600_000;

/** Clocks of replicas may disagree by this much; retention keeps offers this much longer. */
const clockSkewAllowanceMs = 3_600_000;

/**
 * The `last_seen_at` before which an offer can be deleted once the decisions created before
 * `decisionCutoff` are: no record kept, nor one still to be written, refers to such an offer.
 */
export function offerRetentionCutoff(decisionCutoff: Date, offerRefreshMs = defaultOfferRefreshMs): Date {
  return new Date(decisionCutoff.getTime() - offerRefreshMs - clockSkewAllowanceMs);
}

type ScoreColumns = {
  score: number[];
  normalized: Record<keyof ScoredCandidate['normalized'], number[]>;
  contributions: Record<keyof ScoredCandidate['contributions'], number[]>;
};

/** `[value, repeat]` pairs: an epsilon-greedy distribution over 80 candidates is two or three runs. */
type ProbabilityRuns = Array<[number, number]>;

type StoredRecord = Omit<DecisionLogRecord, 'candidates'> & {
  candidates_encoding: typeof offerReferencesEncoding;
  offer_keys: string[];
  /** `probabilities` as runs, when that is shorter (the record then has no `probabilities`). */
  probability_runs?: ProbabilityRuns;
  /** Absent when the ranks are 1..n in order. */
  ranks?: number[];
  scores: typeof derivedScores | ScoreColumns;
};

/** Offer keys remembered as committed; beyond this the oldest are forgotten (and written again, harmlessly). */
const rememberedOfferKeys = 200_000;

/**
 * Decision log records as the ledger stores them. Consecutive decisions mostly see the same
 * offers (the router quotes from a cache), so each offer is stored once, in `decision_offers`
 * under a hash of its text, and a record keeps only the keys, the ranks when unusual, and the
 * scores when `minMaxScoresV1` does not reproduce them exactly. That makes a record of 80
 * candidates about 2 KB instead of 24 KB, and cheap to write.
 *
 * An offer's key is computed once per offer object; candidates quoted from the router's cache
 * share their offer objects, so most records hash nothing.
 */
export class DecisionLogStorage {
  private readonly offers = new WeakMap<Offer, StoredOffer>();
  /** Offer key -> when this process's committed write of it was encoded (epoch ms). */
  private readonly committed = new Map<string, number>();
  private readonly offerRefreshMs: number;
  private readonly now: () => number;

  constructor({ offerRefreshMs = defaultOfferRefreshMs, now = Date.now }: DecisionLogStorageOptions = {}) {
    this.offerRefreshMs = offerRefreshMs;
    this.now = now;
  }

  encode(record: DecisionLogRecord): EncodedDecisionLog {
    const seenAt = this.now();
    const staleBefore = seenAt - this.offerRefreshMs;
    const { candidates, ...rest } = record;
    const keys: string[] = new Array(candidates.length);
    const newOffers: StoredOffer[] = [];
    let ranksInOrder = true;
    for (let index = 0; index < candidates.length; index++) {
      const candidate = candidates[index]!;
      const stored = this.storedOffer(candidate.offer);
      keys[index] = stored.key;
      const writtenAt = this.committed.get(stored.key);
      if (writtenAt === undefined || writtenAt < staleBefore) newOffers.push(stored);
      if (candidate.rank !== index + 1) ranksInOrder = false;
    }
    const runs = record.probabilities ? runsOf(record.probabilities) : undefined;
    const encoded: StoredRecord = {
      ...((runs ? renameKey(rest, 'probabilities', 'probability_runs', runs) : rest) as Omit<DecisionLogRecord, 'candidates'>),
      candidates_encoding: offerReferencesEncoding,
      offer_keys: keys,
      ...(ranksInOrder ? {} : { ranks: candidates.map((candidate) => candidate.rank) }),
      scores: hasMinMaxScoresV1(candidates, record.context.weights) ? derivedScores : scoreColumns(candidates),
    };
    return { text: JSON.stringify(encoded), newOffers: dedupe(newOffers), seenAt };
  }

  /** Call once the write that inserted `encoded.newOffers` has committed. */
  markCommitted({ newOffers, seenAt }: Pick<EncodedDecisionLog, 'newOffers' | 'seenAt'>): void {
    for (const { key } of newOffers) {
      // Re-inserted so the map's order stays the order of writes: the oldest is forgotten first.
      if (!this.committed.delete(key) && this.committed.size >= rememberedOfferKeys) this.committed.delete(this.committed.keys().next().value!);
      this.committed.set(key, seenAt);
    }
  }

  private storedOffer(offer: Offer): StoredOffer {
    let stored = this.offers.get(offer);
    if (!stored) {
      // The log never keeps provider metadata (it may name accounts or hosts).
      const json = JSON.stringify({ ...offer, provider_metadata: {} });
      stored = { key: createHash('sha256').update(json).digest('base64url').slice(0, 16), json };
      this.offers.set(offer, stored);
    }
    return stored;
  }
}

/** The offer keys a stored log refers to (none for the other encodings). */
export function referencedOfferKeys(stored: unknown): readonly string[] {
  return isOfferReferenced(stored) && Array.isArray(stored.offer_keys) ? stored.offer_keys : [];
}

/**
 * A stored log record (parsed JSON) in the documented `DecisionLogRecord` shape. `offers` maps the
 * keys of the record to their stored offers (parsed); records stored in the older encodings are
 * decoded by the core. A missing offer leaves the record without candidates, which the schema rejects.
 */
export function decodeDecisionLog(stored: unknown, offers: ReadonlyMap<string, Offer>): DecisionLogRecord {
  if (!isOfferReferenced(stored)) return decodeStoredDecisionLogRecord(stored);
  const { candidates_encoding: _encoding, offer_keys: keys, ranks, scores, ...stripped } = stored;
  const runs = stripped.probability_runs;
  const rest = (runs ? renameKey(stripped, 'probability_runs', 'probabilities', expandRuns(runs)) : stripped) as Omit<DecisionLogRecord, 'candidates'>;
  const candidateOffers: Offer[] = [];
  for (const key of keys) {
    const offer = offers.get(key);
    if (!offer) return rest as unknown as DecisionLogRecord;
    candidateOffers.push({ ...offer, provider_metadata: {} });
  }
  const scored = scores === derivedScores ? minMaxScoresV1(candidateOffers, rest.context.weights) : scoresFromColumns(scores);
  const candidates: ScoredCandidate[] = candidateOffers.map((offer, index) => ({
    offer,
    rank: ranks ? ranks[index]! : index + 1,
    score: scored[index]!.score,
    normalized: scored[index]!.normalized,
    contributions: scored[index]!.contributions,
  }));
  // The candidates go back in their place after the context, so the record serialises as it was written.
  const { record_version, decision_id, logged_at, context, ...after } = rest;
  return { record_version, decision_id, logged_at, context, candidates, ...after } as DecisionLogRecord;
}

/** The runs of equal values, or undefined when they would not be much shorter than the list. */
function runsOf(values: readonly number[]): ProbabilityRuns | undefined {
  const runs: ProbabilityRuns = [];
  for (const value of values) {
    const last = runs[runs.length - 1];
    if (last && last[0] === value) last[1] += 1;
    else if (runs.push([value, 1]) * 4 > values.length) return undefined;
  }
  return runs;
}

/** `value` with `from` replaced by `to` (set to `replacement`) in the same place, so the key order stays. */
function renameKey(value: object, from: string, to: string, replacement: unknown): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) renamed[key === from ? to : key] = key === from ? replacement : entry;
  return renamed;
}

function expandRuns(runs: ProbabilityRuns): number[] {
  return runs.flatMap(([value, repeat]) => new Array<number>(repeat).fill(value));
}

function isOfferReferenced(stored: unknown): stored is StoredRecord {
  return stored !== null && typeof stored === 'object' && (stored as { candidates_encoding?: unknown }).candidates_encoding === offerReferencesEncoding;
}

function dedupe(offers: StoredOffer[]): StoredOffer[] {
  if (offers.length < 2) return offers;
  const seen = new Set<string>();
  return offers.filter(({ key }) => !seen.has(key) && seen.add(key));
}

function scoreColumns(candidates: readonly ScoredCandidate[]): ScoreColumns {
  const column = (read: (candidate: ScoredCandidate) => number) => candidates.map(read);
  const criteria = (pick: (candidate: ScoredCandidate) => ScoredCandidate['normalized']) => ({
    price: column((candidate) => pick(candidate).price),
    latency: column((candidate) => pick(candidate).latency),
    reputation: column((candidate) => pick(candidate).reputation),
    availability: column((candidate) => pick(candidate).availability),
  });
  return {
    score: column((candidate) => candidate.score),
    normalized: criteria((candidate) => candidate.normalized),
    contributions: criteria((candidate) => candidate.contributions),
  };
}

function scoresFromColumns(columns: ScoreColumns): Pick<ScoredCandidate, 'score' | 'normalized' | 'contributions'>[] {
  const criteria = (values: ScoreColumns['normalized'], index: number) => ({
    price: values.price[index]!,
    latency: values.latency[index]!,
    reputation: values.reputation[index]!,
    availability: values.availability[index]!,
  });
  return columns.score.map((score, index) => ({
    score,
    normalized: criteria(columns.normalized, index),
    contributions: criteria(columns.contributions, index),
  }));
}
