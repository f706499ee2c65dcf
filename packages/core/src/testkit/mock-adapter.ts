import type {
  CallOptionsV1, DeployOptionsV1, DeployResultV1, DeploymentStatusReportV1, GetLogsOptionsV1,
  HealthCheckResultV1, ListOffersResultV1, ProviderAdapterV1,
} from '../adapter/provider-adapter-v1';
import { AdapterCallError } from '../errors/adapter-call-error';
import { AuroraError } from '../errors/aurora-error';
import type { DeploymentStatus } from '../schemas/deployment';
import { logLineSchema, type LogLine, type LogLineInput } from '../schemas/log-line';
import type { Offer, OfferInput } from '../schemas/offer';
import type { RoutingRequest } from '../schemas/routing-request';
import { createOffer } from './offer-builders';

export type MockAdapterMethod = 'listOffers' | 'deploy' | 'getStatus' | 'getLogs' | 'terminate' | 'healthCheck';

/**
 * How a method fails: always with one error; per call through a function of the 1-based call
 * number (return `undefined` to succeed); or a sequence indexed by call number (`undefined` entries
 * and calls past the end succeed). Non-Aurora errors are wrapped in `AdapterCallError`.
 */
export type MockFailure =
  | Error
  | ((callNumber: number) => Error | undefined)
  | ReadonlyArray<Error | undefined>;

/** An offer as the mock returns it; without `provider` it gets the mock's name. */
export type MockOfferInput = Omit<OfferInput, 'provider'> & { provider?: string };

export type MockOffers =
  | readonly MockOfferInput[]
  | ((request: RoutingRequest, callNumber: number) => readonly MockOfferInput[] | Promise<readonly MockOfferInput[]>);

export type MockDeployProgression = {
  /** Status returned by `deploy`; default `provisioning`. */
  initialStatus?: DeploymentStatus;
  /** `getStatus` reports `running` from its Nth call for a deployment on; default 1. */
  runningAfterStatusCalls?: number;
  /** Or: `running` once this many ms (by the clock) have passed since deploy. Takes precedence. */
  runningAfterMs?: number;
  /** Explicit statuses for successive `getStatus` calls (the last repeats). Overrides the above. */
  statusSequence?: readonly DeploymentStatus[];
};

export type MockAdapterOptions = {
  /** Provider id; default `mock`. Offers without an explicit provider get this one. */
  name?: string;
  /** Default true: a mock is a simulated provider. */
  simulated?: boolean;
  /** Offers returned by `listOffers`; default one valid A100 offer of this provider. */
  offers?: MockOffers;
  /** Warnings returned with the offers. */
  warnings?: readonly string[];
  /** Delay in ms before each method answers (one number for all, or per method). Honours AbortSignal. */
  latencyMs?: number | Partial<Record<MockAdapterMethod, number>>;
  failures?: Partial<Record<MockAdapterMethod, MockFailure>>;
  deploy?: MockDeployProgression & { endpoint?: string | null; price_usd_per_hour?: number; committed_cost_usd?: number };
  /** Lines `getLogs` yields (strings become stdout lines at the fixture time). */
  logLines?: ReadonlyArray<LogLineInput | string>;
  health?: HealthCheckResultV1;
  clock?: { now(): number };
};

export type MockAdapterCalls = {
  listOffers: Array<{ request: RoutingRequest; options: CallOptionsV1 | undefined }>;
  deploy: Array<{ request: RoutingRequest; offer: Offer; options: DeployOptionsV1 }>;
  getStatus: Array<{ providerDeploymentId: string; options: CallOptionsV1 | undefined }>;
  getLogs: Array<{ providerDeploymentId: string; options: GetLogsOptionsV1 | undefined }>;
  terminate: Array<{ providerDeploymentId: string; options: CallOptionsV1 | undefined }>;
  healthCheck: Array<{ options: CallOptionsV1 | undefined }>;
  close: number;
};

type MockDeployment = {
  id: string;
  deployedAt: number;
  statusCalls: number;
  terminated: boolean;
  /** Resolves `getLogs({ follow: true })` iterators when the deployment ends. */
  ended: Promise<void>;
  end: () => void;
};

const logTime = '2026-01-01T00:00:00.000Z';

/**
 * An in-memory `ProviderAdapterV1` for tests, examples and dry runs: configurable offers, latency,
 * failures and deploy progression, and a record of every call. Throws only Aurora errors.
 */
