import type { DeploymentStatus } from '@aurora/router';
import type { IonetWorker } from './ionet-api';

export type IonetStateInput = {
  status: string;
  finished_at?: string | null;
  total_containers?: number | null;
};

export type MappedIonetState = {
  status: DeploymentStatus;
  /** io.net's own status, unmapped. */
  provider_status: string;
  endpoint: string | null;
  message?: string;
};

/** `"Termination_Requested "` -> `"termination requested"`: the enum has spaces; be lenient with spelling. */
export function normalizeIonetStatus(status: string): string {
  return status.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');
}

const pendingStatuses = new Set(['deployment requested', 'unpaid']);
const terminatedStatuses = new Set(['destroyed', 'terminated']);
// Worker statuses are not enumerated by the spec; these are the ones that clearly mean "not serving".
const brokenWorkerStatuses = new Set(['failed', 'error', 'errored', 'crashed', 'exited', 'terminated', 'destroyed', 'stopped']);

/** `running`/`deploying` need their containers to be told apart; `failed` for the reason in their events. */
export function needsWorkers(status: string): boolean {
  const normalized = normalizeIonetStatus(status);
  return normalized === 'running' || normalized === 'deploying' || normalized === 'failed';
}

/** A worker serves traffic once it has a public URL and does not report a broken status. */
export function isWorkerReady(worker: IonetWorker): boolean {
  if (!worker.public_url) return false;
  return !worker.status || !brokenWorkerStatuses.has(normalizeIonetStatus(worker.status));
}

/**
 * io.net deployment + containers -> Aurora lifecycle:
 * `deployment requested`/`unpaid` -> pending; `deploying`, or `running` with fewer ready containers
 * than `total_containers` -> provisioning; `running` with every container ready -> running;
 * `failed` -> failed; `termination requested` -> terminating; `destroyed`/`terminated` ->
 * terminated; `completed` (the prepaid time ran out) -> terminated with the reason "expired".
 */
export function mapIonetState(deployment: IonetStateInput, workers: readonly IonetWorker[] = []): MappedIonetState {
  const raw = deployment.status;
  const status = normalizeIonetStatus(raw);
  const base = { provider_status: raw, endpoint: null };
  if (pendingStatuses.has(status)) return status === 'unpaid' ? { ...base, status: 'pending', message: 'waiting for payment' } : { ...base, status: 'pending' };
  if (status === 'failed') return { ...base, status: 'failed', message: lastEvent(workers) ?? 'io.net reports the deployment failed' };
  if (status === 'termination requested') return { ...base, status: 'terminating' };
  if (terminatedStatuses.has(status)) return { ...base, status: 'terminated' };
  if (status === 'completed') return { ...base, status: 'terminated', message: 'expired: the prepaid duration ran out' };
  if (status === 'deploying') return withMessage({ ...base, status: 'provisioning' }, lastEvent(workers));
  if (status === 'running') {
    const ready = workers.filter(isWorkerReady);
    const expected = Math.max(1, deployment.total_containers ?? workers.length);
    if (ready.length >= expected) return { ...base, status: 'running', endpoint: ready[0]!.public_url ?? null };
    const progress = `${ready.length}/${expected} containers ready`;
    const event = lastEvent(workers);
    return { ...base, status: 'provisioning', message: event ? `${progress}; ${event}` : progress };
  }
  // An io.net status we have not seen: finished is finished; anything else is still on its way.
  if (deployment.finished_at) return { ...base, status: 'terminated', message: `unrecognised io.net status "${raw}" with finished_at set` };
  return { ...base, status: 'provisioning', message: `unrecognised io.net status "${raw}"` };
}

function withMessage(state: MappedIonetState, message: string | undefined): MappedIonetState {
  return message === undefined ? state : { ...state, message };
}

/** The newest container event across workers ("Pulling image ..."), for progress messages. */
function lastEvent(workers: readonly IonetWorker[]): string | undefined {
  let newest: { time: string; message: string } | undefined;
  for (const worker of workers) {
    for (const event of worker.container_events ?? []) {
      const time = event.time ?? '';
      if (!newest || time >= newest.time) newest = { time, message: event.message };
    }
  }
  return newest?.message;
}
