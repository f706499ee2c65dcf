import { describe, expect, it } from 'vitest';
import { routingRequestSchema } from '@aurora/router';
import { fixtureContents } from '../__fixtures__/market-files';
import { smallCatalog, testStartMs } from '../__fixtures__/small-catalog';
import { parseWorkloadTrace } from '../data/workload-trace';
import { createSeededRandom } from '../seeded-random';
import { MarketWorld } from '../world/market-world';
import { syntheticCatalog } from '../world/synthetic-catalog';
import { generateRequests } from './generate-requests';

const dayMs = 24 * 3_600_000;

describe('generateRequests', () => {
  const world = new MarketWorld({ seed: 1, catalog: syntheticCatalog(1), startMs: testStartMs });
  const generate = (seed: string, traces = [] as ReturnType<typeof parseWorkloadTrace>[], market = world, count = 600) =>
    generateRequests({ world: market, traces, count, startMs: testStartMs, endMs: testStartMs + 30 * dayMs, random: createSeededRandom(seed), idPrefix: 'p' });

  it('spreads the requested number of valid routing requests over the period, sorted, with unique ids', () => {
    const requests = generate('a');
    expect(requests).toHaveLength(600);
    expect(new Set(requests.map((request) => request.id)).size).toBe(600);
    for (let index = 0; index < requests.length; index++) {
      const request = requests[index]!;
      expect(request.arrival_ms).toBeGreaterThanOrEqual(testStartMs);
      expect(request.arrival_ms).toBeLessThan(testStartMs + 30 * dayMs);
      if (index > 0) expect(request.arrival_ms).toBeGreaterThanOrEqual(requests[index - 1]!.arrival_ms);
      expect(routingRequestSchema.parse(request.request)).toEqual(request.request);
      expect(world.gpuTypes().has(request.request.gpu_type as never)).toBe(true);
    }
    // Without traces: the two synthetic classes share the arrivals.
    expect(new Set(requests.map((request) => request.source))).toEqual(new Set(['synthetic-gpu-pods', 'synthetic-image-requests']));
    expect(requests.filter((request) => request.request.workload_type === 'rendering')).toHaveLength(300);
  });

  it('is deterministic per seed', () => {
    expect(generate('a')).toEqual(generate('a'));
    expect(generate('b')).not.toEqual(generate('a'));
  });

  it('takes GPU counts, durations and named GPU models from a trace', () => {
    const trace = parseWorkloadTrace(fixtureContents.pods, 'pods.csv');
    const market = new MarketWorld({ seed: 1, catalog: smallCatalog, startMs: testStartMs });
    const requests = generate('trace', [trace], market, 300);
    expect(new Set(requests.map((request) => request.source))).toEqual(new Set(['pods']));
    const durations = new Set(requests.map((request) => request.duration_ms / 1000));
    // The never-scheduled pod borrows another pod's run length.
    expect([...durations].every((duration) => [5000, 990, 3550].includes(duration))).toBe(true);
    expect(new Set(requests.map((request) => request.request.gpu_count))).toEqual(new Set([1, 2, 8]));
    expect(requests.every((request) => request.request.gpu_type === 'h100')).toBe(true);
    const workloads = new Set(requests.map((request) => request.request.workload_type));
    expect(workloads).toEqual(new Set(['llm_inference', 'llm_training', 'general']));
  });

  it('keeps two traces with the same file name apart, and refuses traces with nothing to replay', () => {
    const trace = parseWorkloadTrace(fixtureContents.imageRequests, 'a/requests.csv');
    const same = parseWorkloadTrace(fixtureContents.imageRequests, 'b/requests.csv');
    const requests = generate('two', [trace, same], world, 40);
    expect(new Set(requests.map((request) => request.id)).size).toBe(40);
    expect(new Set(requests.map((request) => request.source))).toEqual(new Set(['requests', 'requests-2']));
    const cpuOnly = parseWorkloadTrace(fixtureContents.pods.split('\n').filter((line, index) => index === 0 || line.startsWith('pod-1,')).join('\n'), 'cpu.csv');
    expect(() => generate('none', [cpuOnly])).toThrow(/no workload trace has a GPU job/);
  });
});
