import { describe, expect, it } from 'vitest';
import { smallCatalog, testRequest, testStartMs } from '../__fixtures__/small-catalog';
import { createSeededRandom } from '../seeded-random';
import { billedUsd, drawBillingTerms, type BillingSpan, type BillingTerms } from './billing-terms';
import { MarketLedger } from './market-ledger';
import { MarketWorld } from './market-world';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

const perSecond: BillingTerms = { meterStartsAt: 'assignment', incrementMs: second, minimumMs: 0, minimumUsd: 0, prepaid: false, billsFailedStarts: false, feeRate: 0 };

/** Placed at 0, machine at 1 min, container at 3 min, a 10-minute run planned until 14 min. */
function span(overrides: Partial<BillingSpan> = {}): BillingSpan {
  return { placedAt: 0, assignedAt: minute, containerAt: 3 * minute, endedAt: 14 * minute, plannedEndAt: 14 * minute, failedStart: false, ...overrides };
}

describe('billedUsd', () => {
  it('meters from placement, machine assignment or container start', () => {
    expect(billedUsd({ ...perSecond, meterStartsAt: 'placement' }, 6, span())).toBeCloseTo(6 * (14 / 60), 12);
    expect(billedUsd(perSecond, 6, span())).toBeCloseTo(6 * (13 / 60), 12);
    expect(billedUsd({ ...perSecond, meterStartsAt: 'container' }, 6, span())).toBeCloseTo(6 * (11 / 60), 12);
  });

  it('rounds up to whole increments, applies minimum time and minimum charge, then fees', () => {
    // 13 minutes on an hourly meter: one whole hour.
    expect(billedUsd({ ...perSecond, incrementMs: hour, minimumMs: hour }, 2, span())).toBeCloseTo(2, 12);
    // 13 min 0.5 s per minute: 14 minutes.
    expect(billedUsd({ ...perSecond, incrementMs: minute }, 6, span({ endedAt: 14 * minute + 500 }))).toBeCloseTo(6 * (14 / 60), 12);
    // Flux-like: 30 s blocks, $0.99 minimum; a 13-minute run at $0.50/h costs the minimum.
    expect(billedUsd({ ...perSecond, incrementMs: 30 * second, minimumUsd: 0.99 }, 0.5, span())).toBe(0.99);
    // io.net-like fees: 2 % + 0.25 %.
    expect(billedUsd({ ...perSecond, feeRate: 0.0225 }, 6, span())).toBeCloseTo(6 * (13 / 60) * 1.0225, 12);
  });

  it('bills a prepaid plan in full when the deployment ends early, and waives failed starts unless the terms bill them', () => {
    const preempted = span({ endedAt: 5 * minute });
    expect(billedUsd(perSecond, 6, preempted)).toBeCloseTo(6 * (4 / 60), 12);
    expect(billedUsd({ ...perSecond, prepaid: true }, 6, preempted)).toBeCloseTo(6 * (13 / 60), 12);
    const failed = span({ endedAt: 2 * minute, failedStart: true });
    expect(billedUsd(perSecond, 6, failed)).toBe(0);
    expect(billedUsd({ ...perSecond, billsFailedStarts: true }, 6, failed)).toBeCloseTo(6 * (1 / 60), 12);
    // A meter that starts with the container never runs for a start that failed before it.
    expect(billedUsd({ ...perSecond, meterStartsAt: 'container', billsFailedStarts: true }, 6, failed)).toBe(0);
  });
});

describe('drawBillingTerms', () => {
  it('keeps the referenced facts fixed in every world', () => {
    for (const seed of [1, 2, 3]) {
      const random = createSeededRandom(seed);
      expect(drawBillingTerms('ionet', random).service).toMatchObject({ meterStartsAt: 'placement', incrementMs: hour, minimumMs: hour, prepaid: true, feeRate: 0.0225 });
      expect(drawBillingTerms('flux', random).service).toMatchObject({ incrementMs: 30 * second, minimumUsd: 0.99, prepaid: true });
      const render = drawBillingTerms('render', random);
      expect(render.service).toMatchObject({ incrementMs: hour, minimumMs: hour });
      expect(render.batch).toMatchObject({ incrementMs: second, minimumMs: 0 });
      expect(drawBillingTerms('salad', random).service).toMatchObject({ meterStartsAt: 'container', billsFailedStarts: false });
      expect(drawBillingTerms('vastai', random).service).toMatchObject({ meterStartsAt: 'assignment', billsFailedStarts: true });
      expect(drawBillingTerms('akash', random).service).toMatchObject({ incrementMs: 6 * second });
    }
  });

  it('draws the estimated terms of clouds the references do not cover per world, in every class', () => {
    const increments = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const terms = drawBillingTerms('generic', createSeededRandom(seed)).service;
      increments.add(terms.incrementMs);
      expect(terms.minimumMs).toBe(terms.incrementMs === second ? 0 : terms.incrementMs);
      expect(terms.feeRate).toBeGreaterThanOrEqual(0);
      expect(terms.feeRate).toBeLessThanOrEqual(0.03);
    }
    expect([...increments].sort((a, b) => a - b)).toEqual([second, minute, hour]);
    expect(drawBillingTerms('generic', createSeededRandom(5))).toEqual(drawBillingTerms('generic', createSeededRandom(5)));
  });
});

describe('MarketWorld billing', () => {
  it('reports what was billed: the provider terms applied to the placement, short runs paying the increment', () => {
    let compared = 0;
    let hourly = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const market = new MarketWorld({ seed, catalog: smallCatalog, startMs: testStartMs });
      const acme = market.providers.get('acme')!.truth.billing.service;
      const ledger = new MarketLedger();
      for (let index = 0; index < 40; index++) {
        // Two-minute inference runs on the unknown cloud.
        const request = testRequest(`b${seed}-${index}`, testStartMs + index * 3 * hour, {}, 2 * minute);
        const offer = market.quote(request, request.arrival_ms, ledger).find((candidate) => candidate.provider === 'acme');
        if (!offer) continue;
        const placement = market.place(request, offer.offer_id, request.arrival_ms, ledger, false);
        if (!placement.filled || placement.end_reason !== 'completed') continue;
        const delivered = placement.gpu_hours_delivered;
        expect(delivered).toBeCloseTo(2 / 60, 9);
        // The bill covers at least the billed increment and never less than the run itself.
        expect(placement.cost_usd).toBeGreaterThanOrEqual(offer.price_usd_per_hour * (Math.max(acme.minimumMs, 2 * minute) / hour) - 1e-9);
        if (acme.incrementMs === hour) {
          // A whole hour for two minutes of work: at least 30x the list price per delivered hour.
          expect(placement.cost_usd / delivered).toBeGreaterThanOrEqual(offer.price_usd_per_hour * 30 - 1e-9);
          hourly += 1;
        }
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(hourly).toBeGreaterThan(5);
  });
});
