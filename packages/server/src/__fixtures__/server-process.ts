import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainModule = fileURLToPath(new URL('../main.ts', import.meta.url));

export type ServerProcess = {
  /** `http://127.0.0.1:<port>`, from the server's "listening" log line. */
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * `pnpm start` as a child process (`node --conditions=@aurora/source --import tsx
 * packages/server/src/main.ts`), configured only through `environment` (AURORA_CONFIG_DIR,
 * AURORA_PORT=0, AURORA_SQLITE_PATH, provider keys). Resolves once it listens.
 */
export async function startServerProcess(environment: Record<string, string>, startTimeoutMs = 20_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--conditions=@aurora/source', '--import', 'tsx', mainModule], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    let settled = false;
    const timer = setTimeout(() => fail(`did not listen within ${startTimeoutMs} ms`), startTimeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`aurora server process ${why}:\n${output}`));
    };
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      pending += text;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        const listening = parseListening(line);
        if (listening && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(listening);
        }
      }
    });
    void exited.then(({ code, signal }) => fail(`exited (code ${code}, signal ${signal}) before listening`));
  });

  return {
    url,
    child,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function parseListening(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'aurora server listening' && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

/** GET `url` from a server process; the answer must be 200 JSON. */
export async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.json();
}
