import {
  AdapterCallError, InvalidArgumentError, InvalidResponseDataError, isTerminalStatus, normalizeGpuType,
  type CallOptionsV1, type DeployOptionsV1, type DeployResultV1, type DeploymentStatusReportV1, type GetLogsOptionsV1,
  type HealthCheckResultV1, type ListDeploymentsOptionsV1, type ListDeploymentsResultV1, type ListOffersResultV1, type LogLine, type Offer, type OfferInput, type ProviderAdapterV1,
  type RoutingRequest,
} from '@aurora/router';
import { createRealTimeClock } from './clock/real-time-clock';
import type { SimulationClock } from './clock/simulation-clock';
import { formatDeploymentId } from './deployment/deployment-id';
import { deploymentLogSchedule, type ScheduledLogLine } from './deployment/deployment-log-schedule';
import { planDeployment, statusAt, type PlannedStatus } from './deployment/deployment-plan';
import type { SimulatedDeployment } from './deployment/simulated-deployment';
import { sampleDuration } from './duration-distribution';
import type { ListingQuote, MarketListing } from './market/market-listing';
import { CheckQueue } from './check-queue';
import { ListingUsage, type Holding } from './market/listing-usage';
import { SimulatedMarket } from './market/simulated-market';
import type { FailureRates, ProviderProfile } from './profiles/provider-profile';
import { createSeededRandom, type Seed, type SeededRandom } from './seeded-random';
import type { SimulatedFault, SimulatedOperation } from './simulated-fault';
import {
  abortedCallError, deploymentNotFoundError, invalidOfferError, noCapacityError, providerUnavailableError,
} from './simulated-adapter-errors';

export type SimulatedAdapterOptions = {
  /** Seed of everything random: listings, market moves, outages, deploy outcomes, logs. */
  seed: Seed;
  /** Time source; default a real-time clock. Use a manual clock in tests. */
  clock?: SimulationClock;
  /** Scales every failure probability and hazard; 0 turns failures off, 2 doubles them. Default 1. */
  failureRateMultiplier?: number;
  /** Replaces some of the profile's failure rates (before the multiplier). */
  failureRates?: Partial<FailureRates>;
  /**
   * Whether calls wait the provider's simulated API latency on the clock (default true). Turn it
   * off to call a manual-clock adapter without advancing time between calls.
   */
  apiLatency?: boolean;
  /** A fault every call (or the listed operations) suffers from the start; see `setFault`. */
  fault?: SimulatedFault;
  /** Called each time a call reaches the simulated provider (after the abort check). */
  onProviderCall?: (call: { operation: SimulatedOperation }) => void;
  /**
   * How long (simulated ms) an ended deployment stays known after it ended: its status and logs
   * can be read until then, later it is forgotten like a provider forgets old jobs. Default one hour.
   */
  endedRetentionMs?: number;
  /** Deployments per `listDeployments` page. Default 100. */
  listPageSize?: number;
};

/** A `ProviderAdapterV1` backed by a seeded simulation of one provider. */
export type SimulatedAdapter = ProviderAdapterV1 & {
  readonly simulated: true;
  readonly profile: ProviderProfile;
  readonly clock: SimulationClock;
  /** Effective failure rates: the profile's, overridden, times the multiplier. */
  readonly failureRates: Readonly<FailureRates>;
  /** Ids of the deployments that are not in a terminal status now. */
  liveDeploymentIds(): string[];
  /** Injects a fault into later calls, or with `undefined` clears it. */
  setFault(fault: SimulatedFault | undefined): void;
  /** Ends every log stream that is following. Deployments stay as they are. */
  close(): Promise<void>;
};

const defaultEndedRetentionMs = 3_600_000;
const defaultListPageSize = 100;
/** Oldest entries of each map looked at per deploy call: more than the one each call adds, so the maps stay bounded. */
const entriesCheckedPerDeploy = 4;

/** Simulated outages (health-check failures, 503s) last whole windows of this length. */
export const outageWindowMs = 5 * 60_000;

const batchWorkloads = new Set(['llm_training', 'rendering']);

