import { describe, expect, it } from 'vitest';
import { fixtureContents } from '../__fixtures__/market-files';
import { SimulationDataError } from './simulation-data-error';
import { parseWorkloadTrace } from './workload-trace';

describe('parseWorkloadTrace', () => {
  it('recognises the Alibaba GPU pod list: GPU tasks only, run length = deletion - scheduled, GPU constraints normalised', () => {
    const trace = parseWorkloadTrace(fixtureContents.pods, '/tmp/pods.csv');
    expect(trace.kind).toBe('gpu-pods');
    if (trace.kind !== 'gpu-pods') return;
    expect(trace.jobs).toEqual([
      { arrival_s: 100, gpu_count: 1, duration_s: 5000, qos: 'LS', gpu_models: [] },
      // A GPU-sharing task (gpu_milli 500, num_gpu 1) still takes one whole GPU; G-series models are undisclosed.
      { arrival_s: 220, gpu_count: 1, duration_s: 990, qos: 'BE', gpu_models: ['t4', 'h100'] },
      // Never scheduled: no run length.
      { arrival_s: 400, gpu_count: 8, qos: 'LS', gpu_models: [] },
      { arrival_s: 900, gpu_count: 2, duration_s: 3550, qos: 'Burstable', gpu_models: [] },
    ]);
  });

  it('recognises the Stable Diffusion request trace: one GPU each, execution time as duration', () => {
    const trace = parseWorkloadTrace(fixtureContents.imageRequests, 'requests.csv');
    expect(trace.kind).toBe('image-requests');
    if (trace.kind !== 'image-requests') return;
    expect(trace.jobs.map((job) => [job.arrival_s - trace.jobs[0]!.arrival_s, job.gpu_count, job.duration_s])).toEqual([
      [0, 1, 21], [30, 1, 35], [300, 1, undefined],
    ]);
  });

  it('recognises the cold-start latency trace (milliseconds)', () => {
    expect(parseWorkloadTrace(fixtureContents.coldStarts, 'loads.csv')).toEqual({ kind: 'cold-start', file: 'loads.csv', samples_ms: [2500, 24000, 41000] });
  });

  it('names the file and line of bad values, and rejects unknown headers at line 1', () => {
    const badTime = fixtureContents.imageRequests.replace('2024-11-20 10:00:30', '20/11/2024 10:00');
    const error = catchError(() => parseWorkloadTrace(badTime, 'requests.csv'));
    expect(SimulationDataError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: 'requests.csv', line: 3 });
    const backwards = fixtureContents.pods.replace('pod-0,8000,16384,1,1000,,LS,Running,100,5100,100', 'pod-0,8000,16384,1,1000,,LS,Running,100,50,100');
    expect(catchError(() => parseWorkloadTrace(backwards, 'pods.csv'))).toMatchObject({ line: 2 });
    const unknown = catchError(() => parseWorkloadTrace('runtime_hours,user\n1,a', 'other.csv'));
    expect(unknown).toMatchObject({ file: 'other.csv', line: 1 });
    expect((unknown as Error).message).toContain('unrecognised trace header');
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
