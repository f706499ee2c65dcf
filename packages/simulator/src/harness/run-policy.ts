import {
  attachOutcome, computeReward, createDecisionLogRecord, defaultWeights, rankOffers, RulePolicy, type DecisionLogRecord,
  type LoggableChoice, type Outcome, type Policy, type PolicyContext, type ScoredCandidate, type Weights,
} from '@aurora/router';
import type { SimulatedRequest } from '../workload/simulated-request';
import { MarketLedger } from '../world/market-ledger';
import type { MarketWorld, PlacementOutcome } from '../world/market-world';
import { summarizeRun, type RunMetrics } from './run-metrics';

export type RunPolicyOptions = {
  world: MarketWorld;
  /** Arrivals of one period, sorted by time. */
  requests: readonly SimulatedRequest[];
  policy: Policy;
  /** Deliver outcomes to `policy.observe` as they become known (first feedback, then the final one). */
  learn: boolean;
  /** Also place every candidate hypothetically to find the hindsight-best reward (regret). */
  oracle?: boolean;
  /**
   * With `oracle`, also follow an informed oracle: it knows every listing's true rates but not the
   * luck of the draw, and picks the candidate with the best mean reward over this many independent
   * hypothetical placements (then faces that candidate's real draw). The ceiling of a learner.
   * Default 0 (off).
   */
  informedDraws?: number;
  /**
   * With `oracle`, keep every candidate's hypothetical placement and reward on each decision
   * (`RunDecision.hypotheticals`), for analyses such as `clairvoyantFrontier`. Default false.
   */
  keepHypotheticals?: boolean;
  /** Criterion weights of every request; default the router's defaults. */
  weights?: Weights;
  /** Prefix of decision ids. */
  label: string;
};

/** One request of a run: what the policy saw and chose, and what happened. */
export type RunDecision = {
  request: SimulatedRequest;
  /** Absent when no offer passed the filters (nothing to decide). */
  record?: DecisionLogRecord;
  placement?: PlacementOutcome;
  reward?: number;
  /** Best reward any candidate would have got in the same state, from its own outcome draws. */
  best_reward?: number;
  /** What that hindsight-best candidate would have done. */
  best_placement?: PlacementOutcome;
  /** The informed oracle's pick (candidate index), its real outcome and reward (see `informedDraws`). */
  informed_index?: number;
  informed_placement?: PlacementOutcome;
  informed_reward?: number;
  /** With `keepHypotheticals`: what each candidate (by index) would have done, and its reward. */
  hypotheticals?: Hypothetical[];
};

/**
 * One candidate's hypothetical placement in the state of the decision, and its reward; with
 * `informedDraws`, also its means over that many independent placements (what the informed oracle knows).
 */
export type Hypothetical = { placement: PlacementOutcome; reward: number; expected?: Expectation };

/** A candidate's means over independent placements. */
export type Expectation = {
  reward: number;
  fill_probability: number;
  cost_usd: number;
  gpu_hours_delivered: number;
  /** NaN when no draw filled. */
  latency_ms_when_filled: number;
};

export type RunResult = {
  policy_id: string;
  decisions: RunDecision[];
  metrics: RunMetrics;
  /**
   * With `oracle`: the figures of the hindsight-best candidate of every decision, in the states
   * this policy's own choices left the market in. The ceiling a policy could reach on these arrivals.
   */
  oracle_metrics?: RunMetrics;
  /** With `informedDraws`: the informed oracle's figures in the same states. */
  informed_oracle_metrics?: RunMetrics;
};

type Delivery = { at: number; sequence: number; outcome: Outcome };

/**
 * Runs one policy over one period of one world: for each arrival, quote the market, filter and
 * score with the core's scorer, let the policy choose, place the choice (one attempt, no
 * failover: the policy's pick is what is measured), hold the capacity it takes, and log the
 * decision in the core's decision-log format with its outcome and reward. With `learn`, outcomes
 * reach the policy at the simulated time they become known: fill, start and latency when it runs
 * (or fails), cost and delivered GPU-hours when it ends.
 */
