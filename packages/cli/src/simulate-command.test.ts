import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from './cli-context';
import { runCli } from './run-cli';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cliEntry = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Small files in the real formats, invented rows. */
const files: Record<string, string> = {
  'prices/vast_catalog_test.csv': [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region',
    `1x-RTX_4090-32-65536,RTX4090,1,32,64.0,"{'Gpus': [{'Name': 'RTX4090', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24564}}], 'TotalGpuMemoryInMiB': 24564}",0.35,0.00,"California, US, NA"`,
    `1x-RTX_4090-32-65536,RTX4090,1,32,64.0,"{'Gpus': [{'Name': 'RTX4090', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24564}}], 'TotalGpuMemoryInMiB': 24564}",0.38,0.00,"Germany, DE, EU"`,
    `2x-RTX_4090-32-65536,RTX4090,2,32,64.0,"{'Gpus': [{'Name': 'RTX4090', 'Count': 2, 'MemoryInfo': {'SizeInMiB': 49128}}], 'TotalGpuMemoryInMiB': 49128}",0.72,0.00,"Texas, US, NA"`,
  ].join('\n'),
  'prices/runpod_catalog_test.csv': [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Region,SpotPrice,Price',
    '1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,US,0.45,0.70',
    '2x_RTX4090_SECURE,RTX4090,2.0,16.0,48.0,RTX4090,US,0.90,1.40',
    '1x_RTX4090_SECURE,RTX4090,1.0,8.0,24.0,RTX4090,SE,0.45,0.70',
  ].join('\n'),
  'prices/shadeform_catalog_test.csv': [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice',
    `cloudalpha_RTX4090,RTX4090,1.0,16.0,64,0.55,dallas-usa-3,"{'Gpus': [{'Name': 'RTX4090', 'Count': 1.0, 'MemoryInfo': {'SizeInMiB': 24}, 'TotalGpuMemoryInMiB': 24}]}",`,
  ].join('\n'),
  'traces/pods.csv': [
    'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time',
    'pod-0,8000,16384,1,1000,,LS,Running,100,5100,100',
    'pod-1,4000,8192,1,500,,BE,Failed,220,1220,230',
    'pod-2,8000,16384,2,1000,,LS,Running,900,4500,950',
    'pod-3,8000,16384,1,1000,,BE,Succeeded,1500,9000,1600',
  ].join('\n'),
  'traces/image_requests.csv': [
    'gmt_create,predict_type,predict_status,exec_time_seconds,groupId,prompt_length,negative_prompt_length,num_images_per_prompt,num_inference_steps,checkpoint_model_version_id,num_lora',
    '2024-11-20 10:00:00,TXT_2_IMG,SUCCEED,21.0,G1,60.0,20.0,1.0,30.0,M1,0',
    '2024-11-20 10:00:30,IMG_2_IMG,SUCCEED,35.0,G2,80.0,,1.0,40.0,M2,1',
    '2024-11-20 10:07:00,TXT_2_IMG,SUCCEED,18.0,G1,50.0,10.0,1.0,30.0,M1,0',
  ].join('\n'),
  'traces/cold_starts.csv': ['timestamp_anon,value,container_ip', '1000.0,2500.0,aa', '1060.0,24000.0,bb', '1200.0,41000.0,cc'].join('\n'),
  'spot/zone-a_v100_1.json': JSON.stringify({ metadata: { gap_seconds: 600 }, data: [1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1] }),
  'bad/vast_catalog_bad.csv': [
    'InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region',
    '1x-RTX_4090,RTX4090,1,32,64.0,{},0.35,0.00,"California, US, NA"',
    '1x-RTX_4090,RTX4090,1,32,64.0,{},cheap,0.00,"California, US, NA"',
  ].join('\n'),
};

