import { diag, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { EventEmitter } from 'eventemitter3';
import pLimit from 'p-limit';
import type { ProviderAdapter } from '../adapter/provider-adapter-v1';
import { AdapterCallError } from '../errors/adapter-call-error';
import { AuroraError } from '../errors/aurora-error';
import { ConflictError } from '../errors/conflict-error';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { NoEligibleOfferError } from '../errors/no-eligible-offer-error';
import { NotFoundError } from '../errors/not-found-error';
import { PolicyError } from '../errors/policy-error';
import type { Policy } from '../policy/policy';
import { RulePolicy } from '../policy/rule-policy';
import type { Arm, Decision } from '../schemas/decision';
import type { Deployment } from '../schemas/deployment';
import type { LogLine } from '../schemas/log-line';
import { outcomeSchema, type Outcome, type OutcomeInput } from '../schemas/outcome';
import { parseOrThrow } from '../schemas/parse';
import type { ProviderHealth } from '../schemas/provider-health';
import { routingRequestSchema, type RoutingRequest, type RoutingRequestInput } from '../schemas/routing-request';
import { normalizeWeights, type Weights } from '../schemas/weights';
import { createRouterTelemetry, type RouterGaugeSource, type RouterTelemetry } from '../telemetry/router-telemetry';
import {
  ATTR_AURORA_ARM, ATTR_AURORA_CANDIDATES_COUNT, ATTR_AURORA_DECISION_ID, ATTR_AURORA_DEPLOYMENT_ID, ATTR_AURORA_GPU_COUNT,
  ATTR_AURORA_GPU_TYPE, ATTR_AURORA_OFFERS_COUNT, ATTR_AURORA_POLICY_ID, ATTR_AURORA_POLICY_VERSION, ATTR_AURORA_PROPENSITY,
  ATTR_AURORA_PROVIDER, ATTR_AURORA_REGION, ATTR_AURORA_REJECTIONS_COUNT, ATTR_AURORA_ROUTE_STATUS, ATTR_AURORA_SHADOW_OFFER_ID,
  ATTR_AURORA_SHADOW_POLICY_ID, ATTR_AURORA_TENANT, ATTR_AURORA_WORKLOAD_TYPE, SPAN_AURORA_ADAPTER_HEALTH_CHECK,
  SPAN_AURORA_POLICY_DECIDE, SPAN_AURORA_QUOTE, SPAN_AURORA_ROUTE, SPAN_AURORA_SCORE,
} from '../telemetry/semconv';
import { abortedError, callAdapter } from './call-adapter';
import { CircuitBreaker, type CircuitTransition } from './circuit-breaker';
import { decideWithPolicy } from './decide-with-policy';
import { deployWithFailover } from './deploy-with-failover';
import { withAccruedCost } from './deployment-cost';
import { DeploymentLifecycle } from './deployment-lifecycle';
import { createInMemoryRegistry, registryError, saveToRegistry, type DeploymentRegistry } from './deployment-registry';
import { generateRandomId, prefixedId } from './generate-id';
import { OfferCache } from './offer-cache';
import { RecentEntries } from './recent-entries';
import { OfferSource } from './offer-source';
import { boundedRecord, rankQuote, toQuoteResult, type Quote, type QuoteResult } from './quote-offers';
import type { LogsOptions, QuoteOptions, Router, RouteOptions, RouteResult, StatusOptions } from './router';
import type { RouterEvents } from './router-events';
import { resolveRouterOptions, type ResolvedRouterOptions, type RouterClock, type RouterLimits, type RouterOptions } from './router-options';

/**
 * Creates a router over the given adapters. Validates the options (`InvalidArgumentError` names
 * the bad field) and checks every adapter; nothing is called until the first request.
 */
export function createRouter(options: RouterOptions): Router {
  return new AuroraRouter(resolveRouterOptions(options));
}

type HealthRecord = { healthy: boolean; latency_ms: number | null; checked_at: string; message: string | null };
type IdempotentRoute = { fingerprint: string; promise: Promise<RouteResult> };
type Budget = number | undefined;

/** Decisions (and their arm) remembered in process for getDecision() and the fill-rate gauge. */
const rememberedDecisions = 1_000;
const rememberedArms = 10_000;

class AuroraRouter extends EventEmitter<RouterEvents> implements Router {
  private readonly adapters: ReadonlyMap<string, ProviderAdapter>;
  private readonly adapterList: readonly ProviderAdapter[];
  private readonly policy: Policy;
  private readonly rulePolicy = new RulePolicy();
  private readonly defaults: Partial<RoutingRequestInput>;
  private readonly hasDefaults: boolean;
  private readonly weights: Weights;
  private readonly limits: RouterLimits;
  private readonly registry: DeploymentRegistry;
  private readonly clock: RouterClock;
  private readonly idGenerator: ((prefix: string) => string) | undefined;
  private readonly observeOutcomes: boolean;
  private readonly telemetry: RouterTelemetry;
  private readonly breaker: CircuitBreaker;
  private readonly source: OfferSource;
  private readonly lifecycle: DeploymentLifecycle;
  private readonly logger = diag.createComponentLogger({ namespace: '@aurora/router' });

  private readonly idempotentRoutes = new Map<string, IdempotentRoute>();
  private readonly routesInFlight = new Map<string, Promise<unknown>>();
  private readonly decisions = new RecentEntries<string, Decision>(rememberedDecisions);
  private readonly decisionArms = new RecentEntries<string, Arm>(rememberedArms);
  private readonly armOutcomes: Record<'rules' | 'ai', { filled: number; total: number }> = { rules: { filled: 0, total: 0 }, ai: { filled: 0, total: 0 } };
  private readonly active = new Map<string, string>();
  private readonly health = new Map<string, HealthRecord>();

  constructor(options: ResolvedRouterOptions) {
    super();
    this.adapterList = options.adapters;
    this.adapters = new Map(options.adapters.map((adapter) => [adapter.name, adapter]));
    this.policy = options.policy ?? this.rulePolicy;
    this.defaults = options.defaults;
    this.hasDefaults = Object.keys(options.defaults).length > 0;
    this.weights = options.weights;
    this.limits = options.limits;
    this.registry = options.registry ?? createInMemoryRegistry();
    this.clock = options.clock;
    this.idGenerator = options.generateId;
    this.observeOutcomes = options.observe_outcomes;
    this.telemetry = createRouterTelemetry(options.telemetry);

    const { limits, clock, telemetry } = this;
    this.breaker = new CircuitBreaker({ ...limits.circuit, clock, onTransition: (transition) => this.onCircuitTransition(transition) });
    this.source = new OfferSource({
      adapters: this.adapterList,
      cache: new OfferCache({ freshMs: limits.offer_cache_fresh_ms, maxAgeMs: limits.offer_cache_max_age_ms, maxEntries: limits.offer_cache_max_entries, clock }),
      breaker: this.breaker,
      limit: pLimit(limits.quote_concurrency),
      timeoutMs: limits.quote_timeout_ms,
      clock,
      telemetry,
    });
    this.lifecycle = new DeploymentLifecycle({
      adapters: this.adapters,
      registry: this.registry,
      clock,
      telemetry,
      callTimeoutMs: limits.adapter_call_timeout_ms,
      onSaved: (deployment) => this.track(deployment),
      onStatusChange: (event) => this.safeEmit('status-change', event),
      onSettled: (deployment, filled) => this.settle(deployment, filled, filled ? undefined : 'failed_before_running'),
      routeInFlight: (deploymentId) => this.routesInFlight.get(deploymentId),
    });
    telemetry.observeGauges(this.gaugeSource());
  }

  // ---- quote -------------------------------------------------------------------------------

  async quote(input: RoutingRequestInput, options: QuoteOptions = {}): Promise<QuoteResult> {
    const request = this.parseRequest(input);
    const weights = this.weightsFor(request);
    const budget = this.budgetFor(options.budget_usd);
    return this.telemetry.span(SPAN_AURORA_QUOTE, requestAttributes(request, options.tenant), async (span) => {
      const quote = await this.runQuote(request, weights, budget, options.signal, null);
      span.setAttributes(quoteAttributes(quote));
      return toQuoteResult(quote, this.limits);
    });
  }

  private async runQuote(request: RoutingRequest, weights: Weights, budget: Budget, signal: AbortSignal | undefined, decisionId: string | null): Promise<Quote> {
    const gathered = await this.source.gather(request, signal);
    if (signal?.aborted) throw abortedError('router', 'quote', signal.reason);
    const quote = await this.telemetry.span(SPAN_AURORA_SCORE, {}, async (span) => {
      const ranked = rankQuote(request, weights, gathered, {
        breaker: this.breaker, budgetUsd: budget, now: this.clock.now(), maxRejections: this.limits.max_recorded_rejections,
      });
      span.setAttributes(quoteAttributes(ranked));
      return ranked;
    });
    this.telemetry.recordOffers(quote.offers.length, quote.ranked.rejection_counts.by_reason);
    if (quote.ranked.rejections.length > 0 && this.listenerCount('offer-rejected') > 0) {
      const rejections = quote.ranked.rejections;
      const count = Math.min(rejections.length, this.limits.max_recorded_rejections);
      for (let index = 0; index < count; index++) this.safeEmit('offer-rejected', { ...rejections[index]!, decision_id: decisionId });
    }
    return quote;
  }

  // ---- route -------------------------------------------------------------------------------

  async route(input: RoutingRequestInput, options: RouteOptions = {}): Promise<RouteResult> {
    let request: RoutingRequest;
    let weights: Weights;
    let budget: Budget;
    try {
      request = this.parseRequest(input);
      weights = this.weightsFor(request);
      budget = this.budgetFor(options.budget_usd);
      checkRouteOptions(options);
    } catch (error) {
      this.telemetry.recordRoute(undefined, 'invalid', 0);
      throw error;
    }
    const key = options.idempotency_key;
    if (key === undefined) return this.routeOnce(request, weights, budget, options);
    // No cache and no registry to replay from: a key changes nothing here (the caller dedups, e.g. the server's ledger claims).
    if (this.limits.idempotency_cache_size === 0 && !this.registry.findByIdempotencyKey) return this.routeOnce(request, weights, budget, options);

    // Everything up to the map write is synchronous, so concurrent calls with one key see each other.
    const slot = `${options.tenant ?? ''}\u0000${key}`;
    const fingerprint = JSON.stringify(request);
    const existing = this.idempotentRoutes.get(slot);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new ConflictError({ message: `Idempotency key "${key}" was already used with a different request`, details: { idempotency_key: key } });
      }
      this.idempotentRoutes.delete(slot);
      this.idempotentRoutes.set(slot, existing);
      return existing.promise;
    }
    const promise = this.replayFromRegistry(key, options.tenant, weights).then((replayed) => replayed ?? this.routeOnce(request, weights, budget, options));
    this.idempotentRoutes.set(slot, { fingerprint, promise });
    // A failed route is forgotten, so that a retry with the same key routes again.
    promise.catch(() => {
      if (this.idempotentRoutes.get(slot)?.promise === promise) this.idempotentRoutes.delete(slot);
    });
    while (this.idempotentRoutes.size > this.limits.idempotency_cache_size) this.idempotentRoutes.delete(this.idempotentRoutes.keys().next().value!);
    return promise;
  }

  private async replayFromRegistry(key: string, tenant: string | undefined, weights: Weights): Promise<RouteResult | undefined> {
    if (!this.registry.findByIdempotencyKey) return undefined;
    let deployment: Deployment | undefined;
    try {
      deployment = await this.registry.findByIdempotencyKey(key, tenant);
    } catch (error) {
      throw registryError(error, `find idempotency key ${key}`);
    }
    // A failed route deployed nothing: its key may route again.
    if (!deployment || deployment.status === 'failed') return undefined;
    const decision = (await this.getDecision(deployment.decision_id)) ?? {
      decision_id: deployment.decision_id,
      created_at: deployment.created_at,
      chosen: null,
      candidates: [],
      rejections: [],
      rejection_counts: { by_reason: {}, by_provider: {} },
      weights,
      policy: { id: this.policy.id, version: this.policy.version },
      arm: 'rules',
      propensity: 0,
      shadow: null,
      attempts: [],
      adapter_failures: [],
      warnings: ['replayed from the deployment registry; the original decision record is not available'],
    };
    return { decision, deployment: withAccruedCost(deployment, this.clock.now()) };
  }

  private async routeOnce(request: RoutingRequest, weights: Weights, budget: Budget, options: RouteOptions): Promise<RouteResult> {
    const started = this.clock.now();
    const decisionId = this.newId('dec');
    const deploymentId = this.newId('dep');
    const tenant = options.tenant ?? null;
    const idempotencyKey = options.idempotency_key ?? null;
    const { signal } = options;
    this.safeEmit('route-start', { decision_id: decisionId, deployment_id: deploymentId, request, tenant, idempotency_key: idempotencyKey });

    const attributes = { ...requestAttributes(request, options.tenant), [ATTR_AURORA_DECISION_ID]: decisionId };
    const routing = this.telemetry.span(SPAN_AURORA_ROUTE, attributes, async (span) => {
      const finish = (status: 'deployed' | 'failed' | 'no_eligible', provider: string | null, deployment: string | null, attempts: number, error: AuroraError | null) => {
        const durationMs = this.clock.now() - started;
        span.setAttribute(ATTR_AURORA_ROUTE_STATUS, status);
        this.telemetry.recordRoute(provider ?? undefined, status, durationMs / 1000);
        this.safeEmit('route-end', { decision_id: decisionId, deployment_id: deployment, status, provider, duration_ms: durationMs, attempts, error });
      };

      let quote: Quote;
      try {
        quote = await this.runQuote(request, weights, budget, signal, decisionId);
      } catch (error) {
        finish('failed', null, null, 0, error as AuroraError);
        throw error;
      }
      const { candidates } = quote.ranked;
      if (candidates.length === 0) {
        const error = new NoEligibleOfferError({ rejections: { total_offers: quote.offers.length, ...quote.ranked.rejection_counts } });
        Object.assign(error.details, { decision_id: decisionId, adapter_failures: quote.adapter_failures });
        finish('no_eligible', null, null, 0, error);
        throw error;
      }

      const context = { decision_id: decisionId, request, weights, now: this.clock.now(), ...(options.tenant !== undefined ? { tenant: options.tenant } : {}), ...(idempotencyKey !== null ? { idempotency_key: idempotencyKey } : {}) };
      const decided = await this.telemetry.span(SPAN_AURORA_POLICY_DECIDE, { [ATTR_AURORA_POLICY_ID]: this.policy.id, [ATTR_AURORA_CANDIDATES_COUNT]: candidates.length }, async (policySpan) => {
        const result = await decideWithPolicy(this.policy, this.rulePolicy, context, candidates);
        if (result.policyError) {
          policySpan.recordException(result.policyError);
          policySpan.setStatus({ code: SpanStatusCode.ERROR, message: result.policyError.message });
        }
        const { choice } = result;
        policySpan.setAttributes({
          [ATTR_AURORA_ARM]: choice.arm,
          [ATTR_AURORA_PROPENSITY]: choice.propensity,
          [ATTR_AURORA_POLICY_VERSION]: String(choice.policy_version),
          ...(choice.shadow ? { [ATTR_AURORA_SHADOW_POLICY_ID]: choice.shadow.policy_id, [ATTR_AURORA_SHADOW_OFFER_ID]: candidates[choice.shadow.index]!.offer.offer_id } : {}),
        });
        return result;
      });
      const { choice } = decided;
      const chosen = candidates[choice.index]!;
      if (choice.arm !== 'rules') this.telemetry.recordAiDecision(choice.arm);
      if (choice.shadow) this.telemetry.recordAiDecision('shadow');

      const createdAt = new Date(started).toISOString();
      const intent: Deployment = {
        deployment_id: deploymentId,
        provider: chosen.offer.provider,
        provider_deployment_id: null,
        offer_id: chosen.offer.offer_id,
        status: 'pending',
        provider_status: null,
        gpu_type: chosen.offer.gpu_type,
        gpu_count: chosen.offer.gpu_count,
        region: chosen.offer.region,
        price_usd_per_hour: chosen.offer.price_usd_per_hour,
        cost_usd: 0,
        endpoint: null,
        tenant,
        idempotency_key: idempotencyKey,
        decision_id: decisionId,
        created_at: createdAt,
        updated_at: createdAt,
        started_at: null,
        ended_at: null,
        error: null,
      };
      const deploying = deployWithFailover(
        {
          adapters: this.adapters,
          breaker: this.breaker,
          registry: this.trackingRegistry,
          telemetry: this.telemetry,
          clock: this.clock,
          maxAttempts: this.limits.max_deploy_attempts,
          deployTimeoutMs: this.limits.deploy_timeout_ms,
          onFailover: (event) => this.safeEmit('failover', event),
        },
        { quote, first: chosen, deployment: intent, deadline: started + this.limits.route_deadline_ms, signal },
      );
      let outcome: Awaited<typeof deploying>;
      try {
        outcome = await deploying;
      } catch (error) {
        // The registry failed: nothing was deployed after the failed write.
        finish('failed', null, deploymentId, 0, error as AuroraError);
        throw error;
      }

      const recorded = boundedRecord(quote, this.limits, chosen);
      const decision: Decision = {
        decision_id: decisionId,
        created_at: createdAt,
        chosen: chosen.offer,
        candidates: recorded.candidates,
        rejections: recorded.rejections,
        rejection_counts: quote.ranked.rejection_counts,
        weights,
        policy: { id: typeof choice.policy_id === 'string' ? choice.policy_id : this.policy.id, version: String(choice.policy_version ?? this.policy.version) },
        arm: choice.arm,
        propensity: choice.propensity,
        shadow: choice.shadow
          ? { policy: { id: choice.shadow.policy_id, version: choice.shadow.policy_version }, offer_id: candidates[choice.shadow.index]!.offer.offer_id, propensity: choice.shadow.propensity }
          : null,
        attempts: outcome.attempts,
        adapter_failures: quote.adapter_failures,
        warnings: decided.warnings.length > 0 ? [...recorded.warnings, ...decided.warnings] : recorded.warnings,
      };
      span.setAttribute(ATTR_AURORA_DEPLOYMENT_ID, deploymentId);
      if (outcome.ok) {
        try {
          await this.saveDeployed(outcome.deployment, decision);
        } catch (error) {
          // The provider's id is not recorded: the reconciler finds the deployment by its intent.
          finish('failed', null, deploymentId, outcome.attempts.length, error as AuroraError);
          throw error;
        }
      } else {
        await this.remember(decision);
      }

      if (!outcome.ok) {
        Object.assign(outcome.error.details, { decision_id: decisionId, deployment_id: deploymentId });
        this.safeEmit('deploy-failed', { decision_id: decisionId, deployment_id: deploymentId, error: outcome.error, attempts: outcome.attempts });
        this.settle(outcome.deployment, false, outcome.error.reason);
        finish('failed', outcome.deployment.provider, deploymentId, outcome.attempts.length, outcome.error);
        throw outcome.error;
      }
      span.setAttribute(ATTR_AURORA_PROVIDER, outcome.deployment.provider);
      if (outcome.deployment.status === 'running') this.settle(outcome.deployment, true, undefined);
      finish('deployed', outcome.deployment.provider, deploymentId, outcome.attempts.length, null);
      return { decision, deployment: outcome.deployment };
    });
    // terminate() of this deployment id waits for the route's verdict.
    this.routesInFlight.set(deploymentId, routing);
    routing.then(
      () => this.routesInFlight.delete(deploymentId),
      () => this.routesInFlight.delete(deploymentId),
    );
    return routing;
  }

  /** The registry, plus the live-deployment count of the gauges. */
  private readonly trackingRegistry: DeploymentRegistry = {
    get: (id) => this.registry.get(id),
    save: async (deployment) => {
      await this.registry.save(deployment);
      this.track(deployment);
    },
  };

  // ---- deployments -------------------------------------------------------------------------

  status(deploymentId: string, options: StatusOptions = {}): Promise<Deployment> {
    return this.lifecycle.status(deploymentId, options.known);
  }

  logs(deploymentId: string, options?: LogsOptions): AsyncIterable<LogLine> {
    return this.lifecycle.logs(deploymentId, options);
  }

  terminate(deploymentId: string): Promise<Deployment> {
    return this.lifecycle.terminate(deploymentId);
  }

  async getDecision(decisionId: string): Promise<Decision | undefined> {
    return this.decisions.get(decisionId) ?? (await this.registry.getDecision?.(decisionId));
  }

  // ---- providers ---------------------------------------------------------------------------

  providers(): ProviderHealth[] {
    return this.adapterList.map((adapter) => this.providerHealth(adapter));
  }

  async checkHealth(provider?: string): Promise<ProviderHealth[]> {
    let targets = this.adapterList;
    if (provider !== undefined) {
      const adapter = this.adapters.get(provider);
      if (!adapter) throw new NotFoundError({ resource: 'provider', id: provider });
      targets = [adapter];
    }
    await Promise.all(targets.map((adapter) => this.checkOne(adapter)));
    return targets.map((adapter) => this.providerHealth(adapter));
  }

  private async checkOne(adapter: ProviderAdapter): Promise<void> {
    const provider = adapter.name;
    // An open circuit (e.g. a Retry-After) is respected: no health call until it lets a probe through.
    if (!this.breaker.tryAcquire(provider)) return;
    const started = this.clock.now();
    const checkedAt = () => new Date(this.clock.now()).toISOString();
    try {
      const result = await this.telemetry.span(SPAN_AURORA_ADAPTER_HEALTH_CHECK, { [ATTR_AURORA_PROVIDER]: provider }, () =>
        callAdapter(
          { provider, operation: 'health_check', timeoutMs: this.limits.adapter_call_timeout_ms, clock: this.clock, telemetry: this.telemetry },
          (signal) => adapter.healthCheck({ signal }),
        ),
      );
      const healthy = result?.healthy === true;
      const latency = typeof result?.latency_ms === 'number' && result.latency_ms >= 0 ? result.latency_ms : this.clock.now() - started;
      const message = typeof result?.message === 'string' ? result.message : null;
      if (healthy) this.breaker.recordSuccess(provider);
      else {
        this.breaker.recordFailure(
          provider,
          undefined,
          new AdapterCallError({ message: message ?? `${provider} reports unhealthy`, adapterId: provider, operation: 'health_check', isRetryable: true, reason: 'unhealthy' }),
        );
      }
      this.health.set(provider, { healthy, latency_ms: latency, checked_at: checkedAt(), message });
    } catch (error) {
      this.breaker.recordFailure(provider, undefined, error);
      this.health.set(provider, { healthy: false, latency_ms: null, checked_at: checkedAt(), message: (error as Error).message });
    }
  }

  private providerHealth(adapter: ProviderAdapter): ProviderHealth {
    const provider = adapter.name;
    const record = this.health.get(provider);
    const circuit = this.breaker.snapshot(provider);
    const open = circuit.state === 'open';
    return {
      provider,
      healthy: (record?.healthy ?? true) && !open,
      circuit: circuit.state,
      latency_ms: record?.latency_ms ?? null,
      checked_at: record?.checked_at ?? null,
      consecutive_failures: circuit.consecutive_failures,
      message: open ? `circuit open until ${new Date(circuit.retry_at!).toISOString()}` : (record?.message ?? null),
      simulated: adapter.simulated === true,
    };
  }

  // ---- outcomes ----------------------------------------------------------------------------

  async recordOutcome(input: OutcomeInput): Promise<Outcome> {
    const outcome = parseOrThrow(outcomeSchema, input, 'outcome');
    this.countOutcome(outcome);
    this.safeEmit('outcome', outcome);
    try {
      await this.policy.observe?.(outcome);
    } catch (error) {
      throw PolicyError.isInstance(error)
        ? error
        : new PolicyError({ message: `Policy ${this.policy.id} failed to observe ${outcome.decision_id}: ${(error as Error)?.message ?? String(error)}`, policyId: this.policy.id, cause: error });
    }
    return outcome;
  }

  /** An automatic outcome (see `observe_outcomes`): policy errors are logged, never thrown. */
  private settle(deployment: Deployment, filled: boolean, failureReason: string | undefined): void {
    if (!this.observeOutcomes) return;
    const now = this.clock.now();
    const outcome: Outcome = {
      decision_id: deployment.decision_id,
      deployment_id: deployment.deployment_id,
      provider: deployment.provider,
      offer_id: deployment.offer_id,
      filled,
      observed_at: new Date(now).toISOString(),
      ...(filled ? { time_to_running_ms: Math.max(0, now - Date.parse(deployment.created_at)) } : {}),
      ...(failureReason !== undefined ? { failure_reason: failureReason } : {}),
    };
    this.countOutcome(outcome);
    this.safeEmit('outcome', outcome);
    Promise.resolve()
      .then(() => this.policy.observe?.(outcome))
      .catch((error: unknown) => this.logger.warn(`policy ${this.policy.id} failed to observe ${outcome.decision_id}`, error));
  }

  private countOutcome(outcome: Outcome): void {
    const arm = this.decisionArms.get(outcome.decision_id);
    if (arm !== 'rules' && arm !== 'ai') return;
    this.armOutcomes[arm].total += 1;
    if (outcome.filled) this.armOutcomes[arm].filled += 1;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  async close(): Promise<void> {
    await Promise.allSettled(this.adapterList.map((adapter) => adapter.close?.()));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private parseRequest(input: RoutingRequestInput): RoutingRequest {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new InvalidArgumentError({ message: 'Invalid routing request: expected an object', issues: [{ field: '(root)', reason: 'expected an object' }] });
    }
    return parseOrThrow(routingRequestSchema, this.hasDefaults ? { ...this.defaults, ...input } : input, 'routing request');
  }

  private weightsFor(request: RoutingRequest): Weights {
    if (request.weights === undefined) return this.weights;
    const weights = normalizeWeights(request.weights, this.weights);
    if (!weights) throw new InvalidArgumentError({ issues: [{ field: 'weights', reason: 'at least one weight must be above zero' }] });
    return weights;
  }

  private budgetFor(requested: number | undefined): Budget {
    if (requested !== undefined && !(typeof requested === 'number' && Number.isFinite(requested) && requested > 0)) {
      throw new InvalidArgumentError({ issues: [{ field: 'budget_usd', reason: 'must be a positive number' }] });
    }
    const configured = this.limits.budget_per_request_usd;
    if (requested === undefined) return configured;
    return configured === undefined ? requested : Math.min(configured, requested);
  }

  private newId(prefix: string): string {
    return this.idGenerator ? prefixedId(this.idGenerator, prefix) : generateRandomId(prefix, this.clock.now());
  }

  private async remember(decision: Decision): Promise<void> {
    this.rememberLocally(decision);
    try {
      await this.registry.saveDecision?.(decision);
    } catch (error) {
      decision.warnings.push(`the registry failed to save this decision: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /**
   * Records a successful deploy: the deployment with its provider id, then the decision. With a
   * registry that has `saveRoute`, both in one write; otherwise `save`, then `saveDecision`
   * (whose failure only adds a warning to the decision).
   */
  private async saveDeployed(deployment: Deployment, decision: Decision): Promise<void> {
    if (!this.registry.saveRoute) {
      await saveToRegistry(this.trackingRegistry, deployment);
      await this.remember(decision);
      return;
    }
    this.rememberLocally(decision);
    try {
      await this.registry.saveRoute(deployment, decision);
    } catch (error) {
      throw registryError(error, `save ${deployment.deployment_id}`);
    }
    this.track(deployment);
  }

  private rememberLocally(decision: Decision): void {
    this.decisions.set(decision.decision_id, decision);
    this.decisionArms.set(decision.decision_id, decision.arm);
  }

  private track(deployment: Deployment): void {
    if (deployment.status === 'completed' || deployment.status === 'failed' || deployment.status === 'terminated') this.active.delete(deployment.deployment_id);
    else this.active.set(deployment.deployment_id, deployment.provider);
  }

  private onCircuitTransition(transition: CircuitTransition): void {
    if (transition.to === 'open') this.safeEmit('circuit-open', transition);
    else if (transition.to === 'closed') this.safeEmit('circuit-close', transition);
  }

  /** A throwing listener must not break a route: it is logged through the OpenTelemetry diag logger. */
  private safeEmit<Event extends keyof RouterEvents>(event: Event, ...args: RouterEvents[Event]): void {
    try {
      (this.emit as (event: Event, ...args: RouterEvents[Event]) => boolean)(event, ...args);
    } catch (error) {
      this.logger.warn(`a "${event}" listener threw`, error);
    }
  }

  private gaugeSource(): RouterGaugeSource {
    return {
      activeDeployments: () => {
        const counts: Record<string, number> = {};
        for (const adapter of this.adapterList) counts[adapter.name] = 0;
        for (const provider of this.active.values()) counts[provider] = (counts[provider] ?? 0) + 1;
        return counts;
      },
      providerHealth: () => this.providers().map(({ provider, healthy, latency_ms }) => ({ provider, healthy, latency_ms })),
      capacity: () => {
        const capacity: Record<string, number> = {};
        for (const [provider, market] of this.source.marketSnapshot()) capacity[provider] = market.capacity;
        return capacity;
      },
      costUsd: () => {
        const costs: Array<{ provider: string; gpu_type: string; value: number }> = [];
        for (const [provider, market] of this.source.marketSnapshot()) {
          for (const [gpuType, value] of market.cheapest) costs.push({ provider, gpu_type: gpuType, value });
        }
        return costs;
      },
      aiReward: () => {
        const source = this.policy as { lastReward?: () => number | undefined };
        return typeof source.lastReward === 'function' ? source.lastReward() : undefined;
      },
      aiFillRateImprovement: () => {
        const source = this.policy as { fillRateImprovement?: () => number | undefined };
        if (typeof source.fillRateImprovement === 'function') return source.fillRateImprovement();
        const { ai, rules } = this.armOutcomes;
        return ai.total > 0 && rules.total > 0 ? ai.filled / ai.total - rules.filled / rules.total : undefined;
      },
    };
  }
}

function checkRouteOptions(options: RouteOptions): void {
  const key = options.idempotency_key;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 255)) {
    throw new InvalidArgumentError({ issues: [{ field: 'idempotency_key', reason: 'must be a string of 1 to 255 characters' }] });
  }
  if (options.tenant !== undefined && (typeof options.tenant !== 'string' || options.tenant.length === 0)) {
    throw new InvalidArgumentError({ issues: [{ field: 'tenant', reason: 'must be a non-empty string' }] });
  }
}

function requestAttributes(request: RoutingRequest, tenant: string | undefined): Attributes {
  return {
    [ATTR_AURORA_WORKLOAD_TYPE]: request.workload_type,
    [ATTR_AURORA_GPU_TYPE]: request.gpu_type,
    [ATTR_AURORA_GPU_COUNT]: request.gpu_count,
    [ATTR_AURORA_REGION]: request.region,
    ...(tenant !== undefined ? { [ATTR_AURORA_TENANT]: tenant } : {}),
  };
}

function quoteAttributes(quote: Quote): Attributes {
  return {
    [ATTR_AURORA_OFFERS_COUNT]: quote.offers.length,
    [ATTR_AURORA_CANDIDATES_COUNT]: quote.ranked.candidates.length,
    [ATTR_AURORA_REJECTIONS_COUNT]: quote.ranked.rejected_count,
  };
}