/**
 * A simulated adapter for `profile`. Same seed, same clock readings and same calls give the same
 * offers, errors, statuses and logs. Construction only computes: no timers, sockets or env reads.
 */
export function createSimulatedAdapter(profile: ProviderProfile, options: SimulatedAdapterOptions): SimulatedAdapter {
  return new SimulatedProviderAdapter(profile, options);
}

class SimulatedProviderAdapter implements SimulatedAdapter {
  readonly specificationVersion = 'v1' as const;
  readonly simulated = true as const;
  readonly name: string;
  readonly profile: ProviderProfile;
  readonly clock: SimulationClock;
  readonly failureRates: Readonly<FailureRates>;

  private readonly random: SeededRandom;
  private readonly apiRandom: SeededRandom;
  private readonly market: SimulatedMarket;
  private readonly simulateApiLatency: boolean;
  private readonly onProviderCall: SimulatedAdapterOptions['onProviderCall'];
  private fault: SimulatedFault | undefined;
  private readonly deployments = new Map<string, SimulatedDeployment>();
  /** GPUs our live deployments hold, per listing; and each deployment's holding, to release it on termination. */
  private readonly usageByListing = new Map<string, ListingUsage>();
  private readonly holdings = new WeakMap<SimulatedDeployment, Holding>();
  private readonly byIdempotencyKey = new Map<string, SimulatedDeployment>();
  /** Deploy calls per idempotency key and offer (so retries draw new outcomes), with the last call's time. */
  private readonly deployAttempts = new Map<string, { count: number; at: number }>();
  private readonly endedRetentionMs: number;
  private readonly listPageSize: number;
  /** Deployments and attempt keys in the order they are looked at for forgetting (see `forgetEnded`). */
  private readonly forgetQueue = new CheckQueue<SimulatedDeployment>();
  private readonly forgetAttemptQueue = new CheckQueue<string>();
  private closed = false;

  constructor(profile: ProviderProfile, options: SimulatedAdapterOptions) {
    this.profile = profile;
    this.name = profile.id;
    this.clock = options.clock ?? createRealTimeClock();
    this.failureRates = effectiveRates(profile.rates, options.failureRates, options.failureRateMultiplier ?? 1);
    this.random = createSeededRandom(options.seed).fork(profile.id);
    this.apiRandom = this.random.fork('api');
    this.market = new SimulatedMarket(profile, this.random);
    this.simulateApiLatency = options.apiLatency ?? true;
    this.onProviderCall = options.onProviderCall;
    const retention = options.endedRetentionMs ?? defaultEndedRetentionMs;
    if (!(Number.isFinite(retention) && retention >= 0)) {
      throw new InvalidArgumentError({ issues: [{ field: 'endedRetentionMs', reason: 'must be a finite number >= 0' }] });
    }
    this.endedRetentionMs = retention;
    const pageSize = options.listPageSize ?? defaultListPageSize;
    if (!(Number.isInteger(pageSize) && pageSize >= 1)) {
      throw new InvalidArgumentError({ issues: [{ field: 'listPageSize', reason: 'must be an integer >= 1' }] });
    }
    this.listPageSize = pageSize;
    this.setFault(options.fault);
  }

  setFault(fault: SimulatedFault | undefined): void {
    if (fault?.type === 'http-status' && !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) {
      throw new InvalidArgumentError({ issues: [{ field: 'fault.status', reason: 'must be an HTTP error status (400-599)' }] });
    }
    if (fault?.type === 'slow' && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
      throw new InvalidArgumentError({ issues: [{ field: 'fault.delayMs', reason: 'must be a finite number >= 0' }] });
    }
    this.fault = fault;
  }

