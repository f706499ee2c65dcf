import type { Decision, DecisionLogRecord, Outcome, RoutingRequest } from '@aurora/router';
import type { AppliedMigration, DecisionRecord, IdempotencyClaim, Page, PolicyState } from './deployment-store';
import { encodePageCursor, type PagePosition } from './page-cursor';

/** Rows as either driver returns them. JSON columns are text in SQLite and parsed `jsonb` in PostgreSQL. */
export type Row = Record<string, unknown>;
export type DecodeJson = (value: unknown) => unknown;

export const decodeJsonText: DecodeJson = (value) => (typeof value === 'string' ? JSON.parse(value) : value);
export const decodeParsedJson: DecodeJson = (value) => value;

/** The answer to a claim that lost to an earlier one. */
export function toExistingClaim(row: Row, decodeJson: DecodeJson): IdempotencyClaim {
  const requestHash = row.request_hash as string;
  if (row.state !== 'completed') return { outcome: 'in_progress', request_hash: requestHash };
  return {
    outcome: 'completed',
    request_hash: requestHash,
    response_status: Number(row.response_status),
    response_body: row.response_body == null ? null : decodeJson(row.response_body),
  };
}

/** `log`: the row's log record, already decoded (it needs the offers it refers to). */
export function toDecisionRecord(row: Row, decodeJson: DecodeJson, log: DecisionLogRecord | undefined): DecisionRecord {
  return {
    decision: decodeJson(row.decision) as Decision,
    request: decodeJson(row.request) as RoutingRequest,
    tenant: (row.tenant as string | null) ?? null,
    outcome: row.outcome == null ? null : (decodeJson(row.outcome) as Outcome),
    ...(log === undefined ? {} : { log }),
  };
}

export function toPolicyState(row: Row): PolicyState {
  return {
    policy_id: row.policy_id as string,
    state_json: row.state_json as string,
    version: Number(row.version),
    updated_at: row.updated_at as string,
  };
}

export function toAppliedMigration(row: Row): AppliedMigration {
  return { version: Number(row.version), name: row.name as string, applied_at: row.applied_at as string };
}

/** Rows fetched with `limit + 1`: the extra row only says that a next page exists. */
export function toPage<T>(rows: readonly Row[], limit: number, map: (row: Row) => T, positionOf: (row: Row) => PagePosition): Page<T> {
  const pageRows = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    next_cursor: rows.length > limit && last !== undefined ? encodePageCursor(positionOf(last)) : null,
  };
}
