import { describe, expect, it } from 'vitest';
import { offerSchema } from '@aurora/router';
import { smallCatalog, testRequest, testStartMs } from '../__fixtures__/small-catalog';
import { MarketLedger } from './market-ledger';
import { MarketWorld } from './market-world';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

function world(seed: number | string = 7): MarketWorld {
  return new MarketWorld({ seed, catalog: smallCatalog, startMs: testStartMs });
}

/** Quotes and placements of a request stream, each placed on its first offer. */
function transcript(market: MarketWorld, count = 200): unknown[] {
  const ledger = new MarketLedger();
  const lines: unknown[] = [];
  for (let index = 0; index < count; index++) {
    const request = testRequest(`r${index}`, testStartMs + index * 37 * 60_000);
    const offers = market.quote(request, request.arrival_ms, ledger);
    const placement = offers[0] ? market.place(request, offers[0].offer_id, request.arrival_ms, ledger, true) : undefined;
    lines.push({ offers: offers.map((offer) => [offer.offer_id, offer.price_usd_per_hour, offer.capacity, offer.reputation]), placement });
  }
  return lines;
}

describe('MarketWorld', () => {
  it('builds listings from the catalog: marketplace rows become several hosts, spot prices become interruptible listings', () => {
    const market = world();
    const keys = market.listings.map((listing) => listing.key);
    expect(keys.filter((key) => key.startsWith('vast-')).length).toBe(3 * market.providers.get('vast')!.hostsPerEntry);
    expect(keys.filter((key) => key.endsWith('-spot'))).toEqual(['runpod-1x-h100-secure-us-east-spot', 'runpod-2x-h100-secure-us-east-spot']);
    expect(market.providers.get('acme')!.prior).toBe('generic');
    expect(market.providers.get('vast')!.marketplace).toBe(true);
  });

  it('quotes valid offers: the smallest shape that holds the request, only where capacity is free', () => {
    const market = world();
    const ledger = new MarketLedger();
    let quoted = 0;
    for (let hour = 0; hour < 24 * 14; hour += 5) {
      const time = testStartMs + hour * hourMs;
      for (const gpus of [1, 2, 3]) {
        const offers = market.quote(testRequest(`q${hour}-${gpus}`, time, { gpu_count: gpus }), time, ledger);
        for (const offer of offers) {
          expect(() => offerSchema.parse(offer)).not.toThrow();
          expect(offer.capacity).toBeGreaterThanOrEqual(1);
          // 1 GPU -> 1x shapes; 2 GPUs -> 2x; 3 GPUs -> only the 8x machine holds it.
          expect(offer.gpu_count).toBe(gpus === 1 ? 1 : gpus === 2 ? (offer.provider === 'acme' ? 8 : 2) : 8);
          quoted += 1;
        }
      }
    }
    expect(quoted).toBeGreaterThan(100);
  });

  it('is deterministic per seed, and another seed is another world', () => {
    expect(transcript(world(7))).toEqual(transcript(world(7)));
    expect(transcript(world(8))).not.toEqual(transcript(world(7)));
  });

  it('draws a placement from the (request, offer) pair alone: the same pair gets the same outcome whatever came before', () => {
    const market = world();
    const time = testStartMs + 3 * dayMs;
    const request = testRequest('pair', time, {}, 6 * hourMs);
    const offers = market.quote(request, time, new MarketLedger());
    expect(offers.length).toBeGreaterThan(1);
    const target = offers[offers.length - 1]!.offer_id;
    const first = market.place(request, target, time, new MarketLedger(), false);
    // Another run placed other requests on other offers first.
    const busy = new MarketLedger();
    for (let index = 0; index < 20; index++) market.place(testRequest(`other${index}`, time - 1), offers[0]!.offer_id, time - 1, busy, true);
    const second = market.place(request, target, time, busy, false);
    expect(second).toEqual(first);
    // A different request on the same offer draws its own numbers.
    const others = Array.from({ length: 30 }, (_, index) => market.place(testRequest(`x${index}`, time, {}, 6 * hourMs), target, time, new MarketLedger(), false));
    expect(new Set(others.map((outcome) => JSON.stringify(outcome))).size).toBeGreaterThan(1);
  });

  it('holds the machine a deployment takes until it ends, then frees it', () => {
    const market = world();
    const ledger = new MarketLedger();
    // A time and listing with free capacity and a long, filled deployment.
    for (let attempt = 0; attempt < 500; attempt++) {
      const time = testStartMs + dayMs + attempt * 41 * 60_000;
      const request = testRequest(`hold${attempt}`, time, { allow_interruptible: false }, 12 * hourMs);
      const offer = market.quote(request, time, ledger).find((candidate) => !candidate.interruptible);
      if (!offer) continue;
      const listing = market.listing(offer.offer_id)!;
      const before = market.freeMachines(listing, time, ledger);
      const outcome = market.place(request, offer.offer_id, time, ledger, true);
      if (!outcome.filled || outcome.end_reason !== 'completed') continue;
      expect(market.freeMachines(listing, time, ledger)).toBe(before - 1);
      expect(ledger.heldAt(offer.offer_id, outcome.ended_at - 1)).toBe(1);
      expect(ledger.heldAt(offer.offer_id, outcome.ended_at)).toBe(0);
      expect(outcome.ended_at - outcome.time_to_running_ms! - time).toBeCloseTo(12 * hourMs, -1);
      return;
    }
    throw new Error('no filled placement found');
  });

  it("fills and frees capacity without us: other tenants' share moves, and episodes take whole listings away", () => {
    const market = world(3);
    const ledger = new MarketLedger();
    const listing = market.listings.find((candidate) => candidate.provider.id === 'runpod' && !candidate.interruptible && candidate.machines >= 3)!;
    expect(listing).toBeDefined();
    const free = Array.from({ length: 30 * 24 }, (_, hour) => market.freeMachines(listing, testStartMs + hour * hourMs, ledger));
    expect(Math.max(...free)).toBeGreaterThan(Math.min(...free));
    expect(free.some((value) => value === 0)).toBe(true);
    expect(free.some((value) => value >= 2)).toBe(true);
  });

  it('preempts interruptible deployments when their capacity episode ends', () => {
    const market = world(5);
    const spot = market.listings.find((listing) => listing.interruptible)!;
    let preempted = 0;
    for (let index = 0; index < 300; index++) {
      const time = testStartMs + index * 2 * hourMs;
      if (!spot.episodes.isUp(time)) continue;
      const outcome = market.place(testRequest(`spot${index}`, time, {}, 5 * dayMs), spot.key, time, new MarketLedger(), false);
      if (outcome.end_reason === 'preempted') {
        preempted += 1;
        expect(spot.episodes.isUp(outcome.ended_at)).toBe(false);
        if (outcome.filled) expect(spot.episodes.isUp(outcome.ended_at - 1)).toBe(true);
      }
    }
    expect(preempted).toBeGreaterThan(10);
  });

  it('advertises reputation and availability that differ from what really happens', () => {
    const market = world(11);
    const time = testStartMs + 10 * dayMs;
    const inspections = market.listings.map((listing) => ({ listing, ...market.inspect(listing.key, time) }));
    // Advertised reputation is not the true reliability: providers rank differently on the two.
    const byProvider = (pick: (item: (typeof inspections)[number]) => number) => {
      const sums = new Map<string, { total: number; count: number }>();
      for (const item of inspections) {
        const sum = sums.get(item.listing.provider.id) ?? { total: 0, count: 0 };
        sum.total += pick(item);
        sum.count += 1;
        sums.set(item.listing.provider.id, sum);
      }
      return [...sums].map(([provider, sum]) => [provider, sum.total / sum.count] as const);
    };
    const gaps = inspections.map((item) => Math.abs(item.advertisedReputation - item.trueReputation));
    expect(Math.max(...gaps)).toBeGreaterThan(5);
    const advertised = byProvider((item) => item.advertisedReputation).sort((a, b) => b[1] - a[1]).map(([provider]) => provider);
    const real = byProvider((item) => item.trueReputation).sort((a, b) => b[1] - a[1]).map(([provider]) => provider);
    expect(advertised).not.toEqual(real);
    // Advertised availability assumes the provider's nominal fill rate; the realised one differs.
    const listing = market.listings.find((candidate) => candidate.provider.id === 'acme' && candidate.gpuCount === 1)!;
    const realFailure = market.inspect(listing.key, time).trueFillFailure;
    expect(Math.abs(realFailure - listing.provider.advertised.fillFailure)).toBeGreaterThan(0.001);
  });

  it('drifts true reliability over the month, and advertised reputation follows a week late', () => {
    const market = world(13);
    const listing = market.listings[0]!;
    const at = (day: number) => market.inspect(listing.key, testStartMs + day * dayMs);
    expect(at(0).trueFillFailure).not.toBe(at(20).trueFillFailure);
    // The first week's advertised reputation has no drift in it yet.
    expect(at(3).advertisedReputation).toBe(at(6).advertisedReputation);
    expect(at(20).advertisedReputation).not.toBe(at(6).advertisedReputation);
  });

  it('leaves a provider out without changing anything else in the world', () => {
    const full = world(17);
    const without = new MarketWorld({ seed: 17, catalog: smallCatalog, startMs: testStartMs, excludeProviders: ['acme'] });
    expect([...without.providers.keys()].sort()).toEqual(['runpod', 'vast']);
    const time = testStartMs + 4 * dayMs;
    const request = testRequest('same', time);
    const offers = without.quote(request, time, new MarketLedger());
    expect(offers).toEqual(full.quote(request, time, new MarketLedger()).filter((offer) => offer.provider !== 'acme'));
    for (const offer of offers) {
      expect(without.place(request, offer.offer_id, time, new MarketLedger(), false)).toEqual(full.place(request, offer.offer_id, time, new MarketLedger(), false));
    }
  });
});
