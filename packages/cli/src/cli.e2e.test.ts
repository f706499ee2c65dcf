import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '@aurora/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The `aurora` command as a user runs it: a child process per command against a real server
// (startServer on a free loopback port, SQLite ledger and config in a temp dir, the simulated
// fleet on a 1,000x clock without failures), checking exit codes, stdout and stderr.

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cliEntry = path.join(repositoryRoot, 'packages/cli/src/cli.ts');
const e2eTimeoutMs = 90_000;

type Finished = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

type RunningCli = {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in everything the stream printed so far. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
  finished: Promise<Finished>;
};

/** The environment of the test process without any AURORA_* variable, plus `extra`. */
function environmentWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AURORA_') && !name.endsWith('_API_KEY')));
  return { ...inherited, NO_COLOR: '1', ...extra };
}

function startCli(args: readonly string[], environment: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, ['--conditions=@aurora/source', '--import', 'tsx', cliEntry, ...args], {
    cwd: repositoryRoot,
    env: environmentWith(environment),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const waiters: Array<{ stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = output[waiter.stream].match(waiter.pattern);
      if (!match) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]!.setEncoding('utf8');
    child[stream]!.on('data', (chunk: string) => {
      output[stream] += chunk;
      check();
    });
  }
  // Never outlive the test: a command that hangs is killed and fails its assertions.
  const killer = setTimeout(() => child.kill('SIGKILL'), e2eTimeoutMs - 5_000);
  const finished = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, ...output });
    });
  });
  return {
    child,
    finished,
    waitFor(stream, pattern) {
      return new Promise((resolve, reject) => {
        waiters.push({ stream, pattern, resolve });
        check();
        void finished.then(() => reject(new Error(`the command ended before printing ${pattern} on ${stream}:\n${output.stdout}\n${output.stderr}`)));
      });
    },
  };
}

function runCli(args: readonly string[], environment: Record<string, string>): Promise<Finished> {
  return startCli(args, environment).finished;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function writeConfig(directory: string): Promise<string> {
  const configDirectory = path.join(directory, 'config');
  await mkdir(configDirectory, { recursive: true });
  await writeFile(
    path.join(configDirectory, 'router.yaml'),
    [
      'server: { host: 127.0.0.1, port: 0, log_level: silent }',
      'ledger: { sqlite_path: aurora.db }',
      'simulator: { seed: cli-e2e, time_scale: 1000, failure_rate_multiplier: 0, api_latency: false }',
      '',
    ].join('\n'),
  );
  return configDirectory;
}

async function startTestServer(environment: Record<string, string> = {}): Promise<{ server: RunningServer; directory: string }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'aurora-cli-e2e-'));
  const configDirectory = await writeConfig(directory);
  const server = await startServer({ configDirectory, environment, workingDirectory: directory, logger: false });
  return { server, directory };
}

const routeArguments = ['route', '--workload', 'llm_inference', '--gpu', 'a100', '--region', 'us-west', '--duration', '2h', '--max-price', '3'];

