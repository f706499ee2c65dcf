import type { PolicyStatus } from '@aurora/server';
import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import type { CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';
import { printResult } from '../output/print-result';

type Estimate = { estimate: number; ci: [number, number] };

export function registerPolicyCommand(program: Command, context: CliContext): void {
  program
    .command('policy')
    .description('show the routing policy: mode, rollout stage, arms, A/B metrics, model, off-policy estimates, Psi-field')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const status = await createApiClient(context).request<PolicyStatus>('GET', '/policy');
      printResult(context, options.json ?? false, status, () => formatPolicy(status));
    });
}

/** The human view of GET /policy: a summary, then the arms and the guardrails as tables. */
export function formatPolicy(status: PolicyStatus): string {
  const lines: Array<[string, string]> = [
    ['mode', status.mode],
    ['policy', `${status.policy.id} ${status.policy.version}`],
    ['ai share', `${status.ai_percentage} %`],
  ];
  const { rollout, model, ope, psi } = status;
  if (rollout) {
    const stage = rollout.stage_index === null ? 'rolled back to 0 %' : `stage ${rollout.stage_index + 1} of ${rollout.stages.length} (${rollout.percentage} %)`;
    lines.push(['rollout', `${rollout.phase}, ${stage} since ${rollout.stage_started_at}; stages ${rollout.stages.join(' -> ')}; version ${rollout.version}${rollout.leader ? ', evaluated here' : ''}`]);
    if (rollout.last_decision) lines.push(['last decision', `${rollout.last_decision.action}: ${rollout.last_decision.reasons.join('; ')}`]);
    const change = rollout.history.at(-1);
    if (change) lines.push(['last change', `${change.kind} ${change.from} % -> ${change.to} % at ${change.at}: ${change.reason}`]);
  }
  if (model) {
    lines.push(['model', `${model.policy_id} ${model.version}, state ${model.state.state_id} (version ${model.state.version}${model.state.synced_at ? `, synced ${model.state.synced_at}` : ''})`]);
    lines.push(['evidence', `${number(model.evidence)} effective, ${model.observations} outcomes, ${model.pending_decisions} waiting, residual sd ${number(model.residual_std)}`]);
    if (model.state.incompatible) lines.push(['state', `not shared: ${model.state.incompatible}`]);
  }
  if (ope) {
    lines.push([
      'off-policy',
      ope.estimates
        ? `value ${estimate(ope.estimates.dr, false)} (doubly robust), uplift over rules ${estimate(ope.uplift_over_rules?.dr)} on ${ope.records} decisions, at ${ope.computed_at}`
        : `no estimate yet: ${ope.warnings.join('; ')}`,
    ]);
  }
  if (psi) {
    const drift = psi.reward_model_drift;
    lines.push([
      'psi',
      `entropy ${number(psi.decision_entropy.normalized)}, exploration ${number(psi.exploration_rate)}, rule agreement ${number(psi.rule_agreement)}, guarded ${number(psi.guarded_share)}` +
        (psi.uplift_over_rules ? `, uplift ${estimate(psi.uplift_over_rules)} (${psi.uplift_over_rules.source})` : '') +
        (drift ? `, drift ${number(drift.page_hinkley)} of ${number(drift.threshold)}${drift.drifted ? ' DRIFTED' : ''}` : ''),
    ]);
  }
  const width = Math.max(...lines.map(([label]) => label.length));
  let text = lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n\n';

  const metrics = status.ab_metrics.arms;
  text += formatTable(['rules', 'ai'] as const, [
    { header: 'ARM', value: (arm) => arm },
    { header: 'SHARE', value: (arm) => `${status.arms[arm]!.share} %`, align: 'right' },
    { header: 'DECISIONS', value: (arm) => status.arms[arm]!.decisions, align: 'right' },
    { header: 'OUTCOMES', value: (arm) => metrics[arm].outcomes, align: 'right' },
    { header: 'FILL_RATE', value: (arm) => interval(metrics[arm].fill_rate.estimate, metrics[arm].fill_rate.interval_95) },
    { header: 'USD/GPU-H', value: (arm) => interval(metrics[arm].cost_per_gpu_hour.estimate, metrics[arm].cost_per_gpu_hour.interval_95) },
    { header: 'TIME_TO_RUNNING_MS', value: (arm) => interval(metrics[arm].time_to_running_ms.mean, metrics[arm].time_to_running_ms.interval_95) },
    { header: 'MEAN_REWARD', value: (arm) => status.arms[arm]!.mean_reward, align: 'right' },
  ]);
  if (status.ab_metrics.fill_rate_improvement !== null) text += `fill rate, ai minus rules: ${signed(status.ab_metrics.fill_rate_improvement)}\n`;
  if (rollout && rollout.guardrails.length > 0) {
    text += '\n' + formatTable(rollout.guardrails, [
      { header: 'GUARDRAIL', value: (row) => row.metric },
      { header: 'MARGIN', value: (row) => (row.margin_type === 'relative' ? `${number(row.margin * 100)} %` : number(row.margin)) },
      { header: 'STATUS', value: (row) => row.status },
      { header: 'AI', value: (row) => (row.treatment === null ? null : number(row.treatment)), align: 'right' },
      { header: 'RULES', value: (row) => (row.control === null ? null : number(row.control)), align: 'right' },
      { header: 'P_BREACH', value: (row) => number(row.breach_p_value), align: 'right' },
      { header: 'P_NON_INFERIOR', value: (row) => number(row.non_inferiority_p_value), align: 'right' },
    ]);
  }
  return text;
}

function number(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${number(value)}`;
}

function estimate(value: Estimate | null | undefined, sign = true): string {
  if (!value) return '-';
  return `${sign ? signed(value.estimate) : number(value.estimate)} [${number(value.ci[0])}, ${number(value.ci[1])}]`;
}

function interval(value: number | null, range: { lower: number; upper: number } | null): string | null {
  if (value === null) return null;
  return range ? `${number(value)} [${number(range.lower)}, ${number(range.upper)}]` : number(value);
}
