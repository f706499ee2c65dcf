import { parseOrThrow } from './packages/core/src/schemas/parse';
import { routingRequestSchema } from './packages/core/src/schemas/routing-request';
import { defaultWeights } from './packages/core/src/schemas/weights';
import { scoreOffers } from './packages/core/src/scorer/score-offers';
import { benchRequestInput, createBenchOffers } from './packages/core/bench/bench-offers';
const offers = createBenchOffers(100).map((o) => ({ ...o, gpu_type: 'a100' as const, gpu_count: 1, capacity: 4 }));
const candidates = scoreOffers(offers, defaultWeights);
const dense = new Float64Array(1200);
const m = new Map<string, { p: number; r: Map<string, number> }>();
function time(name: string, fn: () => void, n = 20000) {
  for (let i = 0; i < 5000; i++) fn();
  let best = Infinity;
  for (let r = 0; r < 30; r++) { const t = performance.now(); for (let i = 0; i < n; i++) fn(); best = Math.min(best, (performance.now() - t) * 1000 / n); }
  console.log(name, best.toFixed(2), 'us');
}
time('props only', () => { for (let i = 0; i < 100; i++) { const c = candidates[i]!; const o = c.offer; const b = i * 12; dense[b] = 1; dense[b+1] = c.contributions.price; dense[b+2] = c.contributions.latency; dense[b+3]=c.contributions.reputation; dense[b+4]=c.contributions.availability; dense[b+5]=c.normalized.price; dense[b+6]=c.normalized.latency; dense[b+7]=o.reputation/100; dense[b+8]=o.availability; dense[b+10]=Math.min(5,o.estimated_latency_ms/1000); dense[b+11]=o.interruptible?1:0; } });
time('log', () => { for (let i = 0; i < 100; i++) { const o = candidates[i]!.offer; dense[i] = Math.log((o.price_usd_per_hour / o.gpu_count + 0.01) / 1.01); } });
time('map get x2', () => { for (let i = 0; i < 100; i++) { const o = candidates[i]!.offer; let e = m.get(o.provider); if (!e) { e = { p: 1, r: new Map() }; m.set(o.provider, e); } let r = e.r.get(o.region); if (r === undefined) { r = 3; e.r.set(o.region, r); } dense[i] = r + e.p; } });
