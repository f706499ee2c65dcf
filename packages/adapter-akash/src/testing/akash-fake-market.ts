import type { AkashFakeFaults } from './akash-fake-faults';
import type { AkashFakeProvider } from './akash-fake-fixtures';
import { summarizeFakeSdl, type FakeSdlSummary } from './akash-fake-sdl';

/**
 * When the scripted progressions happen. A stage is reached once BOTH its poll count has been
 * exceeded and its delay has passed: polls make tests deterministic, delays make a standalone
 * fake feel like the real network.
 */
export type AkashFakeTiming = {
  /** Bids show up this long after the deployment is created; default 2000 ms. */
  bidsAfterMs?: number;
  /** ... and only after this many GET /v1/bids polls answered empty; default 0. */
  bidsAfterPolls?: number;
  /** Lease `status` is null until this long after the lease; default 1000 ms. */
  leaseStatusAfterMs?: number;
  leaseStatusAfterPolls?: number;
  /** Services report all replicas ready this long after the lease; default 3000 ms. */
  leaseReadyAfterMs?: number;
  leaseReadyAfterPolls?: number;
  /** A followed log stream gets a new line this often; default 1000 ms. */
  logLineIntervalMs?: number;
};

export const defaultAkashFakeTiming: Required<AkashFakeTiming> = {
  bidsAfterMs: 2000, bidsAfterPolls: 0, leaseStatusAfterMs: 1000, leaseStatusAfterPolls: 0,
  leaseReadyAfterMs: 3000, leaseReadyAfterPolls: 0, logLineIntervalMs: 1000,
};

export type AkashFakeBid = {
  provider: string;
  gseq: number;
  oseq: number;
  bseq: number;
  state: 'open' | 'active' | 'lost' | 'closed';
  denom: string;
  /** Micro-units per block. */
  amount: number;
  /** Withdrawn by the `bid-vanishes` fault: no longer listed. */
  vanished: boolean;
};

export type AkashFakeLogLine = { name: string; service: string; message: string };

export type AkashFakeLease = {
  provider: string;
  gseq: number;
  oseq: number;
  bseq: number;
  state: 'active' | 'insufficient_funds' | 'closed';
  denom: string;
  amount: number;
  createdAt: number;
  createdHeight: number;
  closedHeight?: number;
  reason?: string;
  /** GET /v1/deployments/{dseq} calls since the lease was created. */
  statusPolls: number;
  logs: AkashFakeLogLine[];
};

export type AkashFakeDeployment = {
  dseq: string;
  owner: string;
  sdl: string;
  summary: FakeSdlSummary;
  manifest: string;
  /** Whether POST /v1/deployments came wrapped in `data` (console code) or not (a docs revision). */
  requestForm: 'wrapped' | 'unwrapped';
  deposit: number | undefined;
  state: 'active' | 'closed';
  createdAt: number;
  createdHeight: number;
  /** GET /v1/bids calls for this deployment. */
  bidPolls: number;
  bidsShown: boolean;
  bids: AkashFakeBid[];
  lease: AkashFakeLease | undefined;
};

export type LeaseStage = 'status-null' | 'starting' | 'ready';

type Failure = { status: number; message: string };

/** The fake market's state: deployments, bids, leases, logs, and their scripted progressions. */
export class AkashFakeMarket {
  readonly deployments = new Map<string, AkashFakeDeployment>();
  private nextDseq = 20_000_001;
  private readonly startedAt: number;
  private readonly listeners = new Map<string, Set<(line: AkashFakeLogLine | undefined) => void>>();
  private readonly generators = new Map<string, NodeJS.Timeout>();
  /** Lines generated per deployment, so numbering continues across followers. */
  private readonly generatedLines = new Map<string, number>();

  constructor(
    private readonly options: {
      owner: string;
      providers: readonly AkashFakeProvider[];
      timing: Required<AkashFakeTiming>;
      faults: AkashFakeFaults;
      aktUsd: number;
      logLines: readonly string[];
      now: () => number;
    },
  ) {
    this.startedAt = options.now();
  }

  height(): number {
    return 18_000_000 + Math.floor((this.options.now() - this.startedAt) / 6000);
  }

