import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import { CliError, type CliContext } from '../cli-context';
import { readServerSentEvents } from '../read-server-sent-events';

type LogLine = { timestamp: string; stream?: string; message: string; source?: string };

export function registerLogsCommand(program: Command, context: CliContext): void {
  program
    .command('logs')
    .description("print a deployment's logs")
    .argument('<id>', 'deployment id (dep-...)')
    .option('-f, --follow', 'keep streaming new lines')
    .option('--tail <n>', 'only the last N lines')
    .option('--since <time>', 'only lines at or after this ISO time')
    .option('--json', 'one JSON object per line')
    .action(async (id: string, options: { follow?: boolean; tail?: string; since?: string; json?: boolean }) => {
      const client = createApiClient(context);
      const path = `/deployments/${encodeURIComponent(id)}/logs`;
      const query = { tail: options.tail, since: options.since };
      const print = (line: LogLine) =>
        context.stdout(options.json ? `${JSON.stringify(line)}\n` : `${line.timestamp} ${line.stream === 'stderr' ? '! ' : ''}${line.message}\n`);
      if (!options.follow) {
        const lines = await client.request<LogLine[]>('GET', path, { query });
        for (const line of lines) print(line);
        return;
      }
      const response = await client.stream(path, { ...query, follow: true }, context.interrupted);
      try {
        for await (const event of readServerSentEvents(response)) {
          if (event.event === 'error') throw new CliError(`log stream error: ${event.data}`);
          if (event.event === 'end') return;
          print(JSON.parse(event.data) as LogLine);
        }
      } catch (error) {
        if (context.interrupted.aborted) return;
        throw error;
      }
    });
}
