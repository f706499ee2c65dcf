import { sampleDuration } from '../duration-distribution';
import type { ProviderProfile } from '../profiles/provider-profile';
import type { SeededRandom } from '../seeded-random';
import type { SimulatedDeployment } from './simulated-deployment';

export type ScheduledLogLine = {
  at: number;
  stream: 'stdout' | 'stderr' | 'system';
  message: string;
  source: 'provider' | 'container';
};

/**
 * Base-model load time (a cold start's main part): p50 23.3 s, p90 43.5 s in the Alibaba GenAI
 * trace (shared/data/inference/alibaba_sd_basemodel_load_latency_dev.csv).
 */
const modelLoad = { medianMs: 23_300, p90Ms: 43_500, minMs: 2_000 };
/** Per-image generation time, p50 22 s, p90 46 s in the Alibaba SD LoRA trace; stands in for a frame. */
const frameRender = { medianMs: 22_000, p90Ms: 46_000, minMs: 3_000 };
const inferenceLatency = { medianMs: 800, p90Ms: 2_500, minMs: 60 };

/**
 * Every log line of a deployment in time order, generated lazily. The lines are a pure function of
 * the deployment's plan and `random` (a fresh fork per call), so regenerating them gives the same
 * history; a termination cuts the stream at the time it happened.
 */
export function* deploymentLogSchedule(
  deployment: SimulatedDeployment,
  profile: ProviderProfile,
  random: SeededRandom,
): Generator<ScheduledLogLine> {
  for (const line of naturalLines(deployment, profile, random)) {
    const terminatedAt = deployment.terminatedAt;
    if (terminatedAt !== undefined && line.at > terminatedAt) {
      yield system(terminatedAt, 'Termination requested');
      yield system(terminatedAt, 'Container stopped; resources released');
      return;
    }
    yield line;
  }
}

function* naturalLines(deployment: SimulatedDeployment, profile: ProviderProfile, random: SeededRandom): Generator<ScheduledLogLine> {
  const { plan } = deployment;
  const endAt = plan.end?.at ?? Number.POSITIVE_INFINITY;
  const image = deployment.image ?? 'docker.io/library/ubuntu:24.04';
  const bootEnd = plan.runningAt ?? endAt;
  const capacityKind = deployment.interruptible ? ', interruptible' : '';

  const boot: ScheduledLogLine[] = [
    system(plan.createdAt, `${profile.displayName} accepted deployment ${deployment.id} (${deployment.gpuCount}x ${deployment.gpuType}, ${deployment.region}${capacityKind})`),
    system(plan.createdAt, profile.logPhrases.pending),
    system(plan.provisioningAt, profile.logPhrases.placed),
    system(plan.provisioningAt, `Pulling image ${image}`),
    ...[25, 50, 75].map((percent) =>
      system(plan.provisioningAt + Math.round(((bootEnd - plan.provisioningAt) * percent) / 100), `Downloading image layers: ${percent}%`),
    ),
  ];
  if (plan.runningAt !== undefined) boot.push(system(plan.runningAt, 'Image pulled; container started'));
  for (const line of boot) {
    if (line.at >= endAt) break;
    yield line;
  }

  if (plan.runningAt !== undefined) {
    for (const line of workloadLines(deployment, plan.runningAt, random)) {
      if (line.at >= endAt) break;
      yield line;
    }
  }

  const end = plan.end;
  if (!end) return;
  switch (end.reason) {
    case 'start_failure':
      yield { at: end.at, stream: 'stderr', message: `Error: ${end.message}`, source: 'container' };
      yield system(end.at, `Deployment failed: ${end.message}`);
      return;
    case 'preempted':
      yield system(end.at, 'Host reclaimed the node (interruptible capacity); container stopped');
      return;
    case 'host_lost':
      yield { at: end.at, stream: 'stderr', message: 'Connection to host lost; container unreachable', source: 'container' };
      yield system(end.at, `Deployment failed: ${end.message}`);
      return;
    case 'completed':
      yield stdout(end.at, 'Workload finished successfully');
      yield system(end.at, 'Container exited with code 0');
      return;
  }
}

function* workloadLines(deployment: SimulatedDeployment, runningAt: number, random: SeededRandom): Generator<ScheduledLogLine> {
  const port = deployment.ports[0] ?? 8000;
  switch (deployment.workloadType) {
    case 'llm_inference': {
      const loadMs = Math.round(sampleDuration(random, modelLoad));
      yield stdout(runningAt, 'INFO Loading model weights');
      yield stdout(runningAt + loadMs, `INFO Model loaded in ${(loadMs / 1000).toFixed(1)} s`);
      yield stdout(runningAt + loadMs, `INFO Serving OpenAI-compatible API on http://0.0.0.0:${port}`);
      let at = runningAt + loadMs;
      for (;;) {
        at += 1 + Math.round(random.exponential(5_000));
        if (random.chance(0.01)) {
          yield { at, stream: 'stderr', message: 'WARN request queue full; answered 503', source: 'container' };
          continue;
        }
        const latency = Math.round(sampleDuration(random, inferenceLatency));
        const client = `10.0.${random.integer(0, 255)}.${random.integer(1, 254)}`;
        yield stdout(
          at,
          `INFO ${client} "POST /v1/chat/completions HTTP/1.1" 200 (prompt ${random.integer(20, 2_000)} tok, completion ${random.integer(10, 800)} tok, ${latency} ms)`,
        );
      }
    }
    case 'llm_training': {
      yield stdout(runningAt, `Initialising distributed process group (world size ${deployment.gpuCount})`);
      yield stdout(runningAt + 2_000, 'Loading dataset shards');
      let at = runningAt + 2_000;
      for (let step = 50; ; step += 50) {
        at += Math.round(random.between(10_000, 20_000));
        const loss = 0.9 + 2.1 * Math.exp(-step / 4_000) + random.normal(0, 0.02);
        yield stdout(at, `step ${step} | loss ${loss.toFixed(4)} | ${random.between(2.5, 3.5).toFixed(2)} it/s`);
      }
    }
    case 'rendering': {
      yield stdout(runningAt, 'Loading scene and textures');
      let at = runningAt;
      for (let frame = 1; ; frame++) {
        const frameMs = Math.round(sampleDuration(random, frameRender));
        at += frameMs;
        yield stdout(at, `Rendered frame ${frame} in ${(frameMs / 1000).toFixed(1)} s`);
      }
    }
    case 'general': {
      let at = runningAt;
      for (;;) {
        at += 30_000;
        yield stdout(at, `heartbeat ok: gpu_util=${random.integer(40, 99)}% gpu_memory_used=${random.between(2, 20).toFixed(1)} GiB`);
      }
    }
  }
}

function system(at: number, message: string): ScheduledLogLine {
  return { at, stream: 'system', message, source: 'provider' };
}

function stdout(at: number, message: string): ScheduledLogLine {
  return { at, stream: 'stdout', message, source: 'container' };
}