describe('aurora simulate and aurora evaluate', () => {
  let directory: string;
  const path = (name: string) => join(directory, name);
  const dataArguments = () => [
    '--prices', path('prices/vast_catalog_test.csv'), path('prices/runpod_catalog_test.csv'), path('prices/shadeform_catalog_test.csv'),
    '--trace', path('traces/pods.csv'), path('traces/image_requests.csv'), path('traces/cold_starts.csv'),
    '--availability', path('spot'),
  ];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'aurora-simulate-'));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(directory, name, '..'), { recursive: true });
      await writeFile(join(directory, name), `${content}\n`);
    }
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('runs as a child process on data files and prints the JSON result as its last line', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@aurora/source', '--import', 'tsx', cliEntry, 'simulate', ...dataArguments(), '--seeds', '2', '--requests', '40', '--json'],
      { cwd: repositoryRoot, timeout: 120_000 },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[lines.length - 1]!);
    expect(result).toMatchObject({ bench: 'policy', seeds: 2, requests: 40, control: 'rules', treatment: 'ai' });
    expect(Object.keys(result.policies)).toEqual(['rules', 'ai']);
    for (const figure of ['fill_rate', 'cost_per_gpu_hour_usd', 'latency_ms_mean', 'latency_ms_p95', 'regret_mean']) {
      expect(result.policies.ai[figure]).toEqual({ mean: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    }
    for (const figure of ['fill_rate_pts', 'cost_pct', 'latency_pct']) {
      expect(result.diff[figure]).toMatchObject({ mean: expect.any(Number), ci95: expect.any(Array), per_seed: expect.any(Array) });
      expect(result.diff[figure].per_seed).toHaveLength(2);
    }
    expect(Object.keys(result.ope)).toEqual(expect.arrayContaining(['truth', 'ips', 'snips', 'dr']));
    expect(stderr).toContain('7 catalog rows, 3 providers (vast, runpod, cloudalpha)');
  }, 120_000);

  it('prints tables then the JSON line, writes the holdout log and the learned state, and evaluates them offline', async () => {
    const log = path('holdout.jsonl');
    const state = path('ai-state.json');
    const output = await invoke(['simulate', ...dataArguments(), '--seeds', '2', '--requests', '30', '--quiet', '--write-log', log, '--write-state', state]);
    expect(output.code).toBe(0);
    expect(output.stdout).toContain('Paired differences');
    expect(output.stdout).toContain('Off-policy evaluation of ai');
    const lines = output.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ bench: 'policy' });

    const logged = (await readFile(log, 'utf8')).trim().split('\n');
    expect(logged.length).toBeGreaterThan(3);
    const evaluation = await invoke(['evaluate', '--log', log, '--policy', `ai:${state}`, '--json']);
    expect(evaluation.code).toBe(0);
    const result = JSON.parse(evaluation.stdout.trim());
    expect(result).toMatchObject({ bench: 'ope', records: logged.length });
    for (const name of ['ips', 'snips', 'dr']) expect(result[name]).toMatchObject({ estimate: expect.any(Number), ci: [expect.any(Number), expect.any(Number)] });
    const human = await invoke(['evaluate', '--log', log, '--policy', 'rules']);
    expect(human.stdout).toMatch(/ESTIMATOR\s+VALUE/);
    expect(human.stdout).toContain('snips');
  }, 120_000);

  it('reports a bad data file with its name and line, and bad options with exit code 2', async () => {
    const bad = await invoke(['simulate', '--prices', path('bad/vast_catalog_bad.csv'), '--seeds', '1', '--requests', '5']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('AURORA_ERR_SIMULATION_DATA');
    expect(bad.stderr).toContain('vast_catalog_bad.csv:3: Price "cheap"');
    expect((await invoke(['simulate', '--policies', 'rules,oracle'])).code).toBe(2);
    expect((await invoke(['simulate', '--seeds', '0'])).code).toBe(2);
    expect((await invoke(['evaluate', '--log', path('traces/pods.csv'), '--policy', 'best'])).code).not.toBe(0);
  });
});

async function invoke(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    environment: {},
    fetch: globalThis.fetch,
    interrupted: new AbortController().signal,
  };
  const code = await runCli(argv, context);
  return { code, stdout, stderr };
}
