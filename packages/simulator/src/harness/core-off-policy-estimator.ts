import { evaluatePolicyOffline } from '@aurora/router';
import type { OffPolicyEstimator } from './policy-experiment';

/**
 * The core's `evaluatePolicyOffline` (IPS, SNIPS and doubly robust with a cross-fitted ridge
 * reward model; percentile bootstrap intervals) as the experiment's off-policy estimator.
 */
export const coreOffPolicyEstimator: OffPolicyEstimator = async (records, target) => {
  const evaluation = await evaluatePolicyOffline({ records, policy: target });
  return {
    ips: { estimate: evaluation.ips.estimate, ci95: evaluation.ips.ci },
    snips: { estimate: evaluation.snips.estimate, ci95: evaluation.snips.ci },
    dr: { estimate: evaluation.dr.estimate, ci95: evaluation.dr.ci },
  };
};
