import type { DeployResultV1, ProviderAdapter } from '../adapter/provider-adapter-v1';
import { AdapterCallError } from '../errors/adapter-call-error';
import type { AuroraError } from '../errors/aurora-error';
import { DeployFailedError, type DeployFailureReason } from '../errors/deploy-failed-error';
import { InvalidResponseDataError } from '../errors/invalid-response-data-error';
import type { DeployAttempt, ScoredCandidate } from '../schemas/decision';
import { deploymentStatusSchema, type Deployment, type DeploymentStatus } from '../schemas/deployment';
import type { Offer } from '../schemas/offer';
import { filterOffers } from '../scorer/filter-offers';
import { scoreOffers } from '../scorer/score-offers';
import type { RouterTelemetry } from '../telemetry/router-telemetry';
import {
  ATTR_AURORA_ATTEMPT, ATTR_AURORA_DECISION_ID, ATTR_AURORA_DEPLOYMENT_ID, ATTR_AURORA_GPU_TYPE, ATTR_AURORA_OFFER_ID,
  ATTR_AURORA_PRICE_USD_PER_HOUR, ATTR_AURORA_PROVIDER, ATTR_AURORA_PROVIDER_DEPLOYMENT_ID, SPAN_AURORA_DEPLOY,
} from '../telemetry/semconv';
import { abortedError, callAdapter, toAuroraError } from './call-adapter';
import type { CircuitBreaker } from './circuit-breaker';
import type { Quote } from './quote-offers';
import type { FailoverEvent } from './router-events';
import type { RouterClock } from './router-options';
import { saveToRegistry, type DeploymentRegistry } from './deployment-registry';

export type FailoverDependencies = {
  adapters: ReadonlyMap<string, ProviderAdapter>;
  breaker: CircuitBreaker;
  registry: DeploymentRegistry;
  telemetry: RouterTelemetry;
  clock: RouterClock;
  maxAttempts: number;
  deployTimeoutMs: number;
  onFailover: (event: FailoverEvent) => void;
};

export type FailoverInput = {
  quote: Quote;
  /** The policy's pick: tried first. */
  first: ScoredCandidate;
  /** The record to fill in: ids, tenant, idempotency key, decision id, created_at. */
  deployment: Deployment;
  /** Epoch ms after which no attempt starts and a running one is cut short. */
  deadline: number;
  signal?: AbortSignal | undefined;
};

export type FailoverResult =
  /** `deployment` (with the provider's id) is not saved yet: the caller saves it at once, with the decision. */
  | { ok: true; deployment: Deployment; offer: Offer; attempts: DeployAttempt[] }
  | { ok: false; deployment: Deployment; error: DeployFailedError; attempts: DeployAttempt[] };

/**
 * Deploys the policy's pick, failing over along the ranking (design.md section 4, step 5).
 *
 * Before each `adapter.deploy` the intent is saved (`pending`, provider and offer set, no provider
 * id). A success returns the deployment with the provider's id and status for the caller to save
 * right away, together with its decision (see `DeploymentRegistry.saveRoute`). A retryable failure blocks the offer (or
 * the provider, for errors with `scope: 'provider'`) for this route, counts against the circuit
 * breaker, and the remaining candidates are re-ranked (scores are relative, so removing one can
 * reorder the rest) to pick the next. Stops on a non-retryable error, after `maxAttempts`, at
 * the deadline or when the caller aborts. Every attempt is returned for the decision record.
 */
