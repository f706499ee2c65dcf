import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { createApiClient } from '../api-client';
import { CliError, type CliContext } from '../cli-context';

type ExportOptions = { out: string; since?: string; limit?: string };

export function registerDecisionsCommand(program: Command, context: CliContext): void {
  const decisions = program.command('decisions').description('the decision log: every routing decision with its candidates, propensity and outcome');
  decisions
    .command('export')
    .description('write the logged decisions as JSON lines (one DecisionLogRecord per line, oldest first); needs an admin key')
    .requiredOption('--out <file>', 'the file to write')
    .option('--since <time>', 'only decisions at or after this ISO-8601 time')
    .option('--limit <n>', 'at most this many decisions (default: the server\'s, 10000)')
    .action(async (options: ExportOptions) => {
      const query = exportQuery(options);
      const response = await createApiClient(context).stream('/decisions/export', query, context.interrupted);
      if (!response.body) throw new CliError('the server sent no export body');
      // Written beside the target and renamed at the end: an interrupted export leaves no half file.
      const partial = `${options.out}.partial`;
      let lines = 0;
      const countLines = async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          for (const byte of chunk) if (byte === 0x0a) lines++;
          yield chunk;
        }
      };
      try {
        await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), countLines, createWriteStream(partial));
        await rename(partial, options.out);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      context.stdout(`exported ${lines} decision${lines === 1 ? '' : 's'} to ${options.out}\n`);
    });
}

function exportQuery(options: ExportOptions): Record<string, string | number | undefined> {
  if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
    throw new CliError(`--since must be an ISO-8601 time such as 2026-03-01T00:00:00Z, not "${options.since}"`, 2);
  }
  let limit: number | undefined;
  if (options.limit !== undefined) {
    limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive integer, not "${options.limit}"`, 2);
  }
  return { since: options.since, limit };
}
