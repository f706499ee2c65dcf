import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluatePolicyOffline, LearningPolicy, parseJsonLines, RulePolicy, type TargetPolicy } from '@aurora/router';
import { CliError, type CliContext } from '../cli-context';
import { formatTable } from '../output/format-table';

type EvaluateOptions = { log: string; policy: string; json?: boolean };

const estimators = ['ips', 'snips', 'dr'] as const;

export function registerEvaluateCommand(program: Command, context: CliContext): void {
  program
    .command('evaluate')
    .description('off-policy evaluation (IPS, SNIPS, doubly robust) of a policy from a decision log (JSON lines)')
    .requiredOption('--log <file>', 'logged decisions with outcomes, one JSON record per line')
    .requiredOption('--policy <policy>', 'rules | ai | ai:<state.json> (a saved learning policy)')
    .option('--json', 'print JSON')
    .action(async (options: EvaluateOptions) => {
      const records = parseJsonLines(await readText(options.log, '--log'));
      if (records.length === 0) throw new CliError(`--log: ${options.log} has no records`, 1);
      const policy = await targetPolicy(options.policy);
      const evaluation = await evaluatePolicyOffline({ records, policy });
      const result = {
        bench: 'ope',
        log: options.log,
        policy: options.policy,
        records: evaluation.records,
        skipped_records: evaluation.skipped_records,
        logged_mean_reward: evaluation.logged_mean_reward,
        effective_sample_size: evaluation.effective_sample_size,
        mean_weight: evaluation.mean_weight,
        max_weight: evaluation.max_weight,
        interval: evaluation.interval,
        confidence: evaluation.confidence,
        ...Object.fromEntries(estimators.map((name) => [name, { estimate: evaluation[name].estimate, ci: evaluation[name].ci, standard_error: evaluation[name].standard_error }])),
        warnings: evaluation.warnings,
      };
      if (options.json) {
        context.stdout(`${JSON.stringify(result)}\n`);
        return;
      }
      const rows = estimators.map((name) => ({ name, ...evaluation[name] }));
      context.stdout(
        `Policy ${options.policy} on ${evaluation.records} logged decisions (${evaluation.skipped_records} without outcome skipped); ` +
          `logged mean reward ${evaluation.logged_mean_reward.toFixed(4)}, effective sample size ${evaluation.effective_sample_size.toFixed(1)}\n` +
          formatTable(rows, [
            { header: 'ESTIMATOR', value: (row) => row.name },
            { header: 'VALUE', value: (row) => row.estimate.toFixed(4) },
            { header: `${Math.round(evaluation.confidence * 100)}% CI (${evaluation.interval})`, value: (row) => `[${row.ci[0].toFixed(4)}, ${row.ci[1].toFixed(4)}]` },
            { header: 'STD_ERROR', value: (row) => row.standard_error.toFixed(4) },
          ]) +
          evaluation.warnings.map((warning) => `warning: ${warning}\n`).join(''),
      );
    });
}

/** `rules` (the scorer's argmax), `ai` (a fresh learning policy) or `ai:<file>` (one restored from its saved state). */
async function targetPolicy(spec: string): Promise<TargetPolicy> {
  const [name, ...rest] = spec.split(':');
  const statePath = rest.join(':');
  if (name === 'rules' && statePath === '') return new RulePolicy();
  if (name === 'ai') {
    if (statePath === '') return new LearningPolicy();
    const text = await readText(statePath, '--policy');
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      throw new CliError(`--policy: ${statePath} is not JSON (expected a saved learning policy state)`, 1);
    }
    return LearningPolicy.fromJSON(state);
  }
  throw new CliError(`--policy: expected rules, ai or ai:<state.json>, got "${spec}"`, 2);
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 1);
  }
}