export class MockAdapter implements ProviderAdapterV1 {
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly simulated: boolean;
  readonly calls: MockAdapterCalls = {
    listOffers: [], deploy: [], getStatus: [], getLogs: [], terminate: [], healthCheck: [], close: 0,
  };

  private offers: MockOffers;
  private warnings: readonly string[];
  private latency: MockAdapterOptions['latencyMs'];
  private readonly failures: Partial<Record<MockAdapterMethod, MockFailure>>;
  private readonly deployOptions: NonNullable<MockAdapterOptions['deploy']>;
  private readonly logLines: LogLine[];
  private health: HealthCheckResultV1;
  private readonly clock: { now(): number };
  private readonly deployments = new Map<string, MockDeployment>();
  private deployCount = 0;

  constructor(options: MockAdapterOptions = {}) {
    this.name = options.name ?? 'mock';
    this.simulated = options.simulated ?? true;
    this.offers = options.offers ?? [createOffer({ provider: this.name, offer_id: `${this.name}-offer-1` })];
    this.warnings = options.warnings ?? [];
    this.latency = options.latencyMs;
    this.failures = { ...options.failures };
    this.deployOptions = options.deploy ?? {};
    this.logLines = (options.logLines ?? []).map((line) =>
      logLineSchema.parse(typeof line === 'string' ? { timestamp: logTime, message: line } : line),
    );
    this.health = options.health ?? { healthy: true, latency_ms: 5 };
    this.clock = options.clock ?? Date;
  }

  /** Replaces the offers returned from now on. */
  setOffers(offers: MockOffers): void {
    this.offers = offers;
  }

  setWarnings(warnings: readonly string[]): void {
    this.warnings = warnings;
  }

  /** Sets (or with `undefined` clears) the failure injected into one method. Call numbers keep counting. */
  setFailure(method: MockAdapterMethod, failure: MockFailure | undefined): void {
    if (failure === undefined) delete this.failures[method];
    else this.failures[method] = failure;
  }

  setLatency(latencyMs: MockAdapterOptions['latencyMs']): void {
    this.latency = latencyMs;
  }

  setHealth(health: HealthCheckResultV1): void {
    this.health = health;
  }

  /** Ids of the deployments this mock placed and has not terminated. */
  activeDeploymentIds(): string[] {
    return [...this.deployments.values()].filter((deployment) => !deployment.terminated).map((deployment) => deployment.id);
  }

  async listOffers(request: RoutingRequest, options?: CallOptionsV1): Promise<ListOffersResultV1> {
    this.calls.listOffers.push({ request, options });
    await this.enter('listOffers', this.calls.listOffers.length, options?.signal);
    const source = this.offers;
    const offers = typeof source === 'function' ? await source(request, this.calls.listOffers.length) : source;
    return { offers: offers.map((offer) => ({ ...offer, provider: offer.provider ?? this.name })), warnings: [...this.warnings] };
  }

