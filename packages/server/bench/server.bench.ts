/**
 * HTTP throughput of POST /route against a bare fastify JSON echo and against the issue's reference
 * handler (zod validation, 60 offers scored, one SQLite insert; `serveReference`), and p99 latency
 * at a fixed rate.
 *
 *   pnpm bench:server [--duration 10] [--fixed-duration 10] [--fixed-rate 1000] [--connections 64]
 *                     [--profile <dir>] [--no-decision-log]
 *
 * Each server under test runs in a child process of its own (buildServer with the simulated
 * fleet, the SQLite ledger in a temp dir, metrics on, no API keys, loopback only); the load
 * generator (autocannon) runs in this process, so on a two-core machine each side has a core.
 * Every POST /route really routes: quote (from the offer cache), filter, score, decide, ledger
 * intent, simulated deploy, ledger commit, each request under its own Idempotency-Key. Answers
 * other than 2xx are counted and reported, and the rates count only 2xx.
 *
 * Besides the rates, the server reports the CPU time it spent per request in the measured window
 * (process.cpuUsage): on a busy machine that figure stays comparable when the rates do not. The
 * event loop's own share is shown apart (process.threadCpuUsage); the rest is the ledger's writer
 * thread and V8's GC helpers. So is the ledger's group commit: writes per request, writes per commit;
 * and what held the event loop up: its delay p99 and maximum, and V8's GC pauses (count, total, longest).
 *
 * --no-decision-log runs the route server with `policy.log_decisions: false` (the policy's log
 * record of every candidate is neither built nor stored), to tell its cost apart.
 *
 * --profile <dir> writes a V8 CPU profile of the route server for exactly the measured window
 * (the inspector's Profiler, as `node --cpu-prof` would, without the start-up); summarise it with
 *   node --import tsx packages/server/bench/summarize-cpu-profile.ts <dir>/route.cpuprofile
 * It also writes a sampling heap profile of what is alive at the window's end (route.heapprofile,
 * for DevTools' Memory tab): what outlives requests is what the GC has to copy and promote.
 *
 * The last line of output is exactly one JSON object:
 *   {"bench":"server","route_rps":...,"bare_rps":...,"ratio":...,"reference_rps":...,"p99_ms":...}
 * (ratio = route/bare; p99_ms from the fixed-rate run).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createRealTimeClock, createSimulatedAdapter, providerProfiles, simulatedProviderIds, type SimulatedAdapter,
} from '@aurora/simulator';
import type { Options, Result } from 'autocannon';

/** A request every simulated provider can place many times over: short batch jobs end quickly on the fast clock. */
const benchRouteRequest = {
  workload_type: 'rendering',
  gpu_type: '4090',
  gpu_count: 1,
  region: 'global',
  gpu_hours: 0.01,
  max_price: 2,
  image: 'ghcr.io/aurora/bench-render:1',
} as const;

/**
 * 100x: the 36 simulated seconds of a bench job take 0.36 s, so deployments end and free their
 * GPUs during the run. The server runs on the fleet's clock (its route deadline, timeouts and
 * cache ages are simulated time too), so a faster clock would squeeze the 120 s route deadline
 * below the queueing delay of a loaded server (12 ms at 10,000x) and measure deadline failures.
 * The offer cache's ages are scaled back (`benchRouterConfig`): its work is per real second, not
 * per deployment, and unscaled it refreshed every provider's offers 20 times a second. The status
 * polls and cost accrual stay on the fast clock: their work is per deployment, and a 36 s job gets
 * as many polls as it would in real time.
 */
const benchTimeScale = 100;

/** router.yaml of the server under test: the defaults, except what a benchmark from one address needs. */
function benchRouterConfig(sqlitePath: string, logDecisions: boolean): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0, log_level: 'warn', request_logging: false },
    limits: {
      // Every request comes from one address: the per-address limit would answer 429 after 6,000.
      rate_limit: { enabled: false },
      // Cache ages run on the fleet's fast clock: scaled, so offers refresh every 5 real seconds
      // as with the defaults, not 20 times a second.
      offer_cache_fresh_ms: 5_000 * benchTimeScale,
      offer_cache_max_age_ms: 60_000 * benchTimeScale,
    },
    ledger: { sqlite_path: sqlitePath },
    ...(logDecisions ? {} : { policy: { log_decisions: false } }),
  };
}

/** Passed to the route server to measure it with `policy.log_decisions: false`. */
const noDecisionLogFlag = '--no-decision-log';

