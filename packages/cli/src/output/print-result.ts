import type { CliContext } from '../cli-context';

/** Prints `value` as JSON when asked, else the human form. */
export function printResult(context: CliContext, json: boolean, value: unknown, human: () => string): void {
  context.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : human());
}
