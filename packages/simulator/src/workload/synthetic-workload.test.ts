import { describe, expect, it } from 'vitest';
import type { TraceJob } from '../data/workload-trace';
import { quantile } from '../harness/statistics';
import { syntheticTraces, syntheticWorkloadCalibration } from './synthetic-workload';

describe('syntheticTraces', () => {
  const [pods, images] = syntheticTraces();
  if (pods?.kind !== 'gpu-pods' || images?.kind !== 'image-requests') throw new Error('expected the pod trace, then the image requests');

  it('reproduces the Alibaba GPU pod statistics: GPU counts, QoS mix, run-length quantiles', () => {
    const share = (predicate: (job: TraceJob) => boolean) => pods.jobs.filter(predicate).length / pods.jobs.length;
    expect(share((job) => job.gpu_count === 1)).toBeGreaterThan(0.98);
    expect(share((job) => job.gpu_count === 8)).toBeGreaterThan(0.004);
    expect(share((job) => job.gpu_count === 8)).toBeLessThan(0.014);
    expect(Math.abs(share((job) => job.qos === 'LS') - 2224 / 4343)).toBeLessThan(0.03);
    const durations = pods.jobs.map((job) => job.duration_s!);
    expect(Math.abs(quantile(durations, 0.5) / syntheticWorkloadCalibration.pods.duration.medianS - 1)).toBeLessThan(0.12);
    expect(Math.abs(quantile(durations, 0.9) / syntheticWorkloadCalibration.pods.duration.p90S - 1)).toBeLessThan(0.2);
    expect(Math.abs(quantile(durations, 0.1) / 79 - 1)).toBeLessThan(0.2);
  });

  it('reproduces the Stable Diffusion execution times (p50 22 s, p90 46 s) and bursty arrivals', () => {
    const durations = images.jobs.map((job) => job.duration_s!);
    expect(Math.abs(quantile(durations, 0.5) / 22 - 1)).toBeLessThan(0.08);
    expect(Math.abs(quantile(durations, 0.9) / 46 - 1)).toBeLessThan(0.1);
    const gaps = images.jobs.slice(1).map((job, index) => job.arrival_s - images.jobs[index]!.arrival_s);
    const average = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const deviation = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - average) ** 2, 0) / gaps.length);
    expect(deviation / average).toBeGreaterThan(1.2);
  });
});
