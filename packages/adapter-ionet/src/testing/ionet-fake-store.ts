import { randomUUID } from 'node:crypto';
import { priceBreakdown, type IonetFakeCatalog, type IonetFakeHardware, type IonetFakeLocation } from './ionet-fake-catalog';

/** How long each phase of a fake deployment takes, in ms of the fake's clock. */
export type IonetFakeTiming = {
  /** `deployment requested` -> `running` (containers appear). Default 1500. */
  provisioningMs?: number;
  /** Containers get their `public_url` this long after `running`. Default 1000. */
  workerReadyMs?: number;
  /** Each container writes a log line this often once ready. Default 500. */
  logIntervalMs?: number;
  /** Log lines each container writes by itself. Default 8. */
  logLinesPerContainer?: number;
  /** `termination requested` -> `destroyed`. Default 1000. */
  terminationMs?: number;
  /** How long one prepaid hour lasts; a deployment is `completed` after `duration_hours` of them. Default 3600000. */
  hourMs?: number;
  /** A following log stream looks for new lines this often (real time). Default 100. */
  logPollMs?: number;
  /** SSE comment pings on idle following streams, like sse-starlette's. Default 15000; 0 disables. */
  logPingMs?: number;
  /** Delay before every answer (real time). Default 0. */
  responseDelayMs?: number;
};

export const defaultIonetFakeTiming: Required<IonetFakeTiming> = {
  provisioningMs: 1_500,
  workerReadyMs: 1_000,
  logIntervalMs: 500,
  logLinesPerContainer: 8,
  terminationMs: 1_000,
  hourMs: 3_600_000,
  logPollMs: 100,
  logPingMs: 15_000,
  responseDelayMs: 0,
};

export type IonetFakeLogEntry = { stream: 'stdout' | 'stderr'; message: string; at: number };

/** A deployment as the fake keeps it. Status, containers and logs derive from the clock. */
export type IonetFakeDeployment = {
  id: string;
  name: string;
  createdAt: number;
  hardware: IonetFakeHardware;
  location: IonetFakeLocation;
  gpusPerContainer: number;
  replicaCount: number;
  durationHours: number;
  amountPaid: number;
  /** The deploy body's `container_config` and `registry_config`, as received. */
  containerConfig: Record<string, unknown>;
  registryConfig: Record<string, unknown>;
  /** Ends `failed` instead of `running` (the `deployment-fails` fault). */
  fails: boolean;
  terminationRequestedAt?: number;
  /** Set by `state.forceStatus`: wins over the scripted progression. */
  forcedStatus?: string;
  containerIds: string[];
  extraLogs: Map<string, IonetFakeLogEntry[]>;
};

export type IonetFakeRequest = {
  method: string;
  /** Path under the API base, e.g. `/price`. */
  path: string;
  query: Record<string, string | string[]>;
  /** Whether `x-api-key` was sent (never its value). */
  apiKeySent: boolean;
  body?: unknown;
  status?: number;
};

const liveStatuses = new Set(['deployment requested', 'running', 'termination requested']);

/** Deployments and request log of one fake server, read against an injectable clock. */
export class IonetFakeStore {
  readonly deployments = new Map<string, IonetFakeDeployment>();
  readonly requests: IonetFakeRequest[] = [];

  constructor(
    readonly catalog: IonetFakeCatalog,
    readonly timing: Required<IonetFakeTiming>,
    readonly clock: { now(): number },
  ) {}

  create(input: Omit<IonetFakeDeployment, 'id' | 'createdAt' | 'containerIds' | 'extraLogs' | 'amountPaid'>): IonetFakeDeployment {
    const id = randomUUID();
    const deployment: IonetFakeDeployment = {
      ...input,
      id,
      createdAt: this.clock.now(),
      amountPaid: this.price(input.hardware, input.gpusPerContainer, input.replicaCount, input.durationHours).total_cost_usdc,
      containerIds: Array.from({ length: input.replicaCount }, (_, index) => `${id.slice(0, 8)}-c${index + 1}`),
      extraLogs: new Map(),
    };
    this.deployments.set(id, deployment);
    return deployment;
  }

  price(hardware: IonetFakeHardware, gpusPerContainer: number, replicaCount: number, durationHours: number) {
    return priceBreakdown(this.catalog, hardware, gpusPerContainer, replicaCount, durationHours);
  }

  /** io.net's status string of a deployment now. */
  status(deployment: IonetFakeDeployment, now = this.clock.now()): string {
    if (deployment.forcedStatus) return deployment.forcedStatus;
    const { provisioningMs, terminationMs, hourMs } = this.timing;
    if (deployment.terminationRequestedAt !== undefined) {
      return now - deployment.terminationRequestedAt >= terminationMs ? 'destroyed' : 'termination requested';
    }
    const elapsed = now - deployment.createdAt;
    if (elapsed < provisioningMs) return 'deployment requested';
    if (deployment.fails) return 'failed';
    if (elapsed >= provisioningMs + deployment.durationHours * hourMs) return 'completed';
    return 'running';
  }

  isLive(deployment: IonetFakeDeployment): boolean {
    return liveStatuses.has(this.status(deployment));
  }

  runningAt(deployment: IonetFakeDeployment): number {
    return deployment.createdAt + this.timing.provisioningMs;
  }

  readyAt(deployment: IonetFakeDeployment): number {
    return this.runningAt(deployment) + this.timing.workerReadyMs;
  }

  finishedAt(deployment: IonetFakeDeployment): number | undefined {
    const status = this.status(deployment);
    if (status === 'destroyed') return deployment.terminationRequestedAt! + this.timing.terminationMs;
    if (status === 'failed') return this.runningAt(deployment);
    if (status === 'completed') return this.runningAt(deployment) + deployment.durationHours * this.timing.hourMs;
    return undefined;
  }

  /** Free GPUs of a hardware type in a location, after the fake's live deployments. */
  freeGpus(hardwareId: string, locationId: string): number {
    let free = this.catalog.freeGpus[hardwareId]?.[locationId] ?? 0;
    for (const deployment of this.deployments.values()) {
      if (String(deployment.hardware.hardware_id) === hardwareId && String(deployment.location.id) === locationId && this.isLive(deployment)) {
        free -= deployment.gpusPerContainer * deployment.replicaCount;
      }
    }
    return Math.max(0, free);
  }

  /** Lines a container has written by now: its scripted lines, then any appended ones. */
  logLines(deployment: IonetFakeDeployment, containerId: string, stream: 'stdout' | 'stderr', now = this.clock.now()): IonetFakeLogEntry[] {
    const lines: IonetFakeLogEntry[] = [];
    const status = this.status(deployment, now);
    if (stream === 'stdout' && !deployment.fails && status !== 'deployment requested') {
      const start = this.readyAt(deployment);
      const end = this.finishedAt(deployment) ?? Number.POSITIVE_INFINITY;
      for (let index = 0; index < this.timing.logLinesPerContainer; index++) {
        const at = start + index * this.timing.logIntervalMs;
        if (at > now || at > end) break;
        lines.push({ stream, at, message: `line ${index + 1} from ${containerId}` });
      }
    }
    for (const entry of deployment.extraLogs.get(containerId) ?? []) if (entry.stream === stream && entry.at <= now) lines.push(entry);
    return lines.sort((a, b) => a.at - b.at);
  }

  appendLog(deployment: IonetFakeDeployment, containerId: string, message: string, stream: 'stdout' | 'stderr'): void {
    const entries = deployment.extraLogs.get(containerId) ?? [];
    entries.push({ stream, message, at: this.clock.now() });
    deployment.extraLogs.set(containerId, entries);
  }
}