  async listOffers(request: RoutingRequest, options?: CallOptionsV1): Promise<ListOffersResultV1> {
    await this.enter('listOffers', options?.signal);
    const now = this.clock.now();
    const gpuType = normalizeGpuType(String(request.gpu_type))?.gpu_type ?? request.gpu_type;
    const gpuCount = request.gpu_count ?? 1;
    const offers: OfferInput[] = [];
    const warnings = new Set<string>();
    for (const listing of this.market.listingsFor(gpuType)) {
      const shape = listing.offering.gpuCounts.filter((count) => count >= gpuCount).sort((a, b) => a - b)[0];
      if (shape === undefined) {
        const largest = Math.max(...listing.offering.gpuCounts);
        warnings.add(`${this.name}: ${listing.offering.providerGpuName} comes in at most ${largest} GPU(s) per placement; the request needs ${gpuCount}`);
        continue;
      }
      const quote = this.quote(listing, shape, now);
      if (quote.capacity < 1 && !this.profile.reportsSoldOut) continue;
      offers.push(this.toOffer(quote, now));
    }
    return { offers, warnings: [...warnings] };
  }

  async deploy(request: RoutingRequest, offer: Offer, options: DeployOptionsV1): Promise<DeployResultV1> {
    await this.enter('deploy', options?.signal);
    const now = this.clock.now();
    const idempotencyKey = options.idempotency_key;

    const existing = this.byIdempotencyKey.get(idempotencyKey);
    if (existing) {
      if (existing.offerId !== offer.offer_id) {
        throw new AdapterCallError({
          message: `${this.name}: idempotency key already used for offer ${existing.offerId}`,
          adapterId: this.name,
          operation: 'deploy',
          statusCode: 409,
          isRetryable: false,
          reason: 'idempotency_conflict',
        });
      }
      return this.deployResult(existing, now);
    }

    const listing = this.listingOf(offer);
    const requestedGpus = request.gpu_count ?? 1;
    if (offer.gpu_count < requestedGpus) {
      throw invalidOfferError(this.name, offer.offer_id, `it has ${offer.gpu_count} GPU(s), the request needs ${requestedGpus}`);
    }

    const attemptKey = `${idempotencyKey}|${offer.offer_id}`;
    const attempt = (this.deployAttempts.get(attemptKey)?.count ?? 0) + 1;
    if (!this.deployAttempts.has(attemptKey)) this.forgetAttemptQueue.push(attemptKey);
    this.deployAttempts.set(attemptKey, { count: attempt, at: now });
    this.forgetEnded(now);
    // Keyed by request and offer, not by call order, so two runs that make the same choice see the same outcome.
    const random = this.random.fork(`deploy/${idempotencyKey}/${offer.offer_id}/${attempt}`);

    const quote = this.quote(listing, offer.gpu_count, now);
    if (quote.capacity < 1) throw noCapacityError(this.name, offer.offer_id, 'sold out');
    if (random.chance(quote.fillFailureProbability)) {
      throw noCapacityError(this.name, offer.offer_id, 'taken by another tenant before placement');
    }

    let id = formatDeploymentId(this.profile.deploymentIdFormat, random);
    while (this.deployments.has(id)) id = formatDeploymentId(this.profile.deploymentIdFormat, random);

    const rates = this.failureRates;
    const listingRates: FailureRates = {
      ...rates,
      startFailure: Math.min(1, rates.startFailure * listing.reliabilityFactor),
      runtimeFailurePerHour: rates.runtimeFailurePerHour * listing.reliabilityFactor,
    };
    const batchHours = batchWorkloads.has(request.workload_type) && request.gpu_hours !== undefined
      ? request.gpu_hours / requestedGpus
      : undefined;
    const plan = planDeployment(random, {
      profile: this.profile,
      rates: listingRates,
      interruptible: listing.interruptible,
      workloadType: request.workload_type,
      ...(batchHours !== undefined ? { batchHours } : {}),
      now,
    });
    const priceUsdPerHour = this.profile.auctionPricing
      ? roundTo(offer.price_usd_per_hour * random.between(0.9, 1.03), 4)
      : offer.price_usd_per_hour;

    const deployment: SimulatedDeployment = {
      id,
      listingKey: listing.key,
      offerId: offer.offer_id,
      gpuType: listing.offering.gpuType,
      gpuCount: offer.gpu_count,
      region: listing.presence.region,
      interruptible: listing.interruptible,
      workloadType: request.workload_type,
      ...(request.image !== undefined ? { image: request.image } : {}),
      ports: request.ports ?? [],
      idempotencyKey,
      priceUsdPerHour,
      plan,
      wakers: new Set(),
    };
    this.deployments.set(id, deployment);
    this.forgetQueue.push(deployment);
    this.byIdempotencyKey.set(idempotencyKey, deployment);
    let usage = this.usageByListing.get(listing.key);
    if (!usage) {
      usage = new ListingUsage();
      this.usageByListing.set(listing.key, usage);
    }
    this.holdings.set(deployment, usage.hold(plan.end?.at ?? Infinity, deployment.gpuCount));
    return this.deployResult(deployment, now);
  }

