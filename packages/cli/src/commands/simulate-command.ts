import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  coreOffPolicyEstimator, learningPolicyFactory, loadMarketData, policyBenchLine, rulesPolicyFactory, runPolicyExperiment,
  type ExperimentReport, type PolicyDifference, type PolicyFactory, type PolicySummary,
} from '@aurora/simulator';
import { CliError, type CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';

type SimulateOptions = {
  prices?: string[];
  trace?: string[];
  availability?: string;
  policies: string;
  seeds: string;
  requests: string;
  epsilon: string;
  ope: boolean;
  leaveOneProviderOut?: boolean;
  writeLog?: string;
  writeState?: string;
  json?: boolean;
  quiet?: boolean;
};

const factories: Record<string, () => PolicyFactory> = {
  rules: rulesPolicyFactory,
  ai: () => learningPolicyFactory(),
};

export function registerSimulateCommand(program: Command, context: CliContext): void {
  program
    .command('simulate')
    .description('A/B the routing policies on the seeded market simulator (real price catalogs and traces, or synthetic)')
    .option('--prices <files...>', 'price catalogs in the SkyPilot CSV schema (provider = file name prefix; Shadeform: InstanceType prefix)')
    .option('--trace <files...>', 'workload traces, by header: Alibaba GPU pods, Stable Diffusion requests, cold-start latencies')
    .option('--availability <dir>', 'directory of spot availability/preemption JSON traces (capacity episodes)')
    .option('--policies <list>', 'control first, then the treatment: rules,ai', 'rules,ai')
    .option('--seeds <n>', 'worlds to simulate (seeds 1..n)', '10')
    .option('--requests <n>', 'arrivals in the simulated month', '2000')
    .option('--epsilon <e>', "exploration of the rules that write the warm-up and OPE logs", '0.1')
    .option('--no-ope', 'skip the off-policy evaluation part')
    .option('--leave-one-provider-out', 'also run each learning treatment with each provider left out of its warm start')
    .option('--write-log <file>', "write seed 1's holdout decision log (rules with epsilon) as JSON lines")
    .option('--write-state <file>', "write seed 1's learned treatment policy state (JSON) after its month")
    .option('--json', 'print only the JSON result line')
    .option('--quiet', 'no progress on stderr')
    .action(async (options: SimulateOptions) => {
      const policies = parsePolicies(options.policies);
      const seeds = positiveInteger(options.seeds, '--seeds');
      const requests = positiveInteger(options.requests, '--requests');
      const epsilon = Number(options.epsilon);
      if (!(epsilon > 0 && epsilon < 1)) throw new CliError(`--epsilon: expected a number in (0, 1), got "${options.epsilon}"`, 2);
      const market = await loadMarketData({
        ...(options.prices ? { prices: options.prices } : {}),
        ...(options.trace ? { traces: options.trace } : {}),
        ...(options.availability !== undefined ? { availability: options.availability } : {}),
      });
      if (!options.quiet) {
        for (const warning of market.warnings) context.stderr(`aurora: warning: ${warning}\n`);
        context.stderr(describeInputs(market, options));
      }
      const started = Date.now();
      const seedList = Array.from({ length: seeds }, (_, index) => index + 1);
      const report = await runPolicyExperiment({
        market,
        seeds: seedList,
        requests,
        policies,
        loggingEpsilon: epsilon,
        ...(options.ope && policies.some((policy) => policy.learns) ? { offPolicy: coreOffPolicyEstimator } : {}),
        ...(options.leaveOneProviderOut ? { leaveOneProviderOut: true } : {}),
        onProgress: (event) => {
          if (context.interrupted.aborted) throw new CliError('interrupted', 130);
          if (options.quiet) return;
          const detail = [event.policy, event.provider ? `without ${event.provider}` : undefined].filter(Boolean).join(' ');
          context.stderr(`  seed ${event.seed}: ${event.phase}${detail ? ` (${detail})` : ''} [${((Date.now() - started) / 1000).toFixed(1)} s]\n`);
        },
        ...(options.writeLog || options.writeState
          ? {
              onSeedArtifacts: async (artifacts) => {
                if (artifacts.seed !== seedList[0]) return;
                if (options.writeLog) await writeFile(options.writeLog, artifacts.holdoutLogJsonLines);
                const learned = [...artifacts.policyStates.values()][0];
                if (options.writeState && learned !== undefined) await writeFile(options.writeState, `${JSON.stringify(learned)}\n`);
              },
            }
          : {}),
      });
      if (!options.json) context.stdout(formatReport(report));
      context.stdout(`${JSON.stringify(policyBenchLine(report))}\n`);
    });
}

function parsePolicies(list: string): PolicyFactory[] {
  const ids = list.split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0 || ids.length > 2) throw new CliError(`--policies: expected "control" or "control,treatment", got "${list}"`, 2);
  if (new Set(ids).size !== ids.length) throw new CliError(`--policies: "${list}" names a policy twice`, 2);
  return ids.map((id) => {
    const create = factories[id];
    if (!create) throw new CliError(`--policies: unknown policy "${id}"; known: ${Object.keys(factories).join(', ')}`, 2);
    return create();
  });
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`${flag}: expected a whole number >= 1, got "${text}"`, 2);
  return value;
}

