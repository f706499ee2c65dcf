import { createSeededRandom } from './packages/core/src/evaluation/seeded-random';
import { LearningPolicy } from './packages/core/src/policy/learning/learning-policy';
import { FeatureEncoder } from './packages/core/src/policy/learning/feature-encoder';
import { parseOrThrow } from './packages/core/src/schemas/parse';
import { routingRequestSchema } from './packages/core/src/schemas/routing-request';
import { defaultWeights } from './packages/core/src/schemas/weights';
import { scoreOffers } from './packages/core/src/scorer/score-offers';
import { benchRequestInput, createBenchOffers } from './packages/core/bench/bench-offers';
const request = parseOrThrow(routingRequestSchema, benchRequestInput);
const offers = createBenchOffers(100).map((o) => ({ ...o, gpu_type: 'a100' as const, gpu_count: 1, capacity: 4 }));
const candidates = scoreOffers(offers, defaultWeights);
const ctx = { decision_id: 'x', request, weights: defaultWeights, now: Date.parse('2026-01-02T12:00:00Z') };
const enc = new FeatureEncoder(64);
const p = new LearningPolicy({ random: createSeededRandom(1), guard: false });
const pg = new LearningPolicy({ random: createSeededRandom(1) });
function time(name: string, fn: () => void, n = 20000) {
  for (let i = 0; i < 5000; i++) fn();
  let best = Infinity;
  for (let r = 0; r < 30; r++) { const t = performance.now(); for (let i = 0; i < n; i++) fn(); best = Math.min(best, (performance.now() - t) * 1000 / n); }
  console.log(name, best.toFixed(2), 'us');
}
time('encode', () => enc.encode(ctx, candidates));
time('probabilities (no guard)', () => p.probabilities(ctx, candidates));
time('probabilities (guard, cold)', () => pg.probabilities(ctx, candidates));
let k = 0;
time('decide', () => p.decide({ ...ctx, decision_id: `d${k++}` }, candidates));
time('score', () => scoreOffers(offers, defaultWeights));
const p2 = new LearningPolicy({ random: createSeededRandom(1), guard: false, maxPendingDecisions: 100 });
let k2 = 0;
time('decide maxPending 100', () => p2.decide({ ...ctx, decision_id: `d${k2++}` }, candidates));
const p3 = new LearningPolicy({ random: createSeededRandom(1), guard: false });
time('decide same id', () => p3.decide(ctx, candidates));
