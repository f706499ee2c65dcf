/** What a command needs from the outside world, injected so the CLI runs in-process in tests. */
export type CliContext = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands stop on it. */
  interrupted: AbortSignal;
};

/** A failure the CLI reports as one line on stderr with a non-zero exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
