import { evaluatePolicyOffline, RulePolicy, type DecisionLogRecord, type LearningPolicy, type PolicyValueEstimate, type RewardOptions } from '@aurora/router';
import type { RouterConfig } from '../config/router-config-schema';
import type { DeploymentStore } from '../ledger/index';
import { toLogRecord } from './decision-log-records';

export type OfflineEvaluationSettings = RouterConfig['policy']['evaluation'];

/** GET /policy's `ope`: the learning policy's value estimated on the logged decisions. */
export type OfflineEvaluationSummary = {
  computed_at: string;
  /** Decisions with an outcome the estimate used (and skipped: not usable). */
  records: number;
  window: { since: string; until: string };
  /** Mean reward of the logged decisions (what the logging policies earned). */
  logged_mean_reward: number | null;
  /** The learning policy's estimated mean reward per decision. */
  estimates: { ips: PolicyValueEstimate; snips: PolicyValueEstimate; dr: PolicyValueEstimate } | null;
  /** The learning policy minus the rule policy (the scorer's pick), paired on the same decisions. */
  uplift_over_rules: { ips: PolicyValueEstimate; snips: PolicyValueEstimate; dr: PolicyValueEstimate } | null;
  effective_sample_size: number | null;
  warnings: string[];
};

export type OfflineEvaluationOptions = {
  store: DeploymentStore;
  learner: LearningPolicy;
  settings: OfflineEvaluationSettings;
  reward: RewardOptions;
  clock: { now(): number };
};

/** Below this many decisions with outcomes, no estimate is attempted. */
const minimumRecords = 10;

/**
 * Off-policy evaluation of the live learning policy, run in the background and cached: the newest
 * `max_records` logged decisions with an outcome in the last `window_ms` (every replica's, from
 * the ledger), IPS, SNIPS and doubly robust estimates with bootstrap intervals, and the uplift
 * over the rule policy on the same decisions.
 */
export class OfflineEvaluation {
  private readonly options: OfflineEvaluationOptions;
  private latest: OfflineEvaluationSummary | null = null;

  constructor(options: OfflineEvaluationOptions) {
    this.options = options;
  }

  summary(): OfflineEvaluationSummary | null {
    return this.latest;
  }

  async refresh(): Promise<OfflineEvaluationSummary> {
    const { store, settings, clock, learner } = this.options;
    const until = clock.now();
    const since = new Date(until - settings.window_ms).toISOString();
    const latest = await store.latestDecisionsWithOutcome({ since, limit: settings.max_records });
    // Oldest first, as the decisions were taken; decisions stored without a log record are skipped.
    const records: DecisionLogRecord[] = latest.reverse().flatMap((item) => {
      const record = toLogRecord(item, this.options.reward);
      return record ? [record] : [];
    });
    const base = { computed_at: new Date(until).toISOString(), records: records.length, window: { since, until: new Date(until).toISOString() } };
    if (records.length < minimumRecords) {
      this.latest = {
        ...base,
        logged_mean_reward: null,
        estimates: null,
        uplift_over_rules: null,
        effective_sample_size: null,
        warnings: [`${records.length} logged decisions with an outcome in the window; at least ${minimumRecords} are needed for an estimate`],
      };
      return this.latest;
    }
    const evaluation = await evaluatePolicyOffline({
      records,
      policy: learner,
      baseline: new RulePolicy(),
      bootstrapSamples: settings.bootstrap_samples,
      reward: this.options.reward,
    });
    this.latest = {
      ...base,
      logged_mean_reward: evaluation.logged_mean_reward,
      estimates: { ips: evaluation.ips, snips: evaluation.snips, dr: evaluation.dr },
      uplift_over_rules: evaluation.uplift ? { ips: evaluation.uplift.ips, snips: evaluation.uplift.snips, dr: evaluation.uplift.dr } : null,
      effective_sample_size: evaluation.effective_sample_size,
      warnings: evaluation.warnings,
    };
    return this.latest;
  }
}