export async function runPolicy(options: RunPolicyOptions): Promise<RunResult> {
  const { world, requests, policy, learn, label } = options;
  const informedDraws = options.informedDraws ?? 0;
  const weights = options.weights ?? defaultWeights;
  const ledger = new MarketLedger();
  const decisions: RunDecision[] = [];
  const queue = new DeliveryQueue();
  let sequence = 0;
  for (const request of requests) {
    const now = request.arrival_ms;
    if (learn && policy.observe) {
      for (let delivery = queue.popUntil(now); delivery; delivery = queue.popUntil(now)) await policy.observe(delivery.outcome);
    }
    const offers = world.quote(request, now, ledger);
    const { candidates } = rankOffers(request.request, offers, weights);
    if (candidates.length === 0) {
      decisions.push({ request });
      continue;
    }
    const context: PolicyContext = {
      decision_id: `${label}-${request.id}`,
      request: request.request,
      weights,
      tenant: request.tenant,
      idempotency_key: request.id,
      now,
    };
    const choice = await policy.decide(context, candidates);
    const chosen = candidates[choice.index]!;
    let bestReward: number | undefined;
    let bestPlacement: PlacementOutcome | undefined;
    let informedOutcome: Pick<RunDecision, 'informed_index' | 'informed_placement' | 'informed_reward'> = {};
    let hypotheticals: Hypothetical[] | undefined;
    let placement: PlacementOutcome;
    if (options.oracle) {
      const rewards = candidates.map((candidate) => {
        const hypothetical = world.place(request, candidate.offer.offer_id, now, ledger, false);
        return { hypothetical, reward: rewardOf(context, candidate, candidates, hypothetical, weights) };
      });
      if (options.keepHypotheticals) hypotheticals = rewards.map(({ hypothetical, reward }) => ({ placement: hypothetical, reward }));
      const best = rewards.reduce((top, item) => (item.reward > top.reward ? item : top));
      bestReward = best.reward;
      bestPlacement = best.hypothetical;
      placement = rewards[choice.index]!.hypothetical;
      if (informedDraws > 0) {
        const expectations = candidates.map((candidate) => expectationOf(informedDraws, (draw) => {
          const drawn = world.place({ ...request, id: `${request.id}#informed-${draw}` }, candidate.offer.offer_id, now, ledger, false);
          return { placement: drawn, reward: rewardOf(context, candidate, candidates, drawn, weights) };
        }));
        const expected = expectations.map((expectation) => expectation.reward);
        const index = expected.indexOf(Math.max(...expected));
        const informed = rewards[index]!;
        informedOutcome = { informed_index: index, informed_placement: informed.hypothetical, informed_reward: informed.reward };
        if (hypotheticals) hypotheticals.forEach((hypothetical, candidate) => (hypothetical.expected = expectations[candidate]!));
      }
      if (placement.hold) ledger.hold(chosen.offer.offer_id, placement.hold.from, placement.hold.until);
    } else {
      placement = world.place(request, chosen.offer.offer_id, now, ledger, true);
    }
    const final = finalOutcome(context.decision_id, chosen, placement);
    const record = attachOutcome(createDecisionLogRecord({ context, candidates, choice: withDistribution(policy, choice, candidates.length) }), final);
    decisions.push({
      request, record, placement, reward: record.reward!,
      ...(bestReward !== undefined ? { best_reward: bestReward, best_placement: bestPlacement! } : {}),
      ...informedOutcome,
      ...(hypotheticals ? { hypotheticals } : {}),
    });
    if (learn && policy.observe) {
      if (placement.first_feedback_at < placement.ended_at) {
        queue.push({ at: placement.first_feedback_at, sequence: sequence++, outcome: firstOutcome(context.decision_id, chosen, placement) });
      }
      queue.push({ at: placement.ended_at, sequence: sequence++, outcome: final });
    }
  }
  const result: RunResult = { policy_id: policy.id, decisions, metrics: summarizeRun(decisions) };
  if (options.oracle) result.oracle_metrics = summarizeRun(decisions.map(asOracleDecision));
  if (options.oracle && informedDraws > 0) result.informed_oracle_metrics = summarizeRun(decisions.map(asInformedDecision));
  return result;
}