  async getStatus(providerDeploymentId: string, options?: CallOptionsV1): Promise<DeploymentStatusReportV1> {
    await this.enter('getStatus', options?.signal);
    const deployment = this.find(providerDeploymentId, 'getStatus');
    const status = this.statusOf(deployment, this.clock.now());
    return {
      provider_deployment_id: deployment.id,
      status: status.status,
      provider_status: status.providerStatus,
      endpoint: this.endpointOf(deployment, status),
      ...(status.message !== undefined ? { message: status.message } : {}),
      ...(status.startedAt !== undefined ? { started_at: isoTime(status.startedAt) } : {}),
    };
  }

  async *getLogs(providerDeploymentId: string, options: GetLogsOptionsV1 = {}): AsyncIterable<LogLine> {
    const { signal } = options;
    await this.enter('getLogs', signal);
    const deployment = this.find(providerDeploymentId, 'getLogs');
    const since = parseSince(options.since);
    const tail = parseTail(options.tail);

    let schedule = this.logScheduleOf(deployment);
    let consumed = 0;
    const pull = (): ScheduledLogLine | undefined => {
      const result = schedule.next();
      if (result.done) return undefined;
      consumed += 1;
      return result.value;
    };

    const now = this.clock.now();
    const history: ScheduledLogLine[] = [];
    let next = pull();
    while (next && next.at <= now) {
      history.push(next);
      next = pull();
    }
    let backlog = since === undefined ? history : history.filter((line) => line.at >= since);
    if (tail !== undefined) backlog = tail > 0 ? backlog.slice(-tail) : [];
    for (const line of backlog) {
      if (signal?.aborted) return;
      yield toLogLine(line);
    }
    if (!options.follow) return;

    while (next) {
      const woke = await this.waitUntil(next.at, deployment, signal);
      if (woke === 'stopped') return;
      if (woke === 'changed') {
        // A termination rewrote the future: replay the schedule past the lines already handled.
        const handled = consumed - 1;
        schedule = this.logScheduleOf(deployment);
        consumed = 0;
        for (let skipped = 0; skipped < handled; skipped++) pull();
        next = pull();
        continue;
      }
      if (since === undefined || next.at >= since) yield toLogLine(next);
      next = pull();
    }
  }

  async terminate(providerDeploymentId: string, options?: CallOptionsV1): Promise<void> {
    await this.enter('terminate', options?.signal);
    const deployment = this.deployments.get(providerDeploymentId);
    if (!deployment) return;
    const now = this.clock.now();
    if (isTerminalStatus(this.statusOf(deployment, now).status)) return;
    deployment.terminatedAt = now;
    const holding = this.holdings.get(deployment);
    if (holding) this.usageByListing.get(deployment.listingKey)?.release(holding);
    wake(deployment);
  }

  /** Live deployments, oldest first, a page at a time; the cursor is the offset of the next page. */
  async listDeployments(options: ListDeploymentsOptionsV1 = {}): Promise<ListDeploymentsResultV1> {
    await this.enter('listDeployments', options.signal);
    const offset = parseCursor(options.cursor);
    const now = this.clock.now();
    const live = [...this.deployments.values()]
      .map((deployment) => ({ deployment, status: this.statusOf(deployment, now) }))
      .filter(({ status }) => !isTerminalStatus(status.status));
    const page = live.slice(offset, offset + this.listPageSize).map(({ deployment, status }) => ({
      provider_deployment_id: deployment.id,
      status: status.status,
      provider_status: status.providerStatus,
      created_at: isoTime(deployment.plan.createdAt),
    }));
    const next = offset + this.listPageSize;
    return { deployments: page, ...(next < live.length ? { next_cursor: String(next) } : {}) };
  }

