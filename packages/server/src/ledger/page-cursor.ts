import { InvalidArgumentError } from '@aurora/router';

/** Where a page ended: the sort key of its last item. */
export type PagePosition = { created_at: string; id: string };

/** An opaque cursor (base64url JSON) for keyset paging by (created_at, id). */
export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.created_at, position.id]), 'utf8').toString('base64url');
}

export function decodePageCursor(cursor: string): PagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string') {
    throw invalidCursor();
  }
  return { created_at: decoded[0], id: decoded[1] };
}

function invalidCursor(cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ issues: [{ field: 'cursor', reason: 'is not a cursor this ledger returned' }], cause });
}
