import type { Command } from 'commander';
import type { CliContext } from '../cli-context';

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the Aurora server (SQLite ledger under ./.aurora, simulated providers without credentials)')
    .option('--config <dir>', 'directory with providers.yaml and router.yaml (AURORA_CONFIG_DIR)')
    .option('--host <host>', 'listen address (AURORA_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (AURORA_PORT, default 8080)')
    .action(async (options: { config?: string; host?: string; port?: string }) => {
      // Loaded only here, so client commands start fast and need no server dependencies.
      const { startServer } = await import('@aurora/server');
      const environment = { ...context.environment };
      if (options.config) environment.AURORA_CONFIG_DIR = options.config;
      if (options.host) environment.AURORA_HOST = options.host;
      if (options.port) environment.AURORA_PORT = options.port;
      const server = await startServer({ environment });
      context.stderr(`aurora server listening on ${server.url}\n`);
      await new Promise<void>((resolve) => context.interrupted.addEventListener('abort', () => resolve(), { once: true }));
      await server.close();
    });
}
