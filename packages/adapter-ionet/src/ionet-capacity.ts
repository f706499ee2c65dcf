/**
 * True when `/price`'s `available_replica_count` (one count per requested location, or a bare
 * number) says no location can take `replicaCount` more replicas. Unknown counts are not "none".
 */
export function noReplicasLeft(available: readonly number[] | number | null | undefined, replicaCount: number): boolean {
  if (available === null || available === undefined) return false;
  const counts = typeof available === 'number' ? [available] : available;
  return counts.length > 0 && counts.every((count) => count < replicaCount);
}