export async function deployWithFailover(dependencies: FailoverDependencies, input: FailoverInput): Promise<FailoverResult> {
  const { adapters, breaker, registry, telemetry, clock, maxAttempts, deployTimeoutMs } = dependencies;
  const { quote, deadline, signal } = input;
  const { request } = quote;
  const blocked = new Set<string>();
  const attempts: DeployAttempt[] = [];
  const errors: AuroraError[] = [];
  let record = input.deployment;
  let offer: Offer | undefined = input.first.offer;
  let stop: DeployFailureReason | undefined;

  const nextCandidate = (): Offer | undefined => {
    const remaining = filterOffers(request, quote.ranked.candidates.map((candidate) => candidate.offer), {
      ...quote.filter,
      blocked,
      isCircuitOpen: (provider, gpuType) => !breaker.allows(provider, gpuType),
    });
    return scoreOffers(remaining.eligible, quote.weights)[0]?.offer;
  };

  while (offer) {
    if (signal?.aborted) {
      errors.push(abortedError(offer.provider, 'deploy', signal.reason));
      stop = 'aborted';
      break;
    }
    const remainingMs = deadline - clock.now();
    if (remainingMs <= 0) {
      stop = 'deadline';
      break;
    }
    if (!breaker.tryAcquire(offer.provider, offer.gpu_type)) {
      // Another route holds the half-open probe of this provider (+ GPU type): not an attempt.
      blocked.add(offerKey(offer));
      offer = nextCandidate();
      continue;
    }

    const current: Offer = offer;
    const attempt = attempts.length + 1;
    const startedAt = clock.now();
    record = {
      ...record,
      provider: current.provider,
      provider_deployment_id: null,
      offer_id: current.offer_id,
      status: 'pending',
      provider_status: null,
      gpu_type: current.gpu_type,
      gpu_count: current.gpu_count,
      region: current.region,
      price_usd_per_hour: current.price_usd_per_hour,
      endpoint: null,
      error: null,
      updated_at: new Date(startedAt).toISOString(),
    };
    try {
      await saveToRegistry(registry, record);
    } catch (error) {
      breaker.release(current.provider, current.gpu_type);
      throw error;
    }

    const adapter = adapters.get(current.provider)!;
    const cutByDeadline = remainingMs < deployTimeoutMs;
    try {
      const result = await telemetry.span(
        SPAN_AURORA_DEPLOY,
        {
          [ATTR_AURORA_PROVIDER]: current.provider,
          [ATTR_AURORA_OFFER_ID]: current.offer_id,
          [ATTR_AURORA_GPU_TYPE]: current.gpu_type,
          [ATTR_AURORA_ATTEMPT]: attempt,
          [ATTR_AURORA_DEPLOYMENT_ID]: record.deployment_id,
          [ATTR_AURORA_DECISION_ID]: record.decision_id,
          [ATTR_AURORA_PRICE_USD_PER_HOUR]: current.price_usd_per_hour,
        },
        async (span) => {
          const answer = await callAdapter(
            {
              provider: current.provider, operation: 'deploy', timeoutMs: Math.min(deployTimeoutMs, remainingMs), signal, clock, telemetry,
              timeoutReason: cutByDeadline ? 'deadline' : 'timeout',
            },
            (callSignal) => adapter.deploy(request, current, { signal: callSignal, idempotency_key: `${record.deployment_id}-${attempt}` }),
          );
          const checked = checkDeployResult(current.provider, answer);
          span.setAttribute(ATTR_AURORA_PROVIDER_DEPLOYMENT_ID, checked.provider_deployment_id);
          return checked;
        },
      );
      breaker.recordSuccess(current.provider, current.gpu_type);
      const endedAt = clock.now();
      attempts.push(attemptRecord(attempt, current, startedAt, endedAt));
      const now = new Date(endedAt).toISOString();
      record = {
        ...record,
        provider_deployment_id: result.provider_deployment_id,
        status: result.status,
        provider_status: result.provider_status,
        endpoint: result.endpoint ?? null,
        price_usd_per_hour: result.price_usd_per_hour ?? current.price_usd_per_hour,
        cost_usd: Math.max(record.cost_usd, result.committed_cost_usd ?? 0),
        started_at: result.status === 'running' ? now : null,
        updated_at: now,
      };
      return { ok: true, deployment: record, offer: current, attempts };
    } catch (caught) {
      const failure = toAuroraError(caught, current.provider, 'deploy');
      errors.push(failure);
      attempts.push(attemptRecord(attempt, current, startedAt, clock.now(), failure));
      const scope = AdapterCallError.isInstance(failure) && failure.scope === 'provider' ? 'provider' : 'offer';
      breaker.recordFailure(current.provider, current.gpu_type, failure, scope);
      telemetry.recordFailure(current.provider, failureReason(failure));

      if (signal?.aborted) stop = 'aborted';
      else if (AdapterCallError.isInstance(failure) && failure.reason === 'deadline') stop = 'deadline';
      else if (!failure.isRetryable) stop = 'not_retryable';
      if (stop) break;

      blocked.add(scope === 'provider' ? current.provider : offerKey(current));
      if (attempts.length >= maxAttempts) stop = 'max_attempts';
      else if (clock.now() >= deadline) stop = 'deadline';
      offer = stop ? undefined : nextCandidate();
      dependencies.onFailover({
        decision_id: record.decision_id,
        deployment_id: record.deployment_id,
        attempt,
        provider: current.provider,
        offer_id: current.offer_id,
        error: failure,
        blocked: scope,
        next: offer ? { provider: offer.provider, offer_id: offer.offer_id } : null,
      });
    }
  }

  const error = new DeployFailedError({
    reason: stop ?? 'no_candidates_left',
    errors,
    message: `Deploy failed for ${record.deployment_id} after ${attempts.length} attempt(s) (${stop ?? 'no_candidates_left'})${
      errors.length > 0 ? `: ${errors.at(-1)!.message}` : ''
    }`,
  });
  const endedAt = new Date(clock.now()).toISOString();
  record = { ...record, status: 'failed', error: error.message, ended_at: endedAt, updated_at: endedAt };
  // The failure is the news here: a registry that cannot record it must not hide it.
  await saveToRegistry(registry, record).catch(() => {});
  return { ok: false, deployment: record, error, attempts };
}

