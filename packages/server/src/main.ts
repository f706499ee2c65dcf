/* The process entry of `pnpm start`: the only file here that touches process signals and exit codes. */
import { AuroraError } from '@aurora/router';
import { startServer } from './start';

async function main(): Promise<void> {
  let server;
  try {
    server = await startServer({ environment: process.env });
  } catch (error) {
    process.stderr.write(`aurora: ${AuroraError.isInstance(error) ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exitCode = 1;
    return;
  }
  const running = server;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`aurora: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    running.app.log.info({ signal }, 'shutting down');
    running.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`aurora: shutdown failed: ${(error as Error)?.message ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
