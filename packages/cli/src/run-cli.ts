import { Command, CommanderError } from 'commander';
import { AuroraError } from '@aurora/router';
import { CliError, type CliContext } from './cli-context';
import { registerDecisionsCommand } from './commands/decisions-command';
import { registerDeploymentsCommand } from './commands/deployments-command';
import { registerEvaluateCommand } from './commands/evaluate-command';
import { registerFakeCommand } from './commands/fake-command';
import { registerLogsCommand } from './commands/logs-command';
import { registerPolicyCommand } from './commands/policy-command';
import { registerProvidersCommand } from './commands/providers-command';
import { registerQuoteCommand } from './commands/quote-command';
import { registerRouteCommand } from './commands/route-command';
import { registerServeCommand } from './commands/serve-command';
import { registerSimulateCommand } from './commands/simulate-command';
import { registerStatusCommand } from './commands/status-command';
import { registerTerminateCommand } from './commands/terminate-command';
import { VERSION } from './version';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. Never exits the process. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const program = new Command('aurora')
    .description('Aurora Router: place GPU work on the best provider, then watch, bill and tear it down')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: context.stdout, writeErr: context.stderr, outputError: () => {} })
    .showHelpAfterError(false);
  for (const register of [
    registerRouteCommand, registerStatusCommand, registerLogsCommand, registerTerminateCommand, registerProvidersCommand,
    registerQuoteCommand, registerDeploymentsCommand, registerServeCommand, registerFakeCommand,
    registerSimulateCommand, registerEvaluateCommand,
    registerPolicyCommand, registerDecisionsCommand,
  ]) register(program, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, context);
  }
}

function reportError(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    context.stderr(`aurora: ${oneLine(error.message.replace(/^error: /, ''))}\n`);
    return error.exitCode || 2;
  }
  if (error instanceof CliError) {
    context.stderr(`aurora: ${oneLine(error.message)}\n`);
    return error.exitCode;
  }
  if (AuroraError.isInstance(error)) {
    context.stderr(`aurora: ${error.code}: ${oneLine(error.message)}\n`);
    return 1;
  }
  context.stderr(`aurora: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return 1;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
