import type { Command } from 'commander';
import { CliError, type CliContext } from '../cli-context';

type RunningFake = { url: string; apiKey?: string; providerGatewayUrl?: string; close(): Promise<void> };

const fakes: Record<string, (options: { port: number; host: string }) => Promise<RunningFake>> = {
  akash: async (options) => (await import('@aurora/adapter-akash/testing')).startAkashFake(options),
  ionet: async (options) => (await import('@aurora/adapter-ionet/testing')).startIonetFake(options),
};

export function registerFakeCommand(program: Command, context: CliContext): void {
  program
    .command('fake')
    .description("run a local fake of a provider's API to develop against (akash, ionet)")
    .argument('<provider>', Object.keys(fakes).join(' | '))
    .option('--port <port>', 'listen port', '0')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .action(async (provider: string, options: { port: string; host: string }) => {
      const start = fakes[provider];
      if (!start) throw new CliError(`no fake for "${provider}"; available: ${Object.keys(fakes).join(', ')}`);
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError(`--port: expected a port number, got "${options.port}"`);
      const fake = await start({ port, host: options.host });
      context.stdout(`${provider} fake listening on ${fake.url}\n`);
      if (fake.providerGatewayUrl) context.stdout(`provider gateway (logs websocket) on ${fake.providerGatewayUrl}\n`);
      if (fake.apiKey) context.stdout(`API key: ${fake.apiKey} (a fake key; set ${provider.toUpperCase()}_API_KEY to it and ${provider.toUpperCase()}_BASE_URL to the URL above)\n`);
      await new Promise<void>((resolve) => context.interrupted.addEventListener('abort', () => resolve(), { once: true }));
      await fake.close();
    });
}