type ServerKind = 'route' | 'reference' | 'bare';
type ToChild = { type: 'window-start'; profile: string | undefined } | { type: 'window-end' };
type FromChild =
  | { type: 'listening'; url: string }
  | { type: 'window'; cpu_us: number; main_thread_cpu_us: number; ledger: LedgerCounts; stalls: Stalls; profile: string | undefined };

/** What held the event loop up in the window: its delay percentiles and V8's GC pauses. */
type Stalls = { loop_p99_ms: number; loop_max_ms: number; gc_count: number; gc_total_ms: number; gc_max_ms: number; major_gc_count: number; major_gc_ms: number };

/** Group commits of the route server's ledger, and the writes they held. */
type LedgerCounts = { commits: number; writes: number };
type ServerUnderTest = { url: string; ledger: () => LedgerCounts; close(): Promise<void> };

const thisFile = fileURLToPath(import.meta.url);

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as ServerKind);
} else {
  await runBenchmark();
}

// ---- the servers under test (child processes) -------------------------------------------------

const noStalls: Stalls = { loop_p99_ms: 0, loop_max_ms: 0, gc_count: 0, gc_total_ms: 0, gc_max_ms: 0, major_gc_count: 0, major_gc_ms: 0 };
type StallMonitor = { stop(): Stalls };

function startStallMonitor(): StallMonitor {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const gc = { count: 0, total: 0, max: 0, majorCount: 0, majorTotal: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.total += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
      if (((entry as { detail?: { kind?: number } }).detail)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorCount += 1;
        gc.majorTotal += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      observer.disconnect();
      const round = (value: number) => Math.round(value * 10) / 10;
      return {
        loop_p99_ms: round(delay.percentile(99) / 1e6),
        loop_max_ms: round(delay.max / 1e6),
        gc_count: gc.count,
        gc_total_ms: round(gc.total),
        gc_max_ms: round(gc.max),
        major_gc_count: gc.majorCount,
        major_gc_ms: round(gc.majorTotal),
      };
    },
  };
}

async function serve(kind: ServerKind): Promise<void> {
  const server = kind === 'route' ? await serveRoute() : kind === 'reference' ? await serveReference() : await serveBare();
  let window: { cpu: NodeJS.CpuUsage; thread: NodeJS.CpuUsage; ledger: LedgerCounts; stalls: StallMonitor; session: Session | undefined; profile: string | undefined } | undefined;
  process.on('message', (message: ToChild) => {
    void (async () => {
      if (message.type === 'window-start') {
        let session: Session | undefined;
        if (message.profile) {
          session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 100 });
          await session.post('Profiler.start');
          await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384 });
        }
        window = { cpu: process.cpuUsage(), thread: process.threadCpuUsage(), ledger: server.ledger(), stalls: startStallMonitor(), session, profile: message.profile };
        process.send!({ type: 'window', cpu_us: 0, main_thread_cpu_us: 0, ledger: { commits: 0, writes: 0 }, stalls: noStalls, profile: undefined } satisfies FromChild);
        return;
      }
      const started = window;
      window = undefined;
      const used = process.cpuUsage(started?.cpu);
      const thread = process.threadCpuUsage(started?.thread);
      const ledgerNow = server.ledger();
      const ledger = { commits: ledgerNow.commits - (started?.ledger.commits ?? 0), writes: ledgerNow.writes - (started?.ledger.writes ?? 0) };
      const stalls = started?.stalls.stop() ?? noStalls;
      if (started?.session && started.profile) {
        const { profile } = await started.session.post('Profiler.stop');
        writeFileSync(started.profile, JSON.stringify(profile));
        // What is alive at the end of the window, by allocation site (DevTools opens .heapprofile files).
        const { profile: heap } = await started.session.post('HeapProfiler.getSamplingProfile');
        await started.session.post('HeapProfiler.stopSampling');
        writeFileSync(started.profile.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(heap));
        started.session.disconnect();
      }
      process.send!({
        type: 'window',
        cpu_us: used.user + used.system,
        main_thread_cpu_us: thread.user + thread.system,
        ledger,
        stalls,
        profile: started?.profile,
      } satisfies FromChild);
    })();
  });
  process.once('SIGTERM', () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
  process.send!({ type: 'listening', url: server.url } satisfies FromChild);
}

