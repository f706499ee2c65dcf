import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createOffer, createRoutingRequest } from '@aurora/router/testkit';
import { buildAkashSdl, type AkashSdlInput } from './akash-sdl';
import { akashSdlForRequest } from './akash-sdl-for-request';
import { resolveAkashSettings } from './akash-settings';
import { chooseCheapestEligibleBid } from './choose-bid';

const input: AkashSdlInput = {
  serviceName: 'worker',
  image: 'vllm/vllm-openai:latest',
  command: ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'],
  env: { HF_HOME: '/data', GREETING: 'a: b # not a comment' },
  ports: [8000, 9090],
  gpu: { vendor: 'nvidia', model: 'a100', ram: '80Gi', units: 2 },
  cpuUnits: 8,
  memoryGi: 32,
  storageGi: 50,
  pricing: { denom: 'uact', amount: 3999.2 },
};

describe('buildAkashSdl', () => {
  it('writes a version 2.0 SDL whose YAML parses back to the document', () => {
    const { yaml, document } = buildAkashSdl(input);
    expect(parse(yaml)).toEqual(document);
    expect(document.version).toBe('2.0');
  });

  it('has one service with image, command, env and exposed ports (first port behind the HTTP ingress)', () => {
    const sdl = parse(buildAkashSdl(input).yaml);
    expect(sdl.services).toEqual({
      worker: {
        image: 'vllm/vllm-openai:latest',
        command: ['vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct'],
        env: ['HF_HOME=/data', 'GREETING=a: b # not a comment'],
        expose: [
          { port: 8000, as: 80, to: [{ global: true }] },
          { port: 9090, as: 9090, to: [{ global: true }] },
        ],
      },
    });
  });

  it('puts the GPUs with vendor/model/ram attributes in a compute profile', () => {
    const sdl = parse(buildAkashSdl(input).yaml);
    expect(sdl.profiles.compute).toEqual({
      'gpu-a100': {
        resources: {
          cpu: { units: 8 },
          memory: { size: '32Gi' },
          storage: { size: '50Gi' },
          gpu: { units: 2, attributes: { vendor: { nvidia: [{ model: 'a100', ram: '80Gi' }] } } },
        },
      },
    });
  });

  it('sets a whole-number price ceiling per block on the placement and deploys one replica', () => {
    const sdl = parse(buildAkashSdl(input).yaml);
    expect(sdl.profiles.placement).toEqual({ akash: { pricing: { 'gpu-a100': { denom: 'uact', amount: 4000 } } } });
    expect(sdl.deployment).toEqual({ worker: { akash: { profile: 'gpu-a100', count: 1 } } });
  });

  it('leaves out command, env, expose and ram when there are none', () => {
    const sdl = parse(buildAkashSdl({ ...input, command: [], env: {}, ports: [], gpu: { vendor: 'nvidia', model: 'rtx4090', units: 1 } }).yaml);
    expect(sdl.services.worker).toEqual({ image: 'vllm/vllm-openai:latest' });
    expect(sdl.profiles.compute['gpu-rtx4090'].resources.gpu.attributes.vendor).toEqual({ nvidia: [{ model: 'rtx4090' }] });
  });

  it('lets a container already on port 80 keep the ingress', () => {
    const sdl = parse(buildAkashSdl({ ...input, ports: [8000, 80] }).yaml);
    expect(sdl.services.worker.expose).toEqual([
      { port: 8000, as: 8000, to: [{ global: true }] },
      { port: 80, as: 80, to: [{ global: true }] },
    ]);
  });
});

describe('akashSdlForRequest', () => {
  const settings = resolveAkashSettings({}, chooseCheapestEligibleBid);

  it('takes the price ceiling from max_price: 1.20 USD/h is 2000 uact per block', () => {
    const request = createRoutingRequest({ gpu_type: 'a100', image: 'img', max_price: 1.2 });
    const { document } = akashSdlForRequest(request, createOffer({ price_usd_per_hour: 3 }), settings, undefined);
    expect(document.profiles.placement['akash']!.pricing['gpu-a100']).toEqual({ denom: 'uact', amount: 2000 });
  });

  it('without max_price, allows the offer price times the multiplier (1.5): 2 USD/h -> 3 USD/h -> 5000 uact', () => {
    const request = createRoutingRequest({ gpu_type: 'a100', image: 'img' });
    const { document, ceilingUsdPerHour } = akashSdlForRequest(request, createOffer({ price_usd_per_hour: 2 }), settings, undefined);
    expect(ceilingUsdPerHour).toBe(3);
    expect(document.profiles.placement['akash']!.pricing['gpu-a100']!.amount).toBe(5000);
  });

  it('prices the ceiling in uakt through the AKT price when so configured', () => {
    const uakt = resolveAkashSettings({ denom: 'uakt' }, chooseCheapestEligibleBid);
    const request = createRoutingRequest({ gpu_type: 'a100', image: 'img', max_price: 1.5 });
    const { document } = akashSdlForRequest(request, createOffer(), uakt, 2.5);
    expect(document.profiles.placement['akash']!.pricing['gpu-a100']).toEqual({ denom: 'uakt', amount: 1000 });
  });

  it('uses the catalog spelling the offer carries, and scales CPU and memory by GPU count', () => {
    const request = createRoutingRequest({ gpu_type: '4090', gpu_count: 2, image: 'img', env: { A: '1' }, ports: [8080], command: ['python', 'serve.py'] });
    const offer = createOffer({ gpu_type: '4090', provider_metadata: { akash: { vendor: 'nvidia', model: 'rtx4090', ram: '24Gi' } } });
    const { document } = akashSdlForRequest(request, offer, settings, undefined);
    const resources = document.profiles.compute['gpu-rtx4090']!.resources;
    expect(resources.gpu).toEqual({ units: 2, attributes: { vendor: { nvidia: [{ model: 'rtx4090', ram: '24Gi' }] } } });
    expect(resources.cpu.units).toBe(8);
    expect(resources.memory.size).toBe('32Gi');
    expect(document.services['worker']).toEqual({ image: 'img', command: ['python', 'serve.py'], env: ['A=1'], expose: [{ port: 8080, as: 80, to: [{ global: true }] }] });
  });

  it('maps canonical GPU ids to Akash model names when the offer is not ours', () => {
    const request = createRoutingRequest({ gpu_type: 'a6000', image: 'img' });
    const { document } = akashSdlForRequest(request, createOffer({ gpu_type: 'a6000' }), settings, undefined);
    expect(Object.keys(document.profiles.compute)).toEqual(['gpu-rtxa6000']);
  });

  it('runs the default image idle when the request names no image', () => {
    const request = createRoutingRequest({ gpu_type: 'a100' });
    const { document } = akashSdlForRequest(request, createOffer(), settings, undefined);
    expect(document.services['worker']).toEqual({ image: 'ubuntu:24.04', command: ['sleep', 'infinity'] });
  });
});