  createDeployment(sdl: string, deposit: number | undefined, requestForm: AkashFakeDeployment['requestForm']): AkashFakeDeployment | Failure {
    let summary: FakeSdlSummary;
    try {
      summary = summarizeFakeSdl(sdl);
    } catch (error) {
      return { status: 400, message: `Invalid SDL: ${error instanceof Error ? error.message : String(error)}` };
    }
    const dseq = String(this.nextDseq++);
    const deployment: AkashFakeDeployment = {
      dseq, owner: this.options.owner, sdl, summary, requestForm, deposit,
      manifest: JSON.stringify(summary.groups.map((group) => ({ name: group.placement, services: group.services.map((service) => ({ name: service.name, image: summary.services[service.name]?.image, count: service.count })) }))),
      state: 'active', createdAt: this.options.now(), createdHeight: this.height(), bidPolls: 0, bidsShown: false,
      bids: this.bidsFor(summary), lease: undefined,
    };
    this.deployments.set(dseq, deployment);
    return deployment;
  }

  /** GET /v1/bids?dseq=: counts the poll, then the bids the progression lets through. */
  pollBids(dseq: string): AkashFakeBid[] | Failure {
    const deployment = this.deployments.get(dseq);
    if (!deployment) return { status: 404, message: `Deployment ${dseq} not found` };
    deployment.bidPolls += 1;
    if (!deployment.bidsShown) {
      if (this.options.faults.has('no-bids')) return [];
      const { bidsAfterPolls, bidsAfterMs } = this.options.timing;
      if (deployment.bidPolls <= bidsAfterPolls || this.options.now() - deployment.createdAt < bidsAfterMs) return [];
      deployment.bidsShown = true;
    }
    return deployment.bids.filter((bid) => !bid.vanished);
  }

  /** POST /v1/leases for one lease. Idempotent for a lease that already exists. */
  createLease(manifest: unknown, lease: { dseq: string; gseq: number; oseq: number; provider: string }): AkashFakeDeployment | Failure {
    const deployment = this.deployments.get(lease.dseq);
    if (!deployment) return { status: 404, message: `Deployment ${lease.dseq} not found` };
    if (deployment.state !== 'active') return { status: 400, message: `Deployment ${lease.dseq} is closed` };
    if (manifest !== deployment.manifest) return { status: 400, message: 'manifest does not match the deployment' };
    const existing = deployment.lease;
    if (existing && existing.state === 'active' && existing.provider === lease.provider && existing.gseq === lease.gseq && existing.oseq === lease.oseq) return deployment;
    const bid = deployment.bids.find((candidate) => candidate.provider === lease.provider && candidate.gseq === lease.gseq && candidate.oseq === lease.oseq && !candidate.vanished);
    if (this.options.faults.has('bid-vanishes') && bid) {
      bid.vanished = true;
      bid.state = 'closed';
    }
    if (!bid || bid.vanished || bid.state !== 'open' || !deployment.bidsShown) {
      return { status: 400, message: `bid ${lease.dseq}/${lease.gseq}/${lease.oseq}/${lease.provider} not found or not open` };
    }
    for (const other of deployment.bids) other.state = other === bid ? 'active' : other.state === 'open' ? 'lost' : other.state;
    const service = deployment.summary.groups[lease.gseq - 1]?.services[0]?.name ?? 'web';
    const image = deployment.summary.services[service]?.image ?? 'unknown';
    deployment.lease = {
      provider: bid.provider, gseq: bid.gseq, oseq: bid.oseq, bseq: bid.bseq, state: 'active', denom: bid.denom, amount: bid.amount,
      createdAt: this.options.now(), createdHeight: this.height(), statusPolls: 0,
      logs: this.options.logLines.map((message) => ({ name: podName(service, deployment.dseq), service, message: message.replace('{image}', image) })),
    };
    return deployment;
  }

  /** GET /v1/deployments/{dseq}: counts a status poll of the lease and applies lease faults. */
  observe(dseq: string): AkashFakeDeployment | Failure {
    const deployment = this.deployments.get(dseq);
    if (!deployment) return { status: 404, message: `Deployment ${dseq} not found` };
    const lease = deployment.lease;
    if (lease && lease.state === 'active') {
      lease.statusPolls += 1;
      if (this.options.faults.has('insufficient-funds')) lease.state = 'insufficient_funds';
    }
    return deployment;
  }

  /** How far the lease has come: null status, starting (replicas not ready), ready. */
  leaseStage(deployment: AkashFakeDeployment): LeaseStage | undefined {
    const lease = deployment.lease;
    if (!lease || lease.state !== 'active' || deployment.state !== 'active') return undefined;
    const { timing } = this.options;
    const elapsed = this.options.now() - lease.createdAt;
    const statusReached = lease.statusPolls > timing.leaseStatusAfterPolls && elapsed >= timing.leaseStatusAfterMs;
    if (!statusReached) return 'status-null';
    const readyReached = lease.statusPolls > timing.leaseReadyAfterPolls && elapsed >= timing.leaseReadyAfterMs;
    return readyReached && !this.options.faults.has('lease-never-ready') ? 'ready' : 'starting';
  }