  async healthCheck(options?: CallOptionsV1): Promise<HealthCheckResultV1> {
    const { latencyMs, fault } = await this.reach('healthCheck', options?.signal);
    const latency = Math.round(latencyMs);
    if (fault?.type === 'http-status' || fault?.type === 'malformed-response') {
      const answer = fault.type === 'http-status' ? `HTTP ${fault.status}` : 'a malformed response';
      return { healthy: false, latency_ms: latency, message: `${this.profile.displayName} API answered ${answer} (injected fault)` };
    }
    if (this.isDown(this.clock.now())) {
      return { healthy: false, latency_ms: latency, message: `${this.profile.displayName} API unavailable (simulated outage)` };
    }
    return { healthy: true, latency_ms: latency };
  }

  /** Ends every log stream that is following. Deployments stay as they are. */
  async close(): Promise<void> {
    this.closed = true;
    for (const deployment of this.deployments.values()) wake(deployment);
  }

  liveDeploymentIds(): string[] {
    const now = this.clock.now();
    return [...this.deployments.values()]
      .filter((deployment) => !isTerminalStatus(this.statusOf(deployment, now).status))
      .map((deployment) => deployment.id);
  }

  /**
   * Forgets deployments that ended more than the retention ago (and deploy attempts as old), so a
   * long-running simulation holds only recent history. Each call looks at the few oldest entries
   * of each map: an old one is dropped, a younger one goes to the back of the line. The cost per
   * deploy is constant and there is never a pause to walk everything. A deployment with a log
   * follower is kept.
   */
  private forgetEnded(now: number): void {
    const cutoff = now - this.endedRetentionMs;
    this.forgetQueue.check(entriesCheckedPerDeploy, (deployment) => {
      const status = this.statusOf(deployment, now);
      const forget = deployment.wakers.size === 0 && isTerminalStatus(status.status) && status.endedAt !== undefined && status.endedAt <= cutoff;
      if (!forget) return false;
      this.deployments.delete(deployment.id);
      if (this.byIdempotencyKey.get(deployment.idempotencyKey) === deployment) this.byIdempotencyKey.delete(deployment.idempotencyKey);
      return true;
    });
    this.forgetAttemptQueue.check(entriesCheckedPerDeploy, (key) => {
      const attempts = this.deployAttempts.get(key);
      if (attempts !== undefined && attempts.at > cutoff) return false;
      this.deployAttempts.delete(key);
      return true;
    });
  }

  private quote(listing: MarketListing, gpuCount: number, now: number): ListingQuote {
    return this.market.quote(listing, gpuCount, now, this.gpusInUse(listing.key, now), this.failureRates);
  }

  /** GPUs of a listing that our own live deployments hold at `now`: capacity we took is not free. */
  private gpusInUse(listingKey: string, now: number): number {
    return this.usageByListing.get(listingKey)?.inUse(now) ?? 0;
  }

  private toOffer(quote: ListingQuote, now: number): OfferInput {
    const { listing } = quote;
    return {
      provider: this.name,
      offer_id: `${listing.key}-${quote.gpuCount}x`,
      gpu_type: listing.offering.gpuType,
      gpu_memory_gb: listing.offering.gpuMemoryGb,
      gpu_count: quote.gpuCount,
      region: listing.presence.region,
      price_usd_per_hour: roundTo(quote.pricePerGpu * quote.gpuCount, 4),
      estimated_latency_ms: Math.round(quote.latencyMs),
      reputation: listing.reputation,
      availability: roundTo(1 - quote.fillFailureProbability, 3),
      capacity: quote.capacity,
      interruptible: listing.interruptible,
      quoted_at: isoTime(now),
      provider_metadata: {
        simulated: true,
        listing_id: listing.key,
        provider_gpu_name: listing.offering.providerGpuName,
        provider_region: listing.presence.providerRegion,
        pricing: listing.interruptible ? 'interruptible' : 'on_demand',
        price_per_gpu_hour: roundTo(quote.pricePerGpu, 4),
      },
    };
  }

