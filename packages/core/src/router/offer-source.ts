import { ROOT_CONTEXT, context as otelContext } from '@opentelemetry/api';
import type { LimitFunction } from 'p-limit';
import type { ProviderAdapter } from '../adapter/provider-adapter-v1';
import { InvalidResponseDataError } from '../errors/invalid-response-data-error';
import { offerSchema, type Offer } from '../schemas/offer';
import type { RoutingRequest } from '../schemas/routing-request';
import type { RouterTelemetry } from '../telemetry/router-telemetry';
import { ATTR_AURORA_CACHE_STATE, ATTR_AURORA_OFFERS_COUNT, ATTR_AURORA_PROVIDER, SPAN_AURORA_ADAPTER_LIST_OFFERS } from '../telemetry/semconv';
import { callAdapter } from './call-adapter';
import type { CircuitBreaker } from './circuit-breaker';
import type { FetchedOffers, OfferCache } from './offer-cache';
import type { RouterClock } from './router-options';

export type AdapterFailure = { provider: string; code: string; message: string };

export type GatheredOffers = {
  /** Validated offers of every provider, in adapter order. Shared with the cache: do not mutate. */
  offers: readonly Offer[];
  adapter_failures: AdapterFailure[];
  warnings: string[];
};

export type OfferSourceOptions = {
  adapters: readonly ProviderAdapter[];
  cache: OfferCache;
  breaker: CircuitBreaker;
  limit: LimitFunction;
  timeoutMs: number;
  clock: RouterClock;
  telemetry: RouterTelemetry;
};

/** What the market gauges show: capacity per provider, cheapest USD per GPU-hour per GPU type. */
export type MarketSnapshot = { capacity: number; cheapest: Map<string, number> };

/** Warnings about one adapter's answer beyond this many are summarised in one line. */
const maximumWarningsPerAdapter = 20;

const emptyOffers: readonly Offer[] = Object.freeze([]);

/**
 * Asks every adapter for offers: concurrently (p-limit), each call under its timeout, through the
 * stale-while-revalidate cache. A provider whose circuit is open is not asked; its cached offers (if
 * any) are still returned so that the filter rejects them as `circuit_open`. A half-open provider
 * gets one real call, its probe, whatever the cache holds.
 */
export class OfferSource {
  private readonly options: OfferSourceOptions;
  private readonly market = new Map<string, MarketSnapshot>();
  /** Per request shape, the last providers' lists and their concatenation, reused while the lists are the same. */
  private readonly merged = new Map<string, { lists: ReadonlyArray<readonly Offer[]>; offers: readonly Offer[] }>();

  constructor(options: OfferSourceOptions) {
    this.options = options;
  }

  async gather(request: RoutingRequest, signal: AbortSignal | undefined): Promise<GatheredOffers> {
    const { adapters, cache, breaker, clock } = this.options;
    const now = clock.now();
    const shape = requestShapeKey(request);
    const lists: Array<readonly Offer[]> = new Array(adapters.length);
    const failures: AdapterFailure[] = [];
    const warnings: string[] = [];
    let pending: Array<Promise<void>> | undefined;

    for (let index = 0; index < adapters.length; index++) {
      const adapter = adapters[index]!;
      const provider = adapter.name;
      const key = `${provider}\u0000${shape}`;
      const entry = cache.peek(key, now);
      const circuit = breaker.allClosed ? 'closed' : breaker.state(provider);

      if (circuit === 'closed' && entry !== undefined) {
        lists[index] = entry.offers;
        if (entry.warnings.length > 0) warnings.push(...entry.warnings);
        if (!cache.isFresh(entry, now)) {
          if (entry.refreshError) warnings.push(`${provider}: refresh failed (${entry.refreshError.message}); serving offers ${Math.round((now - entry.fetchedAt) / 1000)} s old`);
          cache.refresh(key, (refreshSignal) => otelContext.with(ROOT_CONTEXT, () => this.fetch(adapter, request, refreshSignal, 'refresh')));
        }
        continue;
      }
      if (circuit === 'open' || !breaker.tryAcquire(provider)) {
        lists[index] = entry?.offers ?? emptyOffers;
        warnings.push(`${provider}: not asked, circuit ${circuit === 'open' ? 'open' : 'half-open with its probe in flight'}`);
        continue;
      }
      (pending ??= []).push(
        cache.load(key, provider, (fetchSignal) => this.fetch(adapter, request, fetchSignal, entry ? 'probe' : 'miss'), signal).then(
          (loaded) => {
            lists[index] = loaded.offers;
            if (loaded.warnings.length > 0) warnings.push(...loaded.warnings);
          },
          (error: unknown) => {
            lists[index] = emptyOffers;
            failures.push(describeFailure(provider, error));
          },
        ),
      );
    }
    if (pending) await Promise.all(pending);
    return { offers: this.concatenate(shape, lists), adapter_failures: failures, warnings };
  }

