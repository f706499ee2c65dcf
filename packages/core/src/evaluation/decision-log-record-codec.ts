import type { ScoredCandidate } from '../schemas/decision';
import type { Offer } from '../schemas/offer';
import type { DecisionLogRecord } from './decision-log-record';

/** The storage tag of the columnar candidate encoding; records without it are stored as they are. */
export const compactCandidatesEncoding = 'columns-v1';

type CriterionColumns = { price: number[]; latency: number[]; reputation: number[]; availability: number[] };

/** The candidates as one array per field, in candidate order. */
type CandidateColumns = {
  provider: string[];
  offer_id: string[];
  gpu_type: Offer['gpu_type'][];
  /** null where the offer has no `gpu_memory_gb`. */
  gpu_memory_gb: (number | null)[];
  gpu_count: number[];
  region: Offer['region'][];
  price_usd_per_hour: number[];
  estimated_latency_ms: number[];
  reputation: number[];
  availability: number[];
  capacity: number[];
  interruptible: boolean[];
  quoted_at: string[];
  /** Absent when the ranks are 1..n in order (the scorer's ranking), which is the usual case. */
  rank?: number[];
  score: number[];
  normalized: CriterionColumns;
  contributions: CriterionColumns;
  /** Absent when every offer's metadata is empty (the log drops it). */
  provider_metadata?: Record<string, unknown>[];
};

type CompactRecord = Omit<DecisionLogRecord, 'candidates'> & { candidates_encoding: typeof compactCandidatesEncoding; candidate_columns: CandidateColumns };

/**
 * The storage text of a decision log record: the record's JSON with its candidates as columns (one
 * array per field) instead of one object per candidate, which is several times smaller and cheaper
 * to write. `decodeStoredDecisionLogRecord` gives the record back unchanged.
 */
export function encodeDecisionLogRecord(record: DecisionLogRecord): string {
  const { candidates, ...rest } = record;
  const compact: CompactRecord = { ...rest, candidates_encoding: compactCandidatesEncoding, candidate_columns: toColumns(candidates) };
  return JSON.stringify(compact);
}

/**
 * A stored decision log record (parsed JSON) in the documented `DecisionLogRecord` shape: the
 * columnar encoding is decoded, any other value (records stored before it) is returned as it is.
 */
export function decodeStoredDecisionLogRecord(value: unknown): DecisionLogRecord {
  if (value === null || typeof value !== 'object' || (value as { candidates_encoding?: unknown }).candidates_encoding !== compactCandidatesEncoding) {
    return value as DecisionLogRecord;
  }
  const { candidates_encoding: _encoding, candidate_columns: columns, ...rest } = value as CompactRecord;
  // Malformed columns are left for the schema to reject (the record then has no candidates).
  if (!isWellFormed(columns)) return rest as unknown as DecisionLogRecord;
  // The candidates go back in their place after the context, so the record serialises as it was written.
  const { record_version, decision_id, logged_at, context, ...after } = rest;
  return { record_version, decision_id, logged_at, context, candidates: fromColumns(columns), ...after } as DecisionLogRecord;
}

function criterionColumns(count: number): CriterionColumns {
  return { price: new Array(count), latency: new Array(count), reputation: new Array(count), availability: new Array(count) };
}