  /** The listing an offer was quoted from; offers of other providers or unknown shapes are refused. */
  private listingOf(offer: Offer): MarketListing {
    if (offer.provider !== this.name) {
      throw invalidOfferError(this.name, offer.offer_id, `it belongs to provider ${offer.provider}`);
    }
    const fromMetadata = offer.provider_metadata?.['listing_id'];
    const key = typeof fromMetadata === 'string' ? fromMetadata : offer.offer_id.replace(/-\d+x$/, '');
    const listing = this.market.listing(key);
    if (!listing) throw invalidOfferError(this.name, offer.offer_id, 'no such listing');
    if (!listing.offering.gpuCounts.includes(offer.gpu_count)) {
      throw invalidOfferError(this.name, offer.offer_id, `${offer.gpu_count} GPUs is not a shape of ${listing.offering.providerGpuName}`);
    }
    return listing;
  }

  private deployResult(deployment: SimulatedDeployment, now: number): DeployResultV1 {
    const status = this.statusOf(deployment, now);
    return {
      provider_deployment_id: deployment.id,
      status: status.status,
      provider_status: status.providerStatus,
      endpoint: this.endpointOf(deployment, status),
      price_usd_per_hour: deployment.priceUsdPerHour,
      provider_metadata: {
        simulated: true,
        listing_id: deployment.listingKey,
        offer_id: deployment.offerId,
        interruptible: deployment.interruptible,
      },
    };
  }

  private statusOf(deployment: SimulatedDeployment, now: number): PlannedStatus {
    return statusAt(deployment.plan, this.profile, now, deployment.terminatedAt);
  }

  private endpointOf(deployment: SimulatedDeployment, status: PlannedStatus): string | null {
    const port = deployment.ports[0];
    if (status.status !== 'running' || port === undefined) return null;
    // .invalid never resolves (RFC 2606): the endpoint is recognisably not a real host.
    return `https://${deployment.id}-${port}.${this.name}.simulated.invalid`;
  }

  private logScheduleOf(deployment: SimulatedDeployment): Generator<ScheduledLogLine> {
    return deploymentLogSchedule(deployment, this.profile, this.random.fork(`logs/${deployment.id}`));
  }

