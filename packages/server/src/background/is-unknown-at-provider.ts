import { AdapterCallError, NotFoundError } from '@aurora/router';

/** The provider says it has no such deployment (HTTP 404 or an adapter's `not_found`). */
export function isUnknownAtProvider(error: unknown): boolean {
  if (NotFoundError.isInstance(error)) return true;
  return AdapterCallError.isInstance(error) && (error.statusCode === 404 || error.reason === 'not_found');
}