function toColumns(candidates: readonly ScoredCandidate[]): CandidateColumns {
  const count = candidates.length;
  const columns: CandidateColumns = {
    provider: new Array(count),
    offer_id: new Array(count),
    gpu_type: new Array(count),
    gpu_memory_gb: new Array(count),
    gpu_count: new Array(count),
    region: new Array(count),
    price_usd_per_hour: new Array(count),
    estimated_latency_ms: new Array(count),
    reputation: new Array(count),
    availability: new Array(count),
    capacity: new Array(count),
    interruptible: new Array(count),
    quoted_at: new Array(count),
    score: new Array(count),
    normalized: criterionColumns(count),
    contributions: criterionColumns(count),
  };
  const ranks: number[] = new Array(count);
  const metadata: Record<string, unknown>[] = new Array(count);
  let ranksInOrder = true;
  let anyMetadata = false;
  for (let index = 0; index < count; index++) {
    const { offer, rank, score, normalized, contributions } = candidates[index]!;
    columns.provider[index] = offer.provider;
    columns.offer_id[index] = offer.offer_id;
    columns.gpu_type[index] = offer.gpu_type;
    columns.gpu_memory_gb[index] = offer.gpu_memory_gb ?? null;
    columns.gpu_count[index] = offer.gpu_count;
    columns.region[index] = offer.region;
    columns.price_usd_per_hour[index] = offer.price_usd_per_hour;
    columns.estimated_latency_ms[index] = offer.estimated_latency_ms;
    columns.reputation[index] = offer.reputation;
    columns.availability[index] = offer.availability;
    columns.capacity[index] = offer.capacity;
    columns.interruptible[index] = offer.interruptible;
    columns.quoted_at[index] = offer.quoted_at;
    columns.score[index] = score;
    setCriteria(columns.normalized, index, normalized);
    setCriteria(columns.contributions, index, contributions);
    ranks[index] = rank;
    if (rank !== index + 1) ranksInOrder = false;
    metadata[index] = offer.provider_metadata;
    if (offer.provider_metadata && Object.keys(offer.provider_metadata).length > 0) anyMetadata = true;
  }
  if (!ranksInOrder) columns.rank = ranks;
  if (anyMetadata) columns.provider_metadata = metadata;
  return columns;
}

function setCriteria(columns: CriterionColumns, index: number, values: ScoredCandidate['normalized']): void {
  columns.price[index] = values.price;
  columns.latency[index] = values.latency;
  columns.reputation[index] = values.reputation;
  columns.availability[index] = values.availability;
}

function criteriaAt(columns: CriterionColumns, index: number): ScoredCandidate['normalized'] {
  return { price: columns.price[index]!, latency: columns.latency[index]!, reputation: columns.reputation[index]!, availability: columns.availability[index]! };
}

function fromColumns(columns: CandidateColumns): ScoredCandidate[] {
  const count = columns.offer_id.length;
  const candidates: ScoredCandidate[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const memory = columns.gpu_memory_gb[index];
    // Keys in the schema's order, so the decoded record serialises exactly as the original did.
    const offer: Offer = {
      provider: columns.provider[index]!,
      offer_id: columns.offer_id[index]!,
      gpu_type: columns.gpu_type[index]!,
      ...(memory !== null && memory !== undefined ? { gpu_memory_gb: memory } : {}),
      gpu_count: columns.gpu_count[index]!,
      region: columns.region[index]!,
      price_usd_per_hour: columns.price_usd_per_hour[index]!,
      estimated_latency_ms: columns.estimated_latency_ms[index]!,
      reputation: columns.reputation[index]!,
      availability: columns.availability[index]!,
      capacity: columns.capacity[index]!,
      interruptible: columns.interruptible[index]!,
      quoted_at: columns.quoted_at[index]!,
      provider_metadata: columns.provider_metadata?.[index] ?? {},
    };
    candidates[index] = {
      offer,
      rank: columns.rank ? columns.rank[index]! : index + 1,
      score: columns.score[index]!,
      normalized: criteriaAt(columns.normalized, index),
      contributions: criteriaAt(columns.contributions, index),
    };
  }
  return candidates;
}

const columnNames = [
  'provider', 'offer_id', 'gpu_type', 'gpu_memory_gb', 'gpu_count', 'region', 'price_usd_per_hour',
  'estimated_latency_ms', 'reputation', 'availability', 'capacity', 'interruptible', 'quoted_at', 'score',
] as const;

function isWellFormed(columns: unknown): columns is CandidateColumns {
  if (columns === null || typeof columns !== 'object') return false;
  const value = columns as Record<string, unknown>;
  const count = Array.isArray(value.offer_id) ? value.offer_id.length : -1;
  const hasLength = (column: unknown) => Array.isArray(column) && column.length === count;
  const criteriaWellFormed = (criteria: unknown) =>
    criteria !== null && typeof criteria === 'object' && ['price', 'latency', 'reputation', 'availability'].every((name) => hasLength((criteria as Record<string, unknown>)[name]));
  return (
    columnNames.every((name) => hasLength(value[name])) &&
    criteriaWellFormed(value.normalized) &&
    criteriaWellFormed(value.contributions) &&
    (value.rank === undefined || hasLength(value.rank)) &&
    (value.provider_metadata === undefined || hasLength(value.provider_metadata))
  );
}