function expectationOf(draws: number, drawOf: (draw: number) => Hypothetical): Expectation {
  let reward = 0;
  let filled = 0;
  let cost = 0;
  let delivered = 0;
  let latency = 0;
  for (let draw = 0; draw < draws; draw++) {
    const { placement, reward: drawnReward } = drawOf(draw);
    reward += drawnReward;
    cost += placement.cost_usd;
    delivered += placement.gpu_hours_delivered;
    if (placement.filled) {
      filled += 1;
      latency += placement.achieved_latency_ms!;
    }
  }
  return {
    reward: reward / draws,
    fill_probability: filled / draws,
    cost_usd: cost / draws,
    gpu_hours_delivered: delivered / draws,
    latency_ms_when_filled: filled > 0 ? latency / filled : Number.NaN,
  };
}

/** The decision as the informed oracle made it, with its regret against the hindsight oracle. */
function asInformedDecision(decision: RunDecision): RunDecision {
  if (decision.informed_placement === undefined) return { request: decision.request };
  return { request: decision.request, placement: decision.informed_placement, reward: decision.informed_reward!, best_reward: decision.best_reward! };
}

/** The decision as the hindsight oracle would have made it. */
function asOracleDecision(decision: RunDecision): RunDecision {
  if (decision.best_placement === undefined) return { request: decision.request };
  return { request: decision.request, placement: decision.best_placement, reward: decision.best_reward!, best_reward: decision.best_reward! };
}

function rewardOf(context: PolicyContext, candidate: ScoredCandidate, candidates: readonly ScoredCandidate[], placement: PlacementOutcome, weights: Weights): number {
  return computeReward({ outcome: finalOutcome(context.decision_id, candidate, placement), offer: candidate.offer, candidates, weights });
}

/**
 * The rule policy reports only its pick's propensity; its whole distribution is known from its
 * epsilon, and logging it lets off-policy evaluation check support.
 */
function withDistribution(policy: Policy, choice: LoggableChoice, count: number): LoggableChoice {
  if (choice.probabilities || !(policy instanceof RulePolicy)) return choice;
  return { ...choice, probabilities: Array.from({ length: count }, (_, index) => policy.propensityOf(index, count)) };
}

/** Everything known once the deployment has ended (or failed). */
export function finalOutcome(decisionId: string, candidate: ScoredCandidate, placement: PlacementOutcome): Outcome {
  const interrupted = placement.filled && placement.end_reason !== undefined && placement.end_reason !== 'completed';
  const failure = placement.failure_reason ?? (interrupted ? placement.end_reason : undefined);
  return {
    decision_id: decisionId,
    provider: candidate.offer.provider,
    offer_id: candidate.offer.offer_id,
    filled: placement.filled,
    ...(placement.time_to_running_ms !== undefined ? { time_to_running_ms: placement.time_to_running_ms } : {}),
    ...(placement.achieved_latency_ms !== undefined ? { achieved_latency_ms: placement.achieved_latency_ms } : {}),
    cost_usd: placement.cost_usd,
    gpu_hours_delivered: placement.gpu_hours_delivered,
    ...(failure !== undefined ? { failure_reason: failure } : {}),
    observed_at: new Date(Math.round(placement.ended_at)).toISOString(),
  };
}

/** What is known when the workload starts serving: filled, how fast, how far; not yet the bill. */
function firstOutcome(decisionId: string, candidate: ScoredCandidate, placement: PlacementOutcome): Outcome {
  return {
    decision_id: decisionId,
    provider: candidate.offer.provider,
    offer_id: candidate.offer.offer_id,
    filled: placement.filled,
    ...(placement.time_to_running_ms !== undefined ? { time_to_running_ms: placement.time_to_running_ms } : {}),
    ...(placement.achieved_latency_ms !== undefined ? { achieved_latency_ms: placement.achieved_latency_ms } : {}),
    observed_at: new Date(Math.round(placement.first_feedback_at)).toISOString(),
  };
}

/** A binary min-heap of outcome deliveries by time, then by insertion. */
class DeliveryQueue {
  private readonly heap: Delivery[] = [];

  push(delivery: Delivery): void {
    const heap = this.heap;
    heap.push(delivery);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  /** The earliest delivery due at or before `time`, removed; undefined when none is due. */
  popUntil(time: number): Delivery | undefined {
    const heap = this.heap;
    if (heap.length === 0 || heap[0]!.at > time) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
        index = smallest;
      }
    }
    return top;
  }
}

function before(a: Delivery, b: Delivery): boolean {
  return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
}
