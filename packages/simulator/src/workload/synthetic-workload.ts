import type { TraceJob, WorkloadTrace } from '../data/workload-trace';
import { createSeededRandom, type SeededRandom } from '../seeded-random';

const z90 = 1.2815515655446004;

/**
 * The statistics the synthetic workload reproduces, from the dev traces in shared/data:
 * - GPU pods (Alibaba openb, GPU tasks of the dev cut): GPU counts 1: 4,293, 2: 9, 4: 6, 8: 35;
 *   QoS LS 2,224, BE 2,050, Burstable 64, Guaranteed 5; run length (deletion - scheduled)
 *   p10 79 s, p50 787 s, p90 8,090 s (a log-normal fits all three); inter-arrival gaps of the busy
 *   part with a coefficient of variation of ~1.5 (log-normal sigma 1.1).
 * - Image requests (Stable Diffusion LoRA trace): one GPU, execution time p50 22 s, p90 46 s.
 */
export const syntheticWorkloadCalibration = {
  pods: {
    gpuCounts: [[1, 4293], [2, 9], [4, 6], [8, 35]] as ReadonlyArray<readonly [number, number]>,
    qos: [['LS', 2224], ['BE', 2050], ['Burstable', 64], ['Guaranteed', 5]] as ReadonlyArray<readonly [string, number]>,
    duration: { medianS: 787, p90S: 8090 },
    gapSigma: 1.1,
  },
  images: {
    duration: { medianS: 22, p90S: 46 },
    gapSigma: 1.1,
  },
  sampleSize: 5_000,
} as const;

let cached: WorkloadTrace[] | undefined;

/**
 * Two synthetic traces (`synthetic-gpu-pods`, `synthetic-image-requests`) drawn once from a fixed
 * seed, shaped like the loaded ones so the request generator treats both alike.
 */
export function syntheticTraces(): WorkloadTrace[] {
  if (cached) return cached;
  const random = createSeededRandom('synthetic-workload');
  const { pods, images, sampleSize } = syntheticWorkloadCalibration;
  const podRandom = random.fork('pods');
  const imageRandom = random.fork('images');
  cached = [
    {
      kind: 'gpu-pods',
      file: 'synthetic-gpu-pods',
      jobs: sampleJobs(podRandom, sampleSize, pods.gapSigma, (draw) => ({
        gpu_count: weighted(pods.gpuCounts, draw.next()),
        duration_s: logNormalFromQuantiles(draw, pods.duration.medianS, pods.duration.p90S),
        qos: weighted(pods.qos, draw.next()),
        gpu_models: [],
      })),
    },
    {
      kind: 'image-requests',
      file: 'synthetic-image-requests',
      jobs: sampleJobs(imageRandom, sampleSize, images.gapSigma, (draw) => ({
        gpu_count: 1,
        duration_s: Math.max(1, logNormalFromQuantiles(draw, images.duration.medianS, images.duration.p90S)),
        gpu_models: [],
      })),
    },
  ];
  return cached;
}

function sampleJobs(random: SeededRandom, count: number, gapSigma: number, job: (draw: SeededRandom) => Omit<TraceJob, 'arrival_s'>): TraceJob[] {
  const jobs: TraceJob[] = [];
  let time = 0;
  for (let index = 0; index < count; index++) {
    time += random.lognormal(0, gapSigma);
    jobs.push({ arrival_s: time, ...job(random) });
  }
  return jobs;
}

function logNormalFromQuantiles(random: SeededRandom, median: number, p90: number): number {
  return random.lognormal(Math.log(median), Math.log(p90 / median) / z90);
}

function weighted<T>(items: ReadonlyArray<readonly [T, number]>, draw: number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = draw * total;
  for (const [item, weight] of items) {
    threshold -= weight;
    if (threshold < 0) return item;
  }
  return items[items.length - 1]![0];
}