  async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    this.calls.deploy.push({ request, offer, options });
    await this.enter('deploy', this.calls.deploy.length, options.signal);
    this.deployCount += 1;
    const id = `${this.name}-dep-${this.deployCount}`;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.deployments.set(id, { id, deployedAt: this.clock.now(), statusCalls: 0, terminated: false, ended, end });
    const status = this.deployOptions.initialStatus ?? 'provisioning';
    return {
      provider_deployment_id: id,
      status,
      provider_status: `mock:${status}`,
      endpoint: this.deployOptions.endpoint ?? null,
      ...(this.deployOptions.price_usd_per_hour !== undefined ? { price_usd_per_hour: this.deployOptions.price_usd_per_hour } : {}),
      ...(this.deployOptions.committed_cost_usd !== undefined ? { committed_cost_usd: this.deployOptions.committed_cost_usd } : {}),
    };
  }

  async getStatus(providerDeploymentId: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1> {
    this.calls.getStatus.push({ providerDeploymentId, options });
    await this.enter('getStatus', this.calls.getStatus.length, options?.signal);
    const deployment = this.find(providerDeploymentId, 'getStatus');
    const status = this.currentStatus(deployment);
    return {
      provider_deployment_id: providerDeploymentId,
      status,
      provider_status: `mock:${status}`,
      endpoint: status === 'running' ? (this.deployOptions.endpoint ?? null) : null,
    };
  }

  async *getLogs(providerDeploymentId: string, options?: GetLogsOptionsV1): AsyncIterable<LogLine> {
    this.calls.getLogs.push({ providerDeploymentId, options });
    await this.enter('getLogs', this.calls.getLogs.length, options?.signal);
    const deployment = this.find(providerDeploymentId, 'getLogs');
    let lines = options?.since ? this.logLines.filter((line) => line.timestamp >= options.since!) : this.logLines;
    if (options?.tail !== undefined) lines = options.tail > 0 ? lines.slice(-options.tail) : [];
    for (const line of lines) {
      if (options?.signal?.aborted) return;
      yield line;
    }
    if (!options?.follow || deployment.terminated || options.signal?.aborted) return;
    // Following: stay open until the deployment ends or the caller aborts.
    await new Promise<void>((resolve) => {
      const signal = options.signal;
      const onAbort = () => resolve();
      signal?.addEventListener('abort', onAbort, { once: true });
      void deployment.ended.then(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  async terminate(providerDeploymentId: string, options?: CallOptionsV1): Promise<void> {
    this.calls.terminate.push({ providerDeploymentId, options });
    await this.enter('terminate', this.calls.terminate.length, options?.signal);
    const deployment = this.deployments.get(providerDeploymentId);
    if (!deployment || deployment.terminated) return;
    deployment.terminated = true;
    deployment.end();
  }

  async healthCheck(options?: CallOptionsV1): Promise<HealthCheckResultV1> {
    this.calls.healthCheck.push({ options });
    await this.enter('healthCheck', this.calls.healthCheck.length, options?.signal);
    return { ...this.health };
  }

  async close(): Promise<void> {
    this.calls.close += 1;
  }

  private currentStatus(deployment: MockDeployment): DeploymentStatus {
    if (deployment.terminated) return 'terminated';
    deployment.statusCalls += 1;
    const { statusSequence, runningAfterMs, runningAfterStatusCalls = 1, initialStatus = 'provisioning' } = this.deployOptions;
    if (statusSequence && statusSequence.length > 0) {
      return statusSequence[Math.min(deployment.statusCalls, statusSequence.length) - 1]!;
    }
    if (initialStatus !== 'provisioning' && initialStatus !== 'pending') return initialStatus;
    if (runningAfterMs !== undefined) {
      return this.clock.now() - deployment.deployedAt >= runningAfterMs ? 'running' : initialStatus;
    }
    return deployment.statusCalls >= runningAfterStatusCalls ? 'running' : initialStatus;
  }

  private find(providerDeploymentId: string, operation: string): MockDeployment {
    const deployment = this.deployments.get(providerDeploymentId);
    if (deployment) return deployment;
    throw new AdapterCallError({
      message: `${this.name}: deployment ${providerDeploymentId} not found`,
      adapterId: this.name,
      operation,
      statusCode: 404,
      isRetryable: false,
      reason: 'not_found',
    });
  }

  /** Latency, abort and failure injection shared by every method. */
  private async enter(method: MockAdapterMethod, callNumber: number, signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(this.name, method, signal);
    const delay = typeof this.latency === 'number' ? this.latency : this.latency?.[method];
    if (delay !== undefined && delay > 0) await sleep(delay, signal, this.name, method);
    const failure = this.failureFor(method, callNumber);
    if (failure) throw toAuroraError(failure, this.name, method);
  }

  private failureFor(method: MockAdapterMethod, callNumber: number): Error | undefined {
    const failure = this.failures[method];
    if (failure === undefined) return undefined;
    if (typeof failure === 'function') return failure(callNumber);
    if (Array.isArray(failure)) return (failure as ReadonlyArray<Error | undefined>)[callNumber - 1];
    return failure as Error;
  }
}

/** Same as `new MockAdapter(options)`. */
export function createMockAdapter(options: MockAdapterOptions = {}): MockAdapter {
  return new MockAdapter(options);
}

function toAuroraError(error: Error, adapterId: string, operation: string): AuroraError {
  if (AuroraError.isInstance(error)) return error;
  return new AdapterCallError({ message: error.message, adapterId, operation, cause: error, reason: 'injected' });
}

function abortError(adapterId: string, operation: string, signal: AbortSignal): AdapterCallError {
  const reason: unknown = signal.reason;
  const timedOut = typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
  if (AdapterCallError.isInstance(reason)) return reason;
  return new AdapterCallError({
    message: `${adapterId}.${operation} ${timedOut ? 'timed out' : 'was aborted'}`,
    adapterId,
    operation,
    isRetryable: timedOut,
    reason: timedOut ? 'timeout' : 'aborted',
    cause: reason,
  });
}

function throwIfAborted(adapterId: string, operation: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(adapterId, operation, signal);
}

function sleep(ms: number, signal: AbortSignal | undefined, adapterId: string, operation: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(adapterId, operation, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