  /** DELETE /v1/deployments/{dseq}: closes the deployment, its lease and its bids. */
  closeDeployment(dseq: string): AkashFakeDeployment | Failure {
    const deployment = this.deployments.get(dseq);
    if (!deployment) return { status: 404, message: `Deployment ${dseq} not found` };
    if (deployment.state === 'closed') return { status: 400, message: `Deployment ${dseq} is already closed` };
    deployment.state = 'closed';
    for (const bid of deployment.bids) if (bid.state === 'open' || bid.state === 'active') bid.state = 'closed';
    if (deployment.lease && deployment.lease.state !== 'closed') {
      deployment.lease.state = 'closed';
      deployment.lease.closedHeight = this.height();
      deployment.lease.reason = 'lease_closed_owner';
    }
    this.endLogs(dseq);
    return deployment;
  }

  /** Follows new log lines of a lease; `undefined` is sent when the lease ends. Starts the line generator. */
  subscribeLogs(dseq: string, listener: (line: AkashFakeLogLine | undefined) => void): () => void {
    const listeners = this.listeners.get(dseq) ?? new Set();
    listeners.add(listener);
    this.listeners.set(dseq, listeners);
    this.startGenerator(dseq);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.stopGenerator(dseq);
    };
  }

  /** Appends a line to a lease's log (and sends it to followers). */
  writeLog(dseq: string, message: string): void {
    const deployment = this.deployments.get(dseq);
    const lease = deployment?.lease;
    if (!deployment || !lease || lease.state === 'closed') return;
    const service = deployment.summary.groups[lease.gseq - 1]?.services[0]?.name ?? 'web';
    const line = { name: podName(service, dseq), service, message };
    lease.logs.push(line);
    for (const listener of this.listeners.get(dseq) ?? []) listener(line);
  }

  close(): void {
    for (const dseq of [...this.generators.keys()]) this.stopGenerator(dseq);
    this.listeners.clear();
  }

  private bidsFor(summary: FakeSdlSummary): AkashFakeBid[] {
    const bids: AkashFakeBid[] = [];
    summary.groups.forEach((group, index) => {
      const replicas = group.services.reduce((total, service) => total + service.count, 0);
      for (const provider of this.options.providers) {
        if (!provider.isOnline) continue;
        const perBlockUact = group.gpu ? gpuPrice(provider, group.gpu, replicas) : 100 * replicas;
        if (perBlockUact === undefined) continue;
        const amount = group.pricing.denom === 'uakt' ? perBlockUact / this.options.aktUsd : perBlockUact;
        if (amount > group.pricing.amount) continue;
        bids.push({ provider: provider.owner, gseq: index + 1, oseq: 1, bseq: 1, state: 'open', denom: group.pricing.denom, amount, vanished: false });
      }
    });
    return bids;
  }

  private startGenerator(dseq: string): void {
    if (this.generators.has(dseq)) return;
    const timer = setInterval(() => {
      const count = (this.generatedLines.get(dseq) ?? 0) + 1;
      this.generatedLines.set(dseq, count);
      this.writeLog(dseq, `step ${count}`);
    }, this.options.timing.logLineIntervalMs);
    timer.unref();
    this.generators.set(dseq, timer);
  }

  private stopGenerator(dseq: string): void {
    const timer = this.generators.get(dseq);
    if (timer) clearInterval(timer);
    this.generators.delete(dseq);
  }

  private endLogs(dseq: string): void {
    this.stopGenerator(dseq);
    for (const listener of [...(this.listeners.get(dseq) ?? [])]) listener(undefined);
    this.listeners.delete(dseq);
  }
}

/** uact per block this provider bids for the group's GPUs, or undefined when it has none to spare. */
function gpuPrice(provider: AkashFakeProvider, gpu: NonNullable<FakeSdlSummary['groups'][number]['gpu']>, replicas: number): number | undefined {
  const wanted = gpu.units * replicas;
  const match = provider.gpus.find((candidate) =>
    candidate.available >= wanted &&
    (gpu.models.length === 0 || gpu.models.some((model) =>
      model.vendor.toLowerCase() === candidate.vendor.toLowerCase() &&
      model.model.toLowerCase() === candidate.model.toLowerCase() &&
      (model.ram === undefined || model.ram.toLowerCase() === candidate.ram.toLowerCase()),
    )),
  );
  return match ? match.pricePerBlock * wanted : undefined;
}

function podName(service: string, dseq: string): string {
  return `${service}-${dseq}-0`;
}