describe('aurora against a running server', () => {
  let server: RunningServer;
  let directory: string;
  let environment: Record<string, string>;
  let deploymentId: string;

  beforeAll(async () => {
    ({ server, directory } = await startTestServer());
    environment = { AURORA_URL: server.url };
  });
  afterAll(async () => {
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('route --wait deploys, shows progress on stderr and exits 0 once running', { timeout: e2eTimeoutMs }, async () => {
    const result = await runCli([...routeArguments, '--wait', '--poll-interval', '50'], environment);
    expect(result.stderr).toMatch(/^\[\d+\.\d+s\] \w+/m);
    expect(lines(result.stderr).at(-1)).toMatch(/\] running/);
    expect(result.code).toBe(0);
    const placed = /^deployment (dep-[a-z0-9]+) on (\w+): \w+$/m.exec(result.stdout);
    expect(placed, result.stdout).not.toBeNull();
    expect(result.stdout).toMatch(/^running/m);
    expect(result.stdout).toMatch(/RANK\s+PROVIDER\s+REGION/);
    deploymentId = placed![1]!;
  });

  it('status shows the running deployment, as a table and as JSON', { timeout: e2eTimeoutMs }, async () => {
    const [table, json] = await Promise.all([
      runCli(['status', deploymentId], environment),
      runCli(['status', deploymentId, '--json'], environment),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^deployment\\s+${deploymentId}$`, 'm'));
    expect(table.stdout).toMatch(/^status\s+running/m);
    expect(table.stdout).toMatch(/^gpu\s+1 x a100 in us-west$/m);
    expect(json.code).toBe(0);
    const deployment = JSON.parse(json.stdout) as { deployment_id: string; status: string; price_usd_per_hour: number };
    expect(deployment).toMatchObject({ deployment_id: deploymentId, status: 'running' });
    expect(deployment.price_usd_per_hour).toBeLessThanOrEqual(3);
  });

  it('logs prints the lines so far; --json prints one JSON object per line', { timeout: e2eTimeoutMs }, async () => {
    const [text, json] = await Promise.all([runCli(['logs', deploymentId], environment), runCli(['logs', deploymentId, '--json'], environment)]);
    expect(text.code).toBe(0);
    expect(lines(text.stdout).length).toBeGreaterThan(0);
    for (const line of lines(text.stdout)) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+Z /);
    expect(json.code).toBe(0);
    for (const line of lines(json.stdout)) expect(JSON.parse(line)).toMatchObject({ timestamp: expect.any(String), message: expect.any(String) });
  });

  it('logs -f streams new lines until interrupted, then exits 0', { timeout: e2eTimeoutMs }, async () => {
    const following = startCli(['logs', deploymentId, '-f', '--tail', '2'], environment);
    await following.waitFor('stdout', /(?:.*\n){5}/);
    following.child.kill('SIGINT');
    const result = await following.finished;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result.stdout).length).toBeGreaterThanOrEqual(5);
  });

  it('logs into a reader that stops early (`| head`) exits 0 without a stack trace', { timeout: e2eTimeoutMs }, async () => {
    const following = startCli(['logs', deploymentId, '-f'], environment);
    await following.waitFor('stdout', /\n/);
    following.child.stdout!.destroy();
    const result = await following.finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('providers lists every provider, as a table and as JSON', { timeout: e2eTimeoutMs }, async () => {
    const [table, json] = await Promise.all([runCli(['providers'], environment), runCli(['providers', '--json'], environment)]);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^PROVIDER\s+HEALTHY\s+CIRCUIT/);
    expect(rows.slice(1).map((row) => row.split(/\s+/)[0]).sort()).toEqual(['aethir', 'akash', 'flux', 'ionet', 'render', 'runpod', 'salad', 'vastai']);
    for (const row of rows.slice(1)) expect(row).toMatch(/\d+\.\d\d-\d+\.\d\d .*simulated$/);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { providers: Array<{ provider: string; simulated: boolean }> };
    expect(body.providers).toHaveLength(8);
    expect(body.providers.every((provider) => provider.simulated)).toBe(true);
  });

  it('quote ranks offers without deploying, as a table and as JSON', { timeout: e2eTimeoutMs }, async () => {
    const quoteArguments = ['quote', '--workload', 'llm_inference', '--gpu', 'a100', '--region', 'us-west', '--max-price', '3'];
    const [table, json] = await Promise.all([runCli([...quoteArguments, '--limit', '3'], environment), runCli([...quoteArguments, '--json'], environment)]);
    expect(table.code).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^RANK\s+PROVIDER\s+OFFER/);
    expect(rows.length).toBeLessThanOrEqual(1 + 3 + 1);
    expect(rows.at(-1)).toMatch(/^\d+ eligible of \d+ offers/);
    expect(json.code).toBe(0);
    const quote = JSON.parse(json.stdout) as { candidates: Array<{ rank: number; offer: { region: string; price_usd_per_hour: number } }> };
    expect(quote.candidates.length).toBeGreaterThan(0);
    expect(quote.candidates[0]!.rank).toBe(1);
    for (const candidate of quote.candidates) {
      expect(candidate.offer.region).toBe('us-west');
      expect(candidate.offer.price_usd_per_hour).toBeLessThanOrEqual(3);
    }
  });

  it('deployments lists the deployment, as a table and as JSON', { timeout: e2eTimeoutMs }, async () => {
    const [table, json] = await Promise.all([runCli(['deployments'], environment), runCli(['deployments', '--json'], environment)]);
    expect(table.code).toBe(0);
    expect(lines(table.stdout)[0]).toMatch(/^DEPLOYMENT\s+STATUS\s+PROVIDER/);
    expect(table.stdout).toContain(deploymentId);
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout) as { deployments: Array<{ deployment_id: string }>; next_cursor: string | null };
    expect(page.deployments.map((deployment) => deployment.deployment_id)).toContain(deploymentId);
  });

  it('route --json prints the route response as JSON', { timeout: e2eTimeoutMs }, async () => {
    const result = await runCli([...routeArguments, '--json'], environment);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { deployment_id: string; decision: { candidates: unknown[] } };
    expect(body.deployment_id).toMatch(/^dep-/);
    expect(body.deployment_id).not.toBe(deploymentId);
    expect(body.decision.candidates.length).toBeGreaterThan(0);
  });

  it('terminate stops the deployment, and terminating again is safe', { timeout: e2eTimeoutMs }, async () => {
    const first = await runCli(['terminate', deploymentId], environment);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^deployment ${deploymentId} (terminating|terminated); cost \\d+\\.\\d{4} USD$`, 'm'));
    const second = await runCli(['terminate', deploymentId, '--json'], environment);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ deployment_id: deploymentId, status: expect.stringMatching(/^terminat(ing|ed)$/) });
    const status = await runCli(['status', deploymentId], environment);
    expect(status.stdout).toMatch(/^status +(terminating \([^)]+\)|terminated \(last provider status: [^)]+\)|terminated)$/m);
  });

  it('fails with one line on stderr and a non-zero exit: bad GPU type, unknown id, server down', { timeout: e2eTimeoutMs }, async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const [badGpu, unknownId, serverDown] = await Promise.all([
      runCli(['route', '--workload', 'llm_inference', '--gpu', 'zz9000'], environment),
      runCli(['status', 'dep-doesnotexist'], environment),
      runCli(['providers'], { AURORA_URL: down }),
    ]);
    for (const result of [badGpu, unknownId, serverDown]) {
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.stdout).toBe('');
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^aurora: /);
    }
    expect(badGpu.stderr).toMatch(/HTTP 400 AURORA_ERR_INVALID_ARGUMENT: .*gpu_type/);
    expect(unknownId.stderr).toMatch(/HTTP 404 AURORA_ERR_NOT_FOUND/);
    expect(serverDown.stderr).toContain(`cannot reach the Aurora server at ${down}`);
  });
});