  /** Sleeps until `at`; wakes early when the deployment is terminated, the caller aborts or the adapter closes. */
  private async waitUntil(at: number, deployment: SimulatedDeployment, signal: AbortSignal | undefined): Promise<'time' | 'changed' | 'stopped'> {
    if (this.closed || signal?.aborted) return 'stopped';
    const delay = at - this.clock.now();
    if (delay <= 0) return 'time';
    const controller = new AbortController();
    let changed = false;
    const onChange = () => {
      changed = true;
      controller.abort();
    };
    const onAbort = () => controller.abort();
    deployment.wakers.add(onChange);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.clock.sleep(delay, controller.signal);
      return 'time';
    } catch {
      return changed && !this.closed && !signal?.aborted ? 'changed' : 'stopped';
    } finally {
      deployment.wakers.delete(onChange);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private find(providerDeploymentId: string, operation: string): SimulatedDeployment {
    const deployment = this.deployments.get(providerDeploymentId);
    if (!deployment) throw deploymentNotFoundError(this.name, operation, providerDeploymentId);
    return deployment;
  }

  /** What every provider call goes through: abort check, latency and faults, outage. */
  private async enter(operation: SimulatedOperation, signal: AbortSignal | undefined): Promise<void> {
    const { fault } = await this.reach(operation, signal);
    if (fault?.type === 'http-status') throw this.faultError(operation, fault.status, fault.retryAfterMs);
    if (fault?.type === 'malformed-response') {
      throw new InvalidResponseDataError({
        message: `${this.name}.${operation}: the provider answered a malformed response (injected fault)`,
        adapterId: this.name,
        issues: ['response body is not valid JSON'],
      });
    }
    if (this.isDown(this.clock.now())) throw providerUnavailableError(this.name, operation);
  }

  /** The call reaches the provider: it is recorded, then waits the API latency (and a slow fault's delay). */
  private async reach(operation: SimulatedOperation, signal: AbortSignal | undefined): Promise<{ latencyMs: number; fault: SimulatedFault | undefined }> {
    if (signal?.aborted) throw abortedCallError(this.name, operation, signal);
    this.onProviderCall?.({ operation });
    const fault = this.fault && (!this.fault.operations || this.fault.operations.includes(operation)) ? this.fault : undefined;
    const latencyMs = this.sampleApiLatency();
    const delayMs = (this.simulateApiLatency ? latencyMs : 0) + (fault?.type === 'slow' ? fault.delayMs : 0);
    if (delayMs > 0) await this.sleepOrThrow(delayMs, operation, signal);
    return { latencyMs, fault };
  }

  private faultError(operation: SimulatedOperation, status: number, retryAfterMs: number | undefined): AdapterCallError {
    return new AdapterCallError({
      message: `${this.name}.${operation}: provider answered HTTP ${status} (injected fault)`,
      adapterId: this.name,
      operation,
      statusCode: status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }

  private async sleepOrThrow(ms: number, operation: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw abortedCallError(this.name, operation, signal);
      throw new AdapterCallError({ message: `${this.name}.${operation}: clock failed`, adapterId: this.name, operation, reason: 'simulator_error', cause: error });
    }
  }

  private sampleApiLatency(): number {
    const base = sampleDuration(this.apiRandom, this.profile.apiLatency);
    const slow = this.apiRandom.chance(this.profile.slowCallRate);
    const factor = this.apiRandom.between(5, 20);
    return slow ? base * factor : base;
  }

  /** Outages are whole windows, drawn from the seed and the window alone. */
  private isDown(now: number): boolean {
    const window = Math.floor(now / outageWindowMs);
    return this.random.fork(`outage/${window}`).chance(this.failureRates.healthFailure);
  }
}

function effectiveRates(base: FailureRates, overrides: Partial<FailureRates> | undefined, multiplier: number): FailureRates {
  if (!Number.isFinite(multiplier) || multiplier < 0) {
    throw new InvalidArgumentError({ issues: [{ field: 'failureRateMultiplier', reason: 'must be a finite number >= 0' }] });
  }
  const merged: FailureRates = { ...base, ...overrides };
  const issues = Object.entries(merged)
    .filter(([, value]) => !Number.isFinite(value) || value < 0)
    .map(([field]) => ({ field: `failureRates.${field}`, reason: 'must be a finite number >= 0' }));
  for (const field of ['fillFailure', 'startFailure', 'healthFailure'] as const) {
    if (merged[field] > 1) issues.push({ field: `failureRates.${field}`, reason: 'is a probability, at most 1' });
  }
  if (issues.length > 0) throw new InvalidArgumentError({ issues });
  return {
    fillFailure: Math.min(1, merged.fillFailure * multiplier),
    startFailure: Math.min(1, merged.startFailure * multiplier),
    healthFailure: Math.min(1, merged.healthFailure * multiplier),
    runtimeFailurePerHour: merged.runtimeFailurePerHour * multiplier,
    preemptionPerHour: merged.preemptionPerHour * multiplier,
  };
}

function wake(deployment: SimulatedDeployment): void {
  for (const waker of [...deployment.wakers]) waker();
}

function parseSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const time = Date.parse(since);
  if (Number.isNaN(time)) {
    throw new InvalidArgumentError({ issues: [{ field: 'since', reason: `"${since}" is not an ISO timestamp` }] });
  }
  return time;
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^\d+$/.test(cursor)) {
    throw new InvalidArgumentError({ issues: [{ field: 'cursor', reason: `"${cursor}" is not a cursor this provider returned` }] });
  }
  return Number(cursor);
}

function parseTail(tail: number | undefined): number | undefined {
  if (tail === undefined) return undefined;
  if (!Number.isInteger(tail) || tail < 0) {
    throw new InvalidArgumentError({ issues: [{ field: 'tail', reason: 'must be an integer >= 0' }] });
  }
  return tail;
}

function toLogLine(line: ScheduledLogLine): LogLine {
  return { timestamp: isoTime(line.at), stream: line.stream, message: line.message, source: line.source };
}

function isoTime(time: number): string {
  return new Date(Math.round(time)).toISOString();
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
