import { describe, expect, it } from 'vitest';
import { offerSchema } from '@aurora/router';
import { createRoutingRequest } from '@aurora/router/testkit';
import gpuPricesFixture from './__fixtures__/akash-gpu-price-catalog.json';
import providersFixture from './__fixtures__/akash-providers.json';
import { gpuPricesResponseSchema, providerListResponseSchema } from './akash-api';
import { toAkashProviderProfile } from './akash-provider-profile';
import { convertAkashOffers } from './convert-akash-offer';

const gpuPrices = gpuPricesResponseSchema.parse(gpuPricesFixture);
const providers = providerListResponseSchema.parse(providersFixture).map((provider) => ({ profile: toAkashProviderProfile(provider), gpuModels: provider.gpuModels ?? [] }));

function convert(request: Parameters<typeof createRoutingRequest>[0]) {
  return convertAkashOffers({
    adapterName: 'akash',
    request: createRoutingRequest(request),
    gpuPrices,
    providers,
    minimumUptime: 0.9,
    estimatedLatencyMs: 150,
    quotedAt: '2026-01-01T00:00:00.000Z',
  });
}

describe('convertAkashOffers', () => {
  it('makes one offer per region and memory size from online providers with enough uptime', () => {
    const { offers } = convert({ gpu_type: 'a100' });
    // The offline provider and the one at 61 % uptime give nothing; the one without any region is `global`.
    expect(offers.map((offer) => offer.offer_id)).toEqual(['akash-global-a100-80gi', 'akash-us-central-a100-80gi', 'akash-us-west-a100-80gi']);
    for (const offer of offers) expect(offerSchema.safeParse(offer).success).toBe(true);
  });

  it('prices per GPU-hour from /v1/gpu-prices (cheapest matching variant, weightedAverage first) times the GPU count', () => {
    const west = convert({ gpu_type: 'a100', gpu_count: 2 }).offers.find((offer) => offer.region === 'us-west')!;
    // a100 80Gi: SXM4 weightedAverage 1.10, PCIe 1.30 -> 1.10 per GPU, x 2 GPUs
    expect(west).toMatchObject({ price_usd_per_hour: 2.2, gpu_count: 2, gpu_memory_gb: 80, provider: 'akash', interruptible: false, estimated_latency_ms: 150 });
    expect(west.provider_metadata).toEqual({
      akash: { vendor: 'nvidia', model: 'a100', ram: '80Gi', price_per_gpu_usd_per_hour: 1.1, price_source: 'weightedAverage', providers: ['akash1westaudited'], audited_providers: 1 },
    });
  });

  it('reads availability and capacity from the network-wide figures of the model', () => {
    const west = convert({ gpu_type: 'a100', gpu_count: 2 }).offers.find((offer) => offer.region === 'us-west')!;
    // 80Gi entries: 10 + 4 available of 24 + 8
    expect(west.availability).toBeCloseTo(14 / 32, 12);
    expect(west.capacity).toBe(7);
  });

  it('scores reputation from uptime (80 points) and audit (20 points)', () => {
    const byRegion = Object.fromEntries(convert({ gpu_type: 'a100' }).offers.map((offer) => [offer.region, offer.reputation]));
    // west: audited, uptime 0.2*1 + 0.5*0.998 + 0.3*0.99 = 0.996 -> 99.7; Texas: unaudited, 0.959 -> 76.7
    expect(byRegion).toEqual({ 'us-west': 99.7, 'us-central': 76.7, global: 100 });
  });

  it('warns about (and skips) a variant without a recent price', () => {
    const { warnings } = convert({ gpu_type: 'a100' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('a100 40Gi');
  });

  it('keeps only memory sizes at or above gpu_memory_gb', () => {
    const { offers, warnings } = convert({ gpu_type: 'a100', gpu_memory_gb: 48 });
    expect(offers.every((offer) => offer.gpu_memory_gb === 80)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('falls back to the median price, reads percent uptimes and country regions (h100 in Germany)', () => {
    const { offers } = convert({ gpu_type: 'h100' });
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ region: 'eu-central', price_usd_per_hour: 2.1, reputation: 99.4 });
    expect(offers[0]!.provider_metadata).toMatchObject({ akash: { price_source: 'med' } });
  });

  it('matches Akash model names to canonical GPU types (rtx4090 -> 4090)', () => {
    const { offers } = convert({ gpu_type: '4090' });
    expect(offers.map((offer) => [offer.offer_id, offer.gpu_type, offer.price_usd_per_hour])).toEqual([['akash-global-rtx4090-24gi', '4090', 0.33]]);
  });

  it('returns nothing for a GPU no provider has', () => {
    expect(convert({ gpu_type: 't4' })).toEqual({ offers: [], warnings: [] });
  });
});
