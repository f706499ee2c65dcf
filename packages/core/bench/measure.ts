import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Measurement = {
  iterations: number;
  p50_us: number;
  p99_us: number;
  mean_us: number;
};

export type MeasureOptions = {
  /** Untimed calls of each function first, so the JIT has compiled the hot paths. */
  warmupIterations: number;
  /** Timed calls of one function in a row before moving to the next. */
  roundIterations: number;
  minIterations: number;
  maxIterations: number;
  /** Stop once this much time went into the timed calls of each function (and minIterations are done). */
  budgetMs: number;
};

/**
 * Times each call on its own and reports percentiles in microseconds. The functions are measured
 * in alternating rounds, so that load from other processes and garbage left by one function fall
 * on all of them alike instead of skewing whichever ran at the wrong moment.
 */
export async function measureInterleaved<Name extends string>(
  functions: Record<Name, () => unknown>,
  options: MeasureOptions,
): Promise<Record<Name, Measurement>> {
  const names = Object.keys(functions) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  const spent = Object.fromEntries(names.map((name) => [name, 0])) as Record<Name, number>;
  for (const name of names) for (let index = 0; index < options.warmupIterations; index++) await functions[name]();
  collectGarbage();
  const done = (name: Name) =>
    samples[name].length >= options.maxIterations || (samples[name].length >= options.minIterations && spent[name] >= options.budgetMs);
  while (!names.every(done)) {
    for (const name of names) {
      if (done(name)) continue;
      const fn = functions[name];
      const list = samples[name];
      for (let index = 0; index < options.roundIterations; index++) {
        const started = performance.now();
        await fn();
        const elapsed = performance.now() - started;
        list.push(elapsed * 1_000);
        spent[name] += elapsed;
      }
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(samples[name])])) as Record<Name, Measurement>;
}

function summarise(samples: number[]): Measurement {
  samples.sort((a, b) => a - b);
  return {
    iterations: samples.length,
    p50_us: percentile(samples, 0.5),
    p99_us: percentile(samples, 0.99),
    mean_us: samples.reduce((sum, value) => sum + value, 0) / samples.length,
  };
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], quantile: number): number {
  const rank = Math.max(1, Math.ceil(quantile * sorted.length));
  return sorted[rank - 1]!;
}

let gc: (() => void) | undefined;

/** A full collection between sizes, so one size's garbage is not collected during the next. */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Iteration settings scaled to the work per call, so that a size takes a few seconds. */
export function optionsForSize(offers: number, budgetMs = 1_000): MeasureOptions {
  if (offers <= 100) return { warmupIterations: 2_000, roundIterations: 1_000, minIterations: 5_000, maxIterations: 200_000, budgetMs };
  if (offers <= 1_000) return { warmupIterations: 300, roundIterations: 100, minIterations: 500, maxIterations: 50_000, budgetMs };
  if (offers <= 10_000) return { warmupIterations: 30, roundIterations: 10, minIterations: 100, maxIterations: 5_000, budgetMs };
  return { warmupIterations: 5, roundIterations: 3, minIterations: 30, maxIterations: 500, budgetMs: budgetMs * 2 };
}
