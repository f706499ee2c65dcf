import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListingUsage } from './listing-usage';

describe('ListingUsage', () => {
  it('counts placements until they end or are released', () => {
    const usage = new ListingUsage();
    usage.hold(100, 2);
    const early = usage.hold(300, 4);
    usage.hold(Infinity, 1);
    expect(usage.inUse(0)).toBe(7);
    expect(usage.inUse(100)).toBe(5);
    usage.release(early);
    usage.release(early);
    expect(usage.inUse(150)).toBe(1);
    expect(usage.inUse(1_000_000)).toBe(1);
  });

  it('agrees with walking every placement, whatever the order of ends, releases and reads', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('hold' as const), lasts: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }), gpus: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const usage = new ListingUsage();
        const placements: Array<{ endsAt: number; gpus: number; releasedAt: number | undefined; holding: ReturnType<ListingUsage['hold']> }> = [];
        let now = 0;
        for (const item of steps) {
          if (item.kind === 'hold') {
            const endsAt = item.lasts === undefined ? Infinity : now + item.lasts;
            placements.push({ endsAt, gpus: item.gpus, releasedAt: undefined, holding: usage.hold(endsAt, item.gpus) });
          } else if (item.kind === 'release' && placements.length > 0) {
            const placement = placements[item.pick % placements.length]!;
            placement.releasedAt ??= now;
            usage.release(placement.holding);
          } else if (item.kind === 'wait') {
            now += item.ms;
          }
          const expected = placements
            .filter((placement) => placement.endsAt > now && placement.releasedAt === undefined)
            .reduce((sum, placement) => sum + placement.gpus, 0);
          expect(usage.inUse(now)).toBe(expected);
        }
      }),
    );
  });
});
