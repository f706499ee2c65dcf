import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseJsonLines } from '@aurora/router';
import { createMockAdapter, createOffer } from '@aurora/router/testkit';
import { buildServer, createSqliteStore, policyStatusSchema, resolveServerConfig, type DeploymentStore } from '@aurora/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from './cli-context';
import { runCli } from './run-cli';

// `aurora policy` and `aurora decisions export` in-process against a real server on a free
// loopback port (hybrid mode, two mock providers whose deployments run at once).

describe('aurora policy and aurora decisions export', () => {
  let directory: string;
  let store: DeploymentStore;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let url: string;

  const run = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const context: CliContext = {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      environment: { AURORA_URL: url },
      fetch: globalThis.fetch,
      interrupted: new AbortController().signal,
    };
    const code = await runCli(args, context);
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'aurora-cli-policy-'));
    store = createSqliteStore({ path: path.join(directory, 'ledger.db') });
    const config = resolveServerConfig({
      router: { content: { mode: 'hybrid', ai_rollout_percentage: 50, background: { enabled: false }, server: { log_level: 'silent' } }, name: 'router.yaml' },
      workingDirectory: directory,
    });
    const offers = (provider: string) => [1, 2].map((index) => createOffer({ provider, offer_id: `${provider}-${index}`, price_usd_per_hour: index + (provider === 'beta' ? 0.2 : 0) }));
    app = await buildServer({
      config,
      store,
      logger: false,
      providers: [
        createMockAdapter({ name: 'alpha', offers: offers('alpha'), deploy: { initialStatus: 'running' } }),
        createMockAdapter({ name: 'beta', offers: offers('beta'), deploy: { initialStatus: 'running' } }),
      ],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (let index = 0; index < 20; index++) {
      const response = await fetch(`${url}/route`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `cli-${index}` },
        body: JSON.stringify({ workload_type: 'llm_inference', gpu_type: 'a100', region: 'us-west', max_price: 5 }),
      });
      expect(response.status).toBe(201);
    }
    await app.aurora.policy.flush();
    await app.aurora.policy.updateMetrics();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('prints the policy as a summary and tables, or as JSON', async () => {
    const human = await run(['policy']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^mode\s+hybrid$/m);
    expect(human.stdout).toMatch(/^ai share\s+50 %$/m);
    expect(human.stdout).toMatch(/^model\s+learning .*\+state\.0/m);
    expect(human.stdout).toMatch(/^ARM\s+SHARE\s+DECISIONS\s+OUTCOMES\s+FILL_RATE/m);
    expect(human.stdout).toMatch(/^rules\s+50 %\s+\d+\s+\d+\s+1 \[/m);
    expect(human.stdout).toMatch(/^psi\s+entropy /m);

    const json = await run(['policy', '--json']);
    expect(json.code).toBe(0);
    const status = policyStatusSchema.parse(JSON.parse(json.stdout));
    expect(status.mode).toBe('hybrid');
    expect(status.arms.rules.decisions + status.arms.ai.decisions).toBe(20);
  });

  it('exports the decision log to a file as JSON lines', async () => {
    const out = path.join(directory, 'decisions.jsonl');
    const result = await run(['decisions', 'export', '--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`exported 20 decisions to ${out}\n`);
    const records = parseJsonLines(await readFile(out, 'utf8'));
    expect(records).toHaveLength(20);
    expect(records.every((record) => record.outcome?.filled === true && typeof record.reward === 'number')).toBe(true);
    await expect(stat(`${out}.partial`)).rejects.toThrow();

    const limited = await run(['decisions', 'export', '--out', out, '--limit', '3']);
    expect(limited.stdout).toBe(`exported 3 decisions to ${out}\n`);
    expect(parseJsonLines(await readFile(out, 'utf8'))).toHaveLength(3);
  });

  it('refuses bad options before calling the server', async () => {
    const since = await run(['decisions', 'export', '--out', path.join(directory, 'x.jsonl'), '--since', 'last tuesday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since must be an ISO-8601 time/);
    const missing = await run(['decisions', 'export']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--out/);
  });
});