describe('aurora against a server with API keys', () => {
  const apiKey = 'cli-e2e-key-0123456789abcdef';
  let server: RunningServer;
  let directory: string;

  beforeAll(async () => {
    ({ server, directory } = await startTestServer({ AURORA_API_KEYS: `${apiKey}:team-e2e:route+read` }));
  });
  afterAll(async () => {
    await server?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('sends AURORA_API_KEY; without it, or with a wrong one, fails with 401 on one line', { timeout: e2eTimeoutMs }, async () => {
    const [withKey, withoutKey, wrongKey] = await Promise.all([
      runCli(['providers', '--json'], { AURORA_URL: server.url, AURORA_API_KEY: apiKey }),
      runCli(['providers'], { AURORA_URL: server.url }),
      runCli(['providers'], { AURORA_URL: server.url, AURORA_API_KEY: 'not-the-key-0123456789' }),
    ]);
    expect(withKey.code).toBe(0);
    expect((JSON.parse(withKey.stdout) as { providers: unknown[] }).providers).toHaveLength(8);
    for (const refused of [withoutKey, wrongKey]) {
      expect(refused.code).toBe(1);
      expect(lines(refused.stderr)).toHaveLength(1);
      expect(refused.stderr).toMatch(/^aurora: HTTP 401 AURORA_ERR_UNAUTHENTICATED/);
    }
  });
});

describe('long-running commands stop cleanly on SIGTERM', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-cli-serve-'));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('serve starts the server, answers /health and exits 0 on SIGTERM', { timeout: e2eTimeoutMs }, async () => {
    const configDirectory = await writeConfig(directory);
    const serving = startCli(['serve', '--port', '0'], {
      AURORA_CONFIG_DIR: configDirectory,
      AURORA_SQLITE_PATH: path.join(directory, 'serve.db'),
    });
    const [, url] = await serving.waitFor('stderr', /aurora server listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    serving.child.kill('SIGTERM');
    const result = await serving.finished;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
  });

  it.each(['akash', 'ionet'])('fake %s listens on a free port and exits 0 on SIGTERM', { timeout: e2eTimeoutMs }, async (provider) => {
    const fake = startCli(['fake', provider, '--port', '0'], {});
    const [, url] = await fake.waitFor('stdout', new RegExp(`${provider} fake listening on (http://127\\.0\\.0\\.1:\\d+)\\S*\\n`));
    const response = await fetch(url!);
    expect(response.status).toBeGreaterThanOrEqual(200);
    await response.arrayBuffer();
    fake.child.kill('SIGTERM');
    const result = await fake.finished;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
  });
});
