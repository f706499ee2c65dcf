/**
 * Policy benchmark: `decide()` of the rule policy and of the learning policy over 100 scored
 * candidates, alone and as the whole decision (score the offers, then decide), measured in
 * interleaved rounds. Run with
 * `node --conditions=@aurora/source --import tsx packages/core/bench/policy.bench.ts`.
 * The target is a learning decision at most 2x the rule decision; the last line printed is one
 * JSON object for machines.
 */
import { createSeededRandom } from '../src/evaluation/seeded-random';
import { LearningPolicy } from '../src/policy/learning/learning-policy';
import type { PolicyContext } from '../src/policy/policy';
import { RulePolicy } from '../src/policy/rule-policy';
import type { Offer } from '../src/schemas/offer';
import { parseOrThrow } from '../src/schemas/parse';
import { routingRequestSchema } from '../src/schemas/routing-request';
import { defaultWeights } from '../src/schemas/weights';
import { scoreOffers } from '../src/scorer/score-offers';
import { benchRequestInput, createBenchOffers } from './bench-offers';
import { measureInterleaved, optionsForSize, type Measurement } from './measure';

const candidateCount = 100;
const warmStartDecisions = 5_000;
const targetRatio = 2;

async function main(): Promise<void> {
  const request = parseOrThrow(routingRequestSchema, benchRequestInput, 'bench request');
  // Eligible as they are: the benchmark is about the policy, not the filter.
  const offers: Offer[] = createBenchOffers(candidateCount).map((offer) => ({ ...offer, gpu_type: 'a100', gpu_count: 1, capacity: 4 }));
  const candidates = scoreOffers(offers, defaultWeights);
  const rules = new RulePolicy();
  const learning = new LearningPolicy({ random: createSeededRandom(1) });
  trainOnSyntheticOutcomes(learning, offers);

  let sequence = 0;
  const context = (): PolicyContext => ({
    decision_id: `bench-${sequence++}`,
    request,
    weights: defaultWeights,
    now: Date.parse('2026-01-02T12:00:00.000Z'),
  });
  const measured = await measureInterleaved(
    {
      ruleDecide: () => rules.decide(context(), candidates),
      learningDecide: () => learning.decide(context(), candidates),
      ruleDecision: () => rules.decide(context(), scoreOffers(offers, defaultWeights)),
      learningDecision: () => learning.decide(context(), scoreOffers(offers, defaultWeights)),
    },
    optionsForSize(candidateCount, 2_000),
  );
  report(measured, learning.diagnostics().evidence);
}

/**
 * Gives the learner a realistic state: decisions on the same offers with outcomes where some
 * providers fill less often, so the guard and the softmax both have work to do.
 */
function trainOnSyntheticOutcomes(policy: LearningPolicy, offers: Offer[]): void {
  const random = createSeededRandom(2);
  const fillByProvider: Record<string, number> = { akash: 0.7, ionet: 0.9, vastai: 0.6, salad: 0.8, runpod: 0.95, render: 0.85, flux: 0.5, aethir: 0.75 };
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  for (let step = 0; step < warmStartDecisions; step++) {
    const now = start + step * 10_000;
    const candidates = scoreOffers(offers, defaultWeights);
    const choice = policy.decide({ decision_id: `train-${step}`, request: parseOrThrow(routingRequestSchema, benchRequestInput), weights: defaultWeights, now }, candidates);
    const offer = candidates[choice.index]!.offer;
    const filled = random() < (fillByProvider[offer.provider] ?? 0.8);
    policy.observe({
      decision_id: `train-${step}`,
      provider: offer.provider,
      offer_id: offer.offer_id,
      filled,
      observed_at: new Date(now + 30_000).toISOString(),
      ...(filled ? { time_to_running_ms: 30_000 } : {}),
    });
  }
}

type Row = { name: string; what: string; measurement: Measurement };

function report(measured: Record<'ruleDecide' | 'learningDecide' | 'ruleDecision' | 'learningDecision', Measurement>, evidence: number): void {
  const rows: Row[] = [
    { name: 'rule decide()', what: 'RulePolicy.decide on 100 scored candidates', measurement: measured.ruleDecide },
    { name: 'learning decide()', what: 'LearningPolicy.decide on 100 scored candidates', measurement: measured.learningDecide },
    { name: 'rule decision', what: 'scoreOffers(100) + RulePolicy.decide', measurement: measured.ruleDecision },
    { name: 'learning decision', what: 'scoreOffers(100) + LearningPolicy.decide', measurement: measured.learningDecision },
  ];
  const decideRatio = measured.learningDecide.p50_us / measured.ruleDecide.p50_us;
  const decisionRatio = measured.learningDecision.p50_us / measured.ruleDecision.p50_us;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Node ${process.version}, ${process.arch}; ${candidateCount} candidates; learner trained on ${warmStartDecisions} outcomes (evidence ${evidence.toFixed(0)})`);
  out('');
  const header = ['what', 'iters', 'p50 us', 'p99 us', 'mean us'];
  const body = rows.map((row) => [row.name, String(row.measurement.iterations), fmt(row.measurement.p50_us), fmt(row.measurement.p99_us), fmt(row.measurement.mean_us)]);
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...body.map((cells) => cells[column]!.length)));
  for (const cells of [header, ...body]) out(cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  out('');
  out(`decide() alone: learning / rule = ${decideRatio.toFixed(1)}x (the rule policy's decide is an O(n) copy of the scores; no learner can be within 2x of it)`);
  out(`decision (score + decide): learning / rule = ${decisionRatio.toFixed(2)}x; target <= ${targetRatio}x: ${decisionRatio <= targetRatio ? 'MET' : 'MISSED'}`);
  out(
    JSON.stringify({
      bench: 'policy-decide',
      candidates: candidateCount,
      rule_decide_p50_us: round(measured.ruleDecide.p50_us),
      learning_decide_p50_us: round(measured.learningDecide.p50_us),
      decide_ratio: round(decideRatio),
      rule_decision_p50_us: round(measured.ruleDecision.p50_us),
      learning_decision_p50_us: round(measured.learningDecision.p50_us),
      ratio: round(decisionRatio),
      target_ratio: targetRatio,
      met: decisionRatio <= targetRatio,
    }),
  );
}

const fmt = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
const round = (value: number) => Math.round(value * 100) / 100;

await main();