function offerKey(offer: Offer): string {
  return `${offer.provider}/${offer.offer_id}`;
}

/** The low-cardinality reason of `aurora_route_failures_total`: `http_503`, `timeout`, ... or the error code. */
export function failureReason(error: AuroraError): string {
  return AdapterCallError.isInstance(error) ? error.reason : error.code;
}

function attemptRecord(attempt: number, offer: Offer, startedAt: number, endedAt: number, error?: AuroraError): DeployAttempt {
  return {
    attempt,
    provider: offer.provider,
    offer_id: offer.offer_id,
    started_at: new Date(startedAt).toISOString(),
    ended_at: new Date(endedAt).toISOString(),
    result: error ? 'failed' : 'deployed',
    ...(error ? { error: { code: error.code, message: error.message, retryable: error.isRetryable } } : {}),
  };
}

/**
 * A deploy answer without a provider id is unusable (and retryable: the provider may answer
 * properly next time). An unknown status with a valid id is kept as `provisioning`: the deployment
 * exists and status polling will tell more.
 */
function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkDeployResult(provider: string, result: DeployResultV1): DeployResultV1 & { status: DeploymentStatus } {
  if (result === null || typeof result !== 'object' || typeof result.provider_deployment_id !== 'string' || result.provider_deployment_id.length === 0) {
    throw new InvalidResponseDataError({ message: `${provider}.deploy returned no provider_deployment_id`, adapterId: provider });
  }
  const status = deploymentStatusSchema.safeParse(result.status);
  const price = result.price_usd_per_hour;
  const committed = result.committed_cost_usd;
  return {
    ...result,
    price_usd_per_hour: isAmount(price) ? price : undefined,
    committed_cost_usd: isAmount(committed) ? Math.round(committed * 1e6) / 1e6 : undefined,
    status: status.success ? status.data : 'provisioning',
    provider_status: typeof result.provider_status === 'string' ? result.provider_status : String(result.status),
  };
}
