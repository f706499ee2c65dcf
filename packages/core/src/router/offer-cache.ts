import type { AuroraError } from '../errors/aurora-error';
import type { Offer } from '../schemas/offer';
import { abortedError } from './call-adapter';
import type { RouterClock } from './router-options';

export type FetchedOffers = { offers: readonly Offer[]; warnings: readonly string[] };

export type CachedOffers = FetchedOffers & {
  readonly fetchedAt: number;
  /** The last background refresh failed; these offers are from before it. */
  refreshError: AuroraError | undefined;
};

export type OfferCacheOptions = {
  freshMs: number;
  maxAgeMs: number;
  maxEntries: number;
  clock: RouterClock;
};

type Fetch = (signal: AbortSignal) => Promise<FetchedOffers>;

type InFlight = {
  promise: Promise<CachedOffers>;
  controller: AbortController;
  /** Callers waiting with a signal; when all of them abort, the fetch is aborted too. */
  waiters: number;
  /** A waiter without a signal or a background refresh: never abort. */
  pinned: boolean;
};

/**
 * Stale-while-revalidate cache of validated offers, one entry per provider and request shape.
 * Fresh entries are served as they are; stale ones (younger than `maxAgeMs`) are served while one
 * background refresh per key runs; older ones are dropped. A failed refresh keeps the last good
 * offers (with `refreshError` set) until they are too old. Concurrent fetches of one key share one
 * adapter call. Entries are evicted oldest-fetched first beyond `maxEntries`.
 */
export class OfferCache {
  private readonly entries = new Map<string, CachedOffers>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly options: OfferCacheOptions;

  constructor(options: OfferCacheOptions) {
    this.options = options;
  }

  /** The entry if it is younger than the maximum age; an older one is dropped. */
  peek(key: string, now: number): CachedOffers | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.fetchedAt >= this.options.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  isFresh(entry: CachedOffers, now: number): boolean {
    return now - entry.fetchedAt < this.options.freshMs;
  }

  /**
   * Fetches and stores the offers, or joins the fetch already running for `key`. The returned
   * promise rejects at once when `signal` aborts; the fetch itself is aborted only once every
   * caller waiting on it has aborted.
   */
  load(key: string, provider: string, fetch: Fetch, signal?: AbortSignal): Promise<CachedOffers> {
    if (signal?.aborted) return Promise.reject(abortedError(provider, 'list_offers', signal.reason));
    const flight = this.inFlight.get(key) ?? this.start(key, fetch);
    if (!signal) {
      flight.pinned = true;
      return flight.promise;
    }
    flight.waiters += 1;
    return new Promise<CachedOffers>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters -= 1;
        if (flight.waiters === 0 && !flight.pinned) flight.controller.abort(abortedError(provider, 'list_offers', signal.reason));
        reject(abortedError(provider, 'list_offers', signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (entry) => {
          signal.removeEventListener('abort', onAbort);
          resolve(entry);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Starts a background refresh of `key` unless one is running. Never rejects. */
  refresh(key: string, fetch: Fetch): void {
    const running = this.inFlight.get(key);
    if (running) {
      running.pinned = true;
      return;
    }
    const flight = this.start(key, fetch);
    flight.pinned = true;
    flight.promise.catch((error: unknown) => {
      const entry = this.entries.get(key);
      if (entry) entry.refreshError = error as AuroraError;
    });
  }

  isRefreshing(key: string): boolean {
    return this.inFlight.has(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private start(key: string, fetch: Fetch): InFlight {
    const controller = new AbortController();
    const flight: InFlight = { promise: undefined as unknown as Promise<CachedOffers>, controller, waiters: 0, pinned: false };
    flight.promise = fetch(controller.signal)
      .then((fetched): CachedOffers => {
        const entry: CachedOffers = { offers: fetched.offers, warnings: fetched.warnings, fetchedAt: this.options.clock.now(), refreshError: undefined };
        this.store(key, entry);
        return entry;
      })
      .finally(() => {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      });
    // Background failures are handled by `refresh`; joined ones by their callers.
    flight.promise.catch(() => {});
    this.inFlight.set(key, flight);
    return flight;
  }

  private store(key: string, entry: CachedOffers): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
