import type { Decision, Deployment } from '@aurora/router';

const money = (value: number) => `${value.toFixed(2)} USD/h`;
const fixed = (value: number) => value.toFixed(3);

/**
 * A routing decision in words: the ranked candidates with what each criterion contributed to the
 * score, the rejected offers by reason, every deploy attempt, and the choice.
 */
export function formatDecision(decision: Decision, deployment: Deployment): string {
  const lines: string[] = [];
  const weights = decision.weights;
  lines.push(`Decision ${decision.decision_id} (policy ${decision.policy.id}@${decision.policy.version}, arm ${decision.arm})`);
  lines.push(
    `Weights: price ${fixed(weights.price)}, latency ${fixed(weights.latency)}, reputation ${fixed(weights.reputation)}, availability ${fixed(weights.availability)}`,
  );

  lines.push('', `Ranked candidates (${decision.candidates.length}):`);
  for (const candidate of decision.candidates) {
    const { offer, contributions } = candidate;
    lines.push(
      `  #${candidate.rank} ${offer.provider}/${offer.offer_id}  score ${fixed(candidate.score)}` +
        `  = price ${fixed(contributions.price)} + latency ${fixed(contributions.latency)}` +
        ` + reputation ${fixed(contributions.reputation)} + availability ${fixed(contributions.availability)}` +
        `  [${money(offer.price_usd_per_hour)}, ${offer.estimated_latency_ms} ms, reputation ${offer.reputation}, ${offer.region}]`,
    );
  }

  const rejected = Object.entries(decision.rejection_counts.by_reason).sort(([, a], [, b]) => b - a);
  const rejectedTotal = rejected.reduce((sum, [, count]) => sum + count, 0);
  lines.push('', `Rejected offers (${rejectedTotal}):`);
  if (rejected.length === 0) lines.push('  none');
  for (const [reason, count] of rejected) {
    const examples = decision.rejections.filter((rejection) => rejection.reason === reason).map((rejection) => `${rejection.provider}/${rejection.offer_id}: ${rejection.detail}`);
    lines.push(`  ${reason}: ${count}`);
    for (const example of examples) lines.push(`    - ${example}`);
  }

  lines.push('', `Deploy attempts (${decision.attempts.length}):`);
  for (const attempt of decision.attempts) {
    const outcome = attempt.result === 'deployed'
      ? 'deployed'
      : `failed: ${attempt.error?.code ?? 'unknown'}${attempt.error?.retryable ? ' (retryable, failed over)' : ''} ${attempt.error?.message ?? ''}`.trim();
    lines.push(`  ${attempt.attempt}. ${attempt.provider}/${attempt.offer_id} ${outcome}`);
  }

  lines.push('');
  if (decision.chosen) {
    lines.push(
      `Policy choice: ${decision.chosen.provider}/${decision.chosen.offer_id} at ${money(decision.chosen.price_usd_per_hour)} (propensity ${decision.propensity.toFixed(2)})`,
    );
  } else {
    lines.push('Policy choice: nothing');
  }
  const deployed = decision.attempts.find((attempt) => attempt.result === 'deployed');
  lines.push(`Deployed on: ${deployed ? `${deployed.provider}/${deployed.offer_id}` : 'nothing'} at ${money(deployment.price_usd_per_hour)}`);
  lines.push(`Deployment ${deployment.deployment_id} on ${deployment.provider}: ${deployment.status} (provider id ${deployment.provider_deployment_id ?? 'none'})`);
  return lines.join('\n');
}