function describeInputs(market: Awaited<ReturnType<typeof loadMarketData>>, options: SimulateOptions): string {
  const providers = new Set(market.catalog.map((entry) => entry.provider));
  const prices = market.catalog.length > 0 ? `${market.catalog.length} catalog rows, ${providers.size} providers (${[...providers].join(', ')})` : 'synthetic catalog (8 profiles)';
  const workloads = market.traces.filter((trace) => trace.kind !== 'cold-start');
  const traces = workloads.length > 0 ? workloads.map((trace) => `${trace.file} (${'jobs' in trace ? trace.jobs.length : 0} jobs)`).join(', ') : 'synthetic workload';
  const coldStart = market.traces.some((trace) => trace.kind === 'cold-start') ? 'cold starts from trace' : 'synthetic cold starts';
  const availability = market.availability.length > 0 ? `${market.availability.length} availability traces` : 'synthetic capacity episodes';
  return `aurora simulate: ${prices}; ${traces}; ${coldStart}; ${availability}; ${options.seeds} seeds x ${options.requests} requests\n`;
}

/** The human-readable report: per policy, the differences, OPE, leave-one-provider-out. */
export function formatReport(report: ExperimentReport): string {
  const interval = (estimate: { mean: number; ci95: [number, number] }, digits: number, scale = 1) =>
    `${(estimate.mean * scale).toFixed(digits)} [${(estimate.ci95[0] * scale).toFixed(digits)}, ${(estimate.ci95[1] * scale).toFixed(digits)}]`;
  const policyRows = (policies: Record<string, PolicySummary>) => Object.entries(policies).map(([id, summary]) => ({ id, summary }));
  const policyTable = (policies: Record<string, PolicySummary>) => formatTable(policyRows(policies), [
    { header: 'POLICY', value: (row) => row.id },
    { header: 'FILL_%', value: (row) => interval(row.summary.fill_rate, 2, 100) },
    { header: 'USD/GPU-H', value: (row) => interval(row.summary.cost_per_gpu_hour_usd, 4) },
    { header: 'LATENCY_MS', value: (row) => interval(row.summary.latency_ms_mean, 1) },
    { header: 'P95_MS', value: (row) => interval(row.summary.latency_ms_p95, 1) },
    { header: 'START_S', value: (row) => interval(row.summary.time_to_running_ms_mean, 1, 0.001) },
    { header: 'REGRET', value: (row) => interval(row.summary.regret_mean, 4) },
  ]);
  const differenceRows = (differences: Record<string, PolicyDifference>) => Object.entries(differences).flatMap(([id, difference]) =>
    ([
      ['fill rate (points)', difference.fill_rate_pts],
      ['cost per GPU-hour (%)', difference.cost_pct],
      ['latency mean (%)', difference.latency_pct],
      ['latency p95 (%)', difference.latency_p95_pct],
      ['time to running (%)', difference.time_to_running_pct],
      ['reward', difference.reward],
      ['regret', difference.regret],
    ] as const).map(([figure, estimate]) => ({ id, figure, estimate })));
  const differenceTable = (differences: Record<string, PolicyDifference>) => formatTable(differenceRows(differences), [
    { header: 'TREATMENT', value: (row) => `${row.id} - ${report.control}` },
    { header: 'FIGURE', value: (row) => row.figure },
    { header: 'MEAN [95% CI]', value: (row) => interval(row.estimate, 3) },
    { header: 'CI_EXCLUDES_0', value: (row) => (row.estimate.ci95[0] > 0 || row.estimate.ci95[1] < 0 ? 'yes' : 'no') },
  ]);
  const parts = [
    `Policies over ${report.seeds.length} seeds x ${report.requests} requests (mean [95% t interval over seeds])\n`,
    policyTable(report.policies),
  ];
  if (report.treatments.length > 0) parts.push(`\nPaired differences (per seed, same world)\n`, differenceTable(report.differences));
  if (report.headroom) {
    const { informed } = report.headroom;
    parts.push(
      `\nHeadroom in the ${report.control} month: hindsight = each decision's best candidate knowing every outcome; ` +
        `informed = the best mean reward knowing every listing's true rates but not the luck of the draw\n`,
      policyTable({ hindsight: report.headroom.oracle, ...(informed ? { informed: informed.oracle } : {}) }),
      '\n',
      formatTable(differenceRows({ hindsight: report.headroom.over_control, ...(informed ? { informed: informed.over_control } : {}) }), [
        { header: 'CEILING', value: (row) => `${row.id} - ${report.control}` },
        { header: 'FIGURE', value: (row) => row.figure },
        { header: 'MEAN [95% CI]', value: (row) => interval(row.estimate, 3) },
      ]),
    );
    if (report.headroom.frontier) {
      parts.push(
        `\nCost-latency frontier in the ${report.control} month: clairvoyant = knows every outcome and fills whenever any candidate would; ` +
          `informed = knows every listing's true rates, not the luck of the draw. Each trades cost against latency (and fill) by the weights ` +
          `(latency none = latency only); means over seeds, ${report.control} = 0\n`,
        formatTable(report.headroom.frontier, [
          { header: 'ORACLE', value: (point) => point.oracle },
          { header: 'FILL_WEIGHT', value: (point) => (point.fill_weight === null ? '-' : String(point.fill_weight)) },
          { header: 'LATENCY_WEIGHT', value: (point) => (point.latency_weight === null ? 'none' : String(point.latency_weight)) },
          { header: 'FILL_PTS', value: (point) => signed(point.over_control.fill_rate_pts.mean, 2) },
          { header: 'COST_%', value: (point) => signed(point.over_control.cost_pct.mean, 1) },
          { header: 'LATENCY_%', value: (point) => signed(point.over_control.latency_pct.mean, 1) },
          { header: 'MEETS_FILL+5_COST-15_LATENCY-10', value: (point) => (meetsProofTargets(point.over_control) ? 'yes' : 'no') },
        ]),
      );
    }
  }
  for (const [id, ope] of Object.entries(report.ope ?? {})) {
    parts.push(`\nOff-policy evaluation of ${id} from the rules' holdout log (epsilon ${ope.logging_policy.epsilon}, ${ope.logged_decisions_per_seed} decisions per seed)\n`);
    parts.push(formatTable([
      { name: 'simulated truth', estimate: ope.truth, error: undefined as undefined | { mean: number; ci95: [number, number] }, errorOfMeans: undefined as number | undefined },
      ...Object.entries(ope.estimators).map(([name, value]) => ({ name, estimate: value.estimate, error: value.error_pct, errorOfMeans: value.error_of_means_pct })),
    ], [
      { header: 'ESTIMATOR', value: (row) => row.name },
      { header: 'VALUE [95% CI]', value: (row) => interval(row.estimate, 4) },
      { header: 'ERROR_% PER SEED', value: (row) => (row.error ? interval(row.error, 2) : '-') },
      { header: 'ERROR_OF_MEANS_%', value: (row) => (row.errorOfMeans !== undefined ? row.errorOfMeans.toFixed(2) : '-') },
    ]));
  }
  const lopo = report.leave_one_provider_out;
  if (lopo) {
    parts.push(`\nLeave one provider out of the warm start (treatment vs ${report.control}, paired per seed)\n`);
    const rows = [
      ...Object.entries(lopo.providers).flatMap(([provider, part]) => Object.entries(part.differences).map(([id, difference]) => ({ provider, id, difference, ope: part.ope?.[id] }))),
      ...Object.entries(lopo.pooled).map(([id, difference]) => ({ provider: 'pooled', id, difference, ope: undefined })),
    ];
    parts.push(formatTable(rows, [
      { header: 'LEFT_OUT', value: (row) => row.provider },
      { header: 'TREATMENT', value: (row) => row.id },
      { header: 'FILL_PTS', value: (row) => interval(row.difference.fill_rate_pts, 2) },
      { header: 'COST_%', value: (row) => interval(row.difference.cost_pct, 2) },
      { header: 'LATENCY_%', value: (row) => interval(row.difference.latency_pct, 2) },
      { header: 'REGRET', value: (row) => interval(row.difference.regret, 4) },
      { header: 'OPE_DR_ERR_%', value: (row) => (row.ope?.estimators['dr'] ? row.ope.estimators['dr'].error_of_means_pct.toFixed(2) : '-') },
    ]));
  }
  return `${parts.join('')}\n`;
}

function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** The learning policy's targets against the rules: fill +5 points, cost -15 %, latency -10 %. */
function meetsProofTargets(difference: PolicyDifference): boolean {
  return difference.fill_rate_pts.mean >= 5 && difference.cost_pct.mean <= -15 && difference.latency_pct.mean <= -10;
}