async function serveRoute(): Promise<ServerUnderTest> {
  const { buildServer, createSqliteStore, resolveServerConfig } = await import('../src/index');
  const directory = mkdtempSync(path.join(tmpdir(), 'aurora-server-bench-'));
  const config = resolveServerConfig({
    router: { content: benchRouterConfig(path.join(directory, 'aurora.db'), !process.argv.includes(noDecisionLogFlag)), name: 'bench router.yaml' },
    environment: {},
    workingDirectory: directory,
  });
  const fleet = createBenchFleet();
  // The server's default ledger (SQLite at the configured path), opened here to count its group commits.
  const ledger: LedgerCounts = { commits: 0, writes: 0 };
  const store = createSqliteStore({
    path: config.sqlitePath,
    onCommit: (batch) => {
      ledger.commits += 1;
      ledger.writes += batch.writes;
    },
  });
  const app = await buildServer({ config, environment: {}, providers: fleet, store, logger: false });
  await app.listen({ host: config.router.server.host, port: config.router.server.port });
  return {
    url: urlOf(app.server.address()),
    ledger: () => ({ ...ledger }),
    async close() {
      await app.close();
      await store.close();
      await Promise.all(fleet.map((adapter) => adapter.close()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The eight simulated providers with every GPU pool 1,000 times larger, no failures and no
 * simulated API latency: the benchmark measures Aurora, not the pretend providers. With the real
 * pools (tens of GPUs per listing) concurrent deploys run dry within milliseconds, fail for
 * capacity, open the circuits, and the benchmark would measure 422s.
 */
function createBenchFleet(): SimulatedAdapter[] {
  const clock = createRealTimeClock({ timeScale: benchTimeScale });
  return simulatedProviderIds.map((id) => {
    const profile = providerProfiles[id];
    const scaled = { ...profile, gpus: profile.gpus.map((gpu) => ({ ...gpu, gpusPerRegion: gpu.gpusPerRegion * 1_000 })) };
    // Ended deployments are forgotten after a simulated minute (the default is an hour, 36 real
    // seconds here: tens of thousands of pretend deployments in the server's heap). That is still
    // six status polls after they end; a real provider keeps its history on its own machines.
    return createSimulatedAdapter(scaled, { seed: 'bench', clock, failureRateMultiplier: 0, apiLatency: false, endedRetentionMs: 60_000 });
  });
}

async function serveBare(): Promise<ServerUnderTest> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  app.post('/route', async (request, reply) => reply.code(201).send(request.body));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: urlOf(app.server.address()), ledger: () => ({ commits: 0, writes: 0 }), close: () => app.close() };
}

/**
 * The yardstick for this machine: a plain fastify handler that validates the request with
 * the core's zod schema, filters and scores 60 offers with the core's scorer, and inserts one row
 * into SQLite (WAL, synchronous=NORMAL, node:sqlite on the event loop), then answers with the pick.
 * No idempotency, ledger intent, deploy, decision log, metrics or budgets: what is left when the
 * router does almost nothing but decide and write once.
 */
async function serveReference(): Promise<ServerUnderTest> {
  const { default: Fastify } = await import('fastify');
  const { DatabaseSync } = await import('node:sqlite');
  const { defaultWeights, parseOrThrow, rankOffers, routingRequestSchema } = await import('@aurora/router');
  const { createOffers } = await import('@aurora/router/testkit');
  const directory = mkdtempSync(path.join(tmpdir(), 'aurora-reference-bench-'));
  const database = new DatabaseSync(path.join(directory, 'reference.db'));
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  database.exec('CREATE TABLE decisions (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, decision TEXT NOT NULL)');
  const insert = database.prepare('INSERT INTO decisions (created_at, decision) VALUES (?, ?)');
  const offers = createOffers(60, (index) => ({
    gpu_type: '4090',
    region: ['us-west', 'us-east', 'eu-west', 'ap-south'][index % 4]!,
    price_usd_per_hour: 0.3 + (index % 12) * 0.1,
    estimated_latency_ms: 20 + ((index * 37) % 180),
    reputation: 60 + ((index * 13) % 40),
  }));
  let writes = 0;
  const app = Fastify({ logger: false });
  app.post('/route', async (request, reply) => {
    const routing = parseOrThrow(routingRequestSchema, request.body);
    const { candidates, rejections } = rankOffers(routing, offers, defaultWeights);
    const chosen = candidates[0]!;
    const decision = { chosen: chosen.offer, candidates: candidates.slice(0, 5), rejection_count: rejections.length };
    insert.run(new Date().toISOString(), JSON.stringify(decision));
    writes += 1;
    return reply.code(201).send({ provider: chosen.offer.provider, price_usd_per_hour: chosen.offer.price_usd_per_hour, decision });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: urlOf(app.server.address()),
    ledger: () => ({ commits: writes, writes }),
    async close() {
      await app.close();
      database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function urlOf(address: ReturnType<import('node:net').Server['address']>): string {
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

type RunningChild = {
  url: string;
  /** Runs `measure` inside a window the child times (CPU) and, with `profile`, profiles. */
  window<T>(profile: string | undefined, measure: () => Promise<T>): Promise<{ result: T; cpu_us: number; main_thread_cpu_us: number; ledger: LedgerCounts; stalls: Stalls }>;
  stop(): Promise<void>;
};

function startChild(kind: ServerKind, extraArgs: readonly string[] = []): Promise<RunningChild> {
  const child: ChildProcess = fork(thisFile, ['--serve', kind, ...extraArgs], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  const next = () =>
    new Promise<FromChild>((resolve, reject) => {
      const onExit = () => reject(new Error(`the ${kind} server exited`));
      child.once('exit', onExit);
      child.once('message', (message: FromChild) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const window = async <T>(profile: string | undefined, measure: () => Promise<T>) => {
    child.send({ type: 'window-start', profile } satisfies ToChild);
    await next();
    const result = await measure();
    child.send({ type: 'window-end' } satisfies ToChild);
    const end = await next();
    if (end.type !== 'window') throw new Error(`unexpected message from the ${kind} server`);
    return { result, cpu_us: end.cpu_us, main_thread_cpu_us: end.main_thread_cpu_us, ledger: end.ledger, stalls: end.stalls };
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the ${kind} server did not start within 60 s`));
    }, 60_000);
    next().then(
      (message) => {
        clearTimeout(timer);
        if (message.type === 'listening') resolve({ url: message.url, window, stop });
        else reject(new Error(`unexpected message from the ${kind} server`));
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// ---- the load generator -----------------------------------------------------------------------

type Measured = {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  total: number;
  ok: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  cpu_us_per_request: number;
  /** The event loop's own share (the rest is the ledger's writer thread, GC helpers, ...). */
  main_thread_cpu_us_per_request: number;
  ledger: LedgerCounts;
  stalls: Stalls;
};

async function load(url: string, options: Partial<Options>): Promise<Result> {
  const { default: autocannon } = await import('autocannon');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/route`,
        method: 'POST',
        // [<id>] becomes a fresh id per request: every route has its own Idempotency-Key.
        headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]' },
        idReplacement: true,
        body: JSON.stringify(benchRouteRequest),
        timeout: 10,
        ...options,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summarise(result: Result, cpuMicroseconds: number, mainThreadMicroseconds: number, ledger: LedgerCounts, stalls: Stalls): Measured {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]));
  const answered = result.requests.total;
  return {
    rps: result['2xx'] / result.duration,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    total: answered,
    ok: result['2xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    cpu_us_per_request: answered > 0 ? cpuMicroseconds / answered : 0,
    main_thread_cpu_us_per_request: answered > 0 ? mainThreadMicroseconds / answered : 0,
    ledger,
    stalls,
  };
}

async function measure(
  kind: ServerKind,
  options: Partial<Options>,
  warmup: Partial<Options>,
  { profile, serverArgs = [] }: { profile?: string | undefined; serverArgs?: readonly string[] } = {},
): Promise<Measured> {
  const server = await startChild(kind, serverArgs);
  try {
    await load(server.url, warmup);
    const { result, cpu_us, main_thread_cpu_us, ledger, stalls } = await server.window(profile, () => load(server.url, options));
    return summarise(result, cpu_us, main_thread_cpu_us, ledger, stalls);
  } finally {
    await server.stop();
  }
}

async function runBenchmark(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      'fixed-duration': { type: 'string', default: '10' },
      'fixed-rate': { type: 'string', default: '1000' },
      connections: { type: 'string', default: '64' },
      profile: { type: 'string' },
      'no-decision-log': { type: 'boolean', default: false },
    },
  });
  const duration = positive(values.duration, '--duration');
  const fixedDuration = positive(values['fixed-duration'], '--fixed-duration');
  const fixedRate = positive(values['fixed-rate'], '--fixed-rate');
  const connections = positive(values.connections, '--connections');
  const profile = values.profile ? path.join(path.resolve(values.profile), 'route.cpuprofile') : undefined;
  if (profile) (await import('node:fs')).mkdirSync(path.dirname(profile), { recursive: true });
  // Bounded: runs, warm-ups, start-ups and shutdowns, with room to spare; never hangs.
  const deadline = setTimeout(() => {
    process.stderr.write('server bench: overran its time budget; stopping\n');
    process.exit(1);
  }, (3 * duration + fixedDuration + 4 * 2 + 180) * 1000);
  deadline.unref();

  const log = (line: string) => process.stdout.write(`${line}\n`);
  const routeArgs = values['no-decision-log'] ? [noDecisionLogFlag] : [];
  log(
    `server bench: ${duration} s at ${connections} connections, then ${fixedRate} req/s offered for ${fixedDuration} s (node ${process.version})` +
      (values['no-decision-log'] ? '; route server with policy.log_decisions: false' : ''),
  );

  const warmup = { duration: 2, connections };
  const bare = await measure('bare', { duration, connections }, warmup);
  log(describe('bare fastify echo', bare));
  const reference = await measure('reference', { duration, connections }, warmup);
  log(describe('reference handler', reference));
  const route = await measure('route', { duration, connections }, warmup, { profile, serverArgs: routeArgs });
  log(describe('POST /route', route));
  // A fresh server, so the fixed-rate run does not inherit the throughput run's backlog. Latency is
  // corrected for coordinated omission (autocannon's default with a fixed rate).
  const fixedConnections = 16;
  const fixed = await measure(
    'route',
    { duration: fixedDuration, connections: fixedConnections, overallRate: fixedRate },
    { duration: 2, connections: fixedConnections, overallRate: fixedRate },
    { serverArgs: routeArgs },
  );
  log(describe(`POST /route at ${fixedRate} req/s`, fixed));

  const ratio = bare.rps > 0 ? route.rps / bare.rps : 0;
  const referenceRatio = bare.rps > 0 ? reference.rps / bare.rps : 0;
  log(
    `route/bare ${(ratio * 100).toFixed(1)}%, reference/bare ${(referenceRatio * 100).toFixed(1)}%, route/reference ${(reference.rps > 0 ? (route.rps / reference.rps) * 100 : 0).toFixed(1)}%; ` +
      `targets: >= 10,000 routes/s, >= 50% of bare, p99 <= 10 ms at ${fixedRate} req/s`,
  );
  const failed = [route, fixed].reduce((sum, run) => sum + (run.total - run.ok) + run.errors + run.timeouts, 0);
  if (failed > 0) log(`WARNING: ${failed} route requests failed, errored or timed out; the rates count only 2xx answers`);
  if (profile) log(`CPU profile of the measured POST /route window: ${profile}`);
  clearTimeout(deadline);
  log(
    JSON.stringify({
      bench: 'server',
      route_rps: Math.round(route.rps),
      bare_rps: Math.round(bare.rps),
      ratio: Math.round(ratio * 1000) / 1000,
      reference_rps: Math.round(reference.rps),
      p99_ms: fixed.p99_ms,
    }),
  );
}

function describe(label: string, measured: Measured): string {
  const statuses = Object.entries(measured.statuses).map(([code, count]) => `${code}: ${count}`).join(', ');
  return (
    `${label.padEnd(26)} ${Math.round(measured.rps).toString().padStart(6)} ok/s  p50 ${measured.p50_ms} ms  p99 ${measured.p99_ms} ms  ` +
    `server CPU ${Math.round(measured.cpu_us_per_request)} us/request (event loop ${Math.round(measured.main_thread_cpu_us_per_request)})  ` +
    `(${statuses || 'no answers'}; ${measured.errors} errors, ${measured.timeouts} timeouts)` +
    (measured.ledger.commits > 0
      ? `  ledger: ${(measured.ledger.writes / Math.max(1, measured.total)).toFixed(1)} writes/request, ` +
        `${(measured.ledger.writes / measured.ledger.commits).toFixed(1)} writes/commit`
      : '') +
    `\n${''.padEnd(27)}event loop delay p99 ${measured.stalls.loop_p99_ms} ms, max ${measured.stalls.loop_max_ms} ms; ` +
    `GC ${measured.stalls.gc_count} pauses, ${measured.stalls.gc_total_ms} ms in all, longest ${measured.stalls.gc_max_ms} ms ` +
    `(major: ${measured.stalls.major_gc_count}, ${measured.stalls.major_gc_ms} ms)`
  );
}

function positive(text: string | undefined, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${option}: expected a positive number, got "${text}"`);
  return value;
}
