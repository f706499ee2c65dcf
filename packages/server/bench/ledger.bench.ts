/**
 * Ledger write throughput: each simulated route writes its intent (`pending`, no provider id) and
 * then the provider's id, as the router does, with many routes in flight at once.
 *
 *   node --conditions=@aurora/source --import tsx packages/server/bench/ledger.bench.ts [routes] [concurrency]
 *
 * Compares synchronous=NORMAL and FULL, with group commit and without it (one transaction per
 * write). The last line of output is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '@aurora/router';
import { createSqliteStore, type SqliteSynchronousMode } from '../src/ledger/index';

type Scenario = { synchronous: SqliteSynchronousMode; groupCommit: boolean; routes: number };
type Result = Scenario & {
  concurrency: number;
  writes: number;
  seconds: number;
  writes_per_second: number;
  routes_per_second: number;
  /** CPU time of this process per write: comparable even on a busy machine. */
  cpu_microseconds_per_write: number;
  mean_batch_size: number;
};

const routes = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 256);
// One fsync per write is slow: the ungrouped runs use fewer routes to stay short.
const ungroupedRoutes = Math.max(1, Math.floor(routes / 10));

const scenarios: Scenario[] = [
  { synchronous: 'normal', groupCommit: true, routes },
  { synchronous: 'full', groupCommit: true, routes },
  { synchronous: 'normal', groupCommit: false, routes: ungroupedRoutes },
  { synchronous: 'full', groupCommit: false, routes: ungroupedRoutes },
];

function intent(index: number, now: string): Deployment {
  return {
    deployment_id: `dep-bench-${index}`,
    provider: 'akash',
    provider_deployment_id: null,
    offer_id: `offer-${index % 50}`,
    status: 'pending',
    provider_status: null,
    gpu_type: 'a100',
    gpu_count: 1,
    region: 'us-west',
    price_usd_per_hour: 1.5 + (index % 10) / 10,
    cost_usd: 0,
    endpoint: null,
    tenant: `tenant-${index % 20}`,
    idempotency_key: `key-${index}`,
    decision_id: `dec-bench-${index}`,
    created_at: now,
    updated_at: now,
    started_at: null,
    ended_at: null,
    error: null,
  };
}

async function run(scenario: Scenario): Promise<Result> {
  const directory = mkdtempSync(join(tmpdir(), 'aurora-ledger-bench-'));
  let transactions = 0;
  const store = createSqliteStore({
    path: join(directory, 'aurora.db'),
    synchronous: scenario.synchronous,
    maxBatchSize: scenario.groupCommit ? 1_000 : 1,
    onCommit: () => transactions++,
  });
  try {
    await store.migrate();
    transactions = 0;
    let next = 0;
    const route = async (): Promise<void> => {
      while (next < scenario.routes) {
        const index = next++;
        const now = new Date().toISOString();
        const deployment = intent(index, now);
        await store.save(deployment);
        await store.save({ ...deployment, status: 'provisioning', provider_deployment_id: `akash-${index}`, updated_at: now });
      }
    };
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    await Promise.all(Array.from({ length: Math.min(concurrency, scenario.routes) }, route));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuStarted);
    const writes = scenario.routes * 2;
    return {
      ...scenario,
      concurrency,
      writes,
      seconds: round(seconds, 3),
      writes_per_second: Math.round(writes / seconds),
      routes_per_second: Math.round(scenario.routes / seconds),
      cpu_microseconds_per_write: round((cpu.user + cpu.system) / writes, 1),
      mean_batch_size: round(writes / Math.max(1, transactions), 1),
    };
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const results: Result[] = [];
for (const scenario of scenarios) {
  const result = await run(scenario);
  results.push(result);
  console.log(
    `synchronous=${result.synchronous.padEnd(6)} group_commit=${String(result.groupCommit).padEnd(5)} ` +
      `${String(result.writes_per_second).padStart(8)} writes/s ${String(result.routes_per_second).padStart(8)} routes/s ` +
      `${String(result.cpu_microseconds_per_write).padStart(7)} us CPU/write ` +
      `(${result.writes} writes in ${result.seconds}s, ${result.mean_batch_size} writes per transaction)`,
  );
}
console.log(JSON.stringify({ benchmark: 'ledger', routes, concurrency, results }));