  /** The lists one after the other: the same array as last time for this shape when no list changed. */
  private concatenate(shape: string, lists: ReadonlyArray<readonly Offer[]>): readonly Offer[] {
    if (lists.length === 1) return lists[0]!;
    const last = this.merged.get(shape);
    if (last && last.lists.length === lists.length && last.lists.every((list, index) => list === lists[index])) return last.offers;
    const offers = lists.flat();
    this.merged.delete(shape);
    this.merged.set(shape, { lists, offers });
    if (this.merged.size > mergedShapes) this.merged.delete(this.merged.keys().next().value!);
    return offers;
  }

  /** The latest fetched offers summarised per provider, for the capacity and cost gauges. */
  marketSnapshot(): ReadonlyMap<string, MarketSnapshot> {
    return this.market;
  }

  private fetch(adapter: ProviderAdapter, request: RoutingRequest, signal: AbortSignal, cacheState: string): Promise<FetchedOffers> {
    const { breaker, limit, telemetry, timeoutMs, clock } = this.options;
    const provider = adapter.name;
    return limit(() =>
      telemetry.span(SPAN_AURORA_ADAPTER_LIST_OFFERS, { [ATTR_AURORA_PROVIDER]: provider, [ATTR_AURORA_CACHE_STATE]: cacheState }, async (span) => {
        try {
          const result = await callAdapter(
            { provider, operation: 'list_offers', timeoutMs, signal, clock, telemetry },
            (callSignal) => adapter.listOffers(request, { signal: callSignal }),
          );
          const fetched = validateOffers(provider, result);
          span.setAttribute(ATTR_AURORA_OFFERS_COUNT, fetched.offers.length);
          breaker.recordSuccess(provider);
          this.market.set(provider, summarise(fetched.offers));
          return fetched;
        } catch (error) {
          breaker.recordFailure(provider, undefined, error);
          throw error;
        }
      }),
    );
  }
}

/** Request shapes whose concatenated offers are remembered. */
const mergedShapes = 256;

/** The request fields that change what a provider offers. */
export function requestShapeKey(request: RoutingRequest): string {
  return `${request.gpu_type}|${request.gpu_count}|${request.region}|${request.gpu_memory_gb ?? ''}|${request.allow_interruptible ? 1 : 0}`;
}

/** Keeps offers that parse with `offerSchema` and belong to this provider; the rest become warnings. */
export function validateOffers(provider: string, result: unknown): FetchedOffers {
  const answer = result as { offers?: unknown; warnings?: unknown } | null | undefined;
  if (answer === null || typeof answer !== 'object' || !Array.isArray(answer.offers)) {
    throw new InvalidResponseDataError({ message: `${provider}.listOffers did not return { offers: [...] }`, adapterId: provider });
  }
  const offers: Offer[] = [];
  const warnings: string[] = [];
  let dropped = 0;
  const warn = (message: string) => {
    dropped += 1;
    if (warnings.length < maximumWarningsPerAdapter) warnings.push(`${provider}: ${message}`);
  };
  for (const raw of answer.offers as unknown[]) {
    const parsed = offerSchema.safeParse(raw);
    const offerId = typeof (raw as { offer_id?: unknown } | null)?.offer_id === 'string' ? (raw as { offer_id: string }).offer_id : '(no offer_id)';
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      warn(`dropped invalid offer ${offerId}: ${issues}`);
    } else if (parsed.data.provider !== provider) {
      warn(`dropped offer ${offerId}: provider "${parsed.data.provider}" is not "${provider}"`);
    } else {
      offers.push(parsed.data);
    }
  }
  if (dropped > warnings.length) warnings.push(`${provider}: ${dropped - warnings.length} more offers dropped`);
  if (Array.isArray(answer.warnings)) {
    const adapterWarnings = answer.warnings as unknown[];
    for (const warning of adapterWarnings.slice(0, maximumWarningsPerAdapter)) warnings.push(`${provider}: ${String(warning)}`);
    if (adapterWarnings.length > maximumWarningsPerAdapter) warnings.push(`${provider}: ${adapterWarnings.length - maximumWarningsPerAdapter} more warnings`);
  }
  return { offers, warnings };
}

function describeFailure(provider: string, error: unknown): AdapterFailure {
  const record = error as { code?: unknown; message?: unknown };
  return { provider, code: typeof record?.code === 'string' ? record.code : 'AURORA_ERR_ADAPTER_CALL', message: typeof record?.message === 'string' ? record.message : String(error) };
}

function summarise(offers: readonly Offer[]): MarketSnapshot {
  let capacity = 0;
  const cheapest = new Map<string, number>();
  for (const offer of offers) {
    capacity += offer.capacity;
    const perGpuHour = offer.price_usd_per_hour / offer.gpu_count;
    const known = cheapest.get(offer.gpu_type);
    if (known === undefined || perGpuHour < known) cheapest.set(offer.gpu_type, perGpuHour);
  }
  return { capacity, cheapest };
}
