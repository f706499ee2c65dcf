import { describe, expect, it } from 'vitest';
import { decisionLogRecordSchema, RulePolicy, type Policy, type PolicyChoice } from '@aurora/router';
import { smallCatalog, testRequest, testStartMs } from '../__fixtures__/small-catalog';
import { createSeededRandom } from '../seeded-random';
import type { SimulatedRequest } from '../workload/simulated-request';
import { MarketWorld } from '../world/market-world';
import { runPolicy } from './run-policy';

const hourMs = 3_600_000;

function requests(count: number): SimulatedRequest[] {
  const random = createSeededRandom('run-policy');
  return Array.from({ length: count }, (_, index) =>
    testRequest(`r${index}`, testStartMs + index * 23 * 60_000, { allow_interruptible: index % 3 === 0 }, random.between(0.1, 30) * hourMs));
}

/** Picks by a fixed rule over offer ids, with its own id, random stream and internal state. */
function scriptedPolicy(id: string, pick: (offerIds: string[]) => number): Policy & { observed: string[] } {
  const observed: string[] = [];
  return {
    id,
    version: '1',
    observed,
    decide(_context, candidates): PolicyChoice {
      const index = pick(candidates.map((candidate) => candidate.offer.offer_id));
      return { index, propensity: 1, scores: candidates.map(() => 0), policy_id: id, policy_version: '1', arm: 'ai' };
    },
    observe(outcome) {
      observed.push(`${outcome.decision_id}:${outcome.filled}`);
    },
  };
}

describe('runPolicy', () => {
  const world = new MarketWorld({ seed: 21, catalog: smallCatalog, startMs: testStartMs });
  const stream = requests(300);

  it('gives two policies that choose the same offers identical outcomes (common random numbers)', async () => {
    // The rule policy takes the top candidate; the scripted one finds the same offer by id, so it decides differently but chooses alike.
    const rules = await runPolicy({ world, requests: stream, policy: new RulePolicy(), learn: false, label: 'a' });
    const firstIds = new Map(rules.decisions.flatMap((decision) => (decision.record ? [[decision.request.id, decision.record.chosen_offer_id] as const] : [])));
    let cursor = 0;
    const mirror = scriptedPolicy('mirror', (offerIds) => {
      const wanted = [...firstIds.values()][cursor++]!;
      return offerIds.indexOf(wanted);
    });
    const mirrored = await runPolicy({ world, requests: stream, policy: mirror, learn: true, label: 'b' });
    expect(mirrored.decisions.map((decision) => decision.placement)).toEqual(rules.decisions.map((decision) => decision.placement));
    expect(mirrored.metrics).toEqual(rules.metrics);
    expect(rules.metrics.decisions).toBeGreaterThan(250);
  });

  it('is deterministic, and a policy that chooses differently gets other outcomes in the same world', async () => {
    const once = await runPolicy({ world, requests: stream, policy: new RulePolicy(), learn: false, label: 'x' });
    const twice = await runPolicy({ world, requests: stream, policy: new RulePolicy(), learn: false, label: 'x' });
    expect(twice.decisions).toEqual(once.decisions);
    const last = await runPolicy({ world, requests: stream, policy: scriptedPolicy('last', (ids) => ids.length - 1), learn: false, label: 'x' });
    expect(last.metrics).not.toEqual(once.metrics);
  });

  it('logs every decision in the core format with its outcome and reward, and measures regret against the hindsight best', async () => {
    const run = await runPolicy({ world, requests: stream, policy: new RulePolicy({ epsilon: 0.2, random: () => 0.01 }), learn: false, oracle: true, label: 'log' });
    for (const decision of run.decisions) {
      if (!decision.record) continue;
      const record = decisionLogRecordSchema.parse(decision.record);
      expect(record.outcome).not.toBeNull();
      expect(record.reward).toBe(decision.reward);
      // The rule policy's whole epsilon-greedy distribution is logged.
      expect(record.probabilities).toHaveLength(record.candidates.length);
      expect(decision.best_reward!).toBeGreaterThanOrEqual(decision.reward! - 1e-12);
    }
    expect(run.metrics.regret_mean).toBeGreaterThan(0);
  });

  it('delivers outcomes to a learning policy only once they are known in simulated time', async () => {
    const decided = new Set<string>();
    const sinceLastDecision: number[] = [];
    let observed = 0;
    let early = 0;
    const policy: Policy = {
      id: 'watcher',
      version: '1',
      decide(context) {
        // Everything delivered before this decision was known by its time.
        early += sinceLastDecision.filter((at) => at > context.now).length;
        sinceLastDecision.length = 0;
        decided.add(context.decision_id);
        return { index: 0, propensity: 1, scores: [], policy_id: 'watcher', policy_version: '1', arm: 'ai' };
      },
      observe(outcome) {
        expect(decided.has(outcome.decision_id)).toBe(true);
        sinceLastDecision.push(Date.parse(outcome.observed_at));
        observed += 1;
      },
    };
    await runPolicy({ world, requests: stream, policy, learn: true, label: 'watch' });
    expect(observed).toBeGreaterThan(100);
    expect(early).toBe(0);
  });
});
