import { describe, expect, it } from 'vitest';
import { offerSchema } from '@aurora/router';
import { availabilityFromReplicas, convertIonetOffer, ionetOfferId, type IonetQuote } from './convert-ionet-offer';
import { hourlyPriceUsd, perGpuHourPriceUsd, roundUsd } from './ionet-price';

describe('io.net price conversions (total_cost_usdc covers all replicas for the whole duration)', () => {
  it('hourly = total / duration_hours', () => {
    // 2 GPUs for 3 hours quoted at 13.14 USDC in total: 4.38 USD per hour for the deployment.
    expect(roundUsd(hourlyPriceUsd(13.14, 3))).toBe(4.38);
  });

  it('per GPU-hour = total / (duration_hours x replica_count x gpus_per_container)', () => {
    // 2 replicas x 4 GPUs for 2 hours at 35.04 USDC: 35.04 / 16 = 2.19 per GPU-hour.
    expect(roundUsd(perGpuHourPriceUsd(35.04, 2, 2, 4))).toBe(2.19);
  });

  it('with duration_hours = 1 (how offers are quoted) the total is the hourly price', () => {
    expect(hourlyPriceUsd(4.47855, 1)).toBe(4.47855);
    expect(perGpuHourPriceUsd(4.47855, 1, 1, 2)).toBeCloseTo(2.239275, 9);
  });

  it('rounds float noise away', () => {
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
  });
});

describe('availabilityFromReplicas', () => {
  it('is 0 without a free replica and grows with spares', () => {
    expect(availabilityFromReplicas(0, 1)).toBe(0);
    expect(availabilityFromReplicas(1, 1)).toBe(0.5);
    expect(availabilityFromReplicas(4, 1)).toBe(0.8);
    expect(availabilityFromReplicas(9, 1)).toBe(0.9);
    expect(availabilityFromReplicas(1, 2)).toBe(0);
  });
});

describe('convertIonetOffer', () => {
  const quote: IonetQuote = {
    hardware: { hardware_id: 203, hardware_name: 'H100 80GB HBM3', brand_name: 'NVIDIA', max_gpus_per_container: 8, available: 24 },
    gpu: { gpu_type: 'h100', gpu_memory_gb: 80 },
    location: { id: 3, iso2: 'US', name: 'United States', available_replicas: 4 },
    region: 'us-east',
    gpusPerContainer: 2,
    replicaCount: 1,
    durationHours: 1,
    price: { total_cost_usdc: 4.47855, ionet_fee: 0.01095, ionet_fee_percent: 0.25, currency_conversion_fee: 0.0876, currency_conversion_fee_percent: 2, discount: 0, available_replica_count: [4] },
  };

  it('turns a priced candidate into an offer that parses, priced for the whole deployment', () => {
    const offer = offerSchema.parse(convertIonetOffer(quote, { provider: 'ionet', reputation: 80, estimatedLatencyMs: 150, quotedAt: '2026-01-01T00:00:00.000Z' }));
    expect(offer).toMatchObject({
      provider: 'ionet',
      offer_id: 'hw203-loc3-2x1',
      gpu_type: 'h100',
      gpu_memory_gb: 80,
      gpu_count: 2,
      region: 'us-east',
      price_usd_per_hour: 4.47855,
      reputation: 80,
      estimated_latency_ms: 150,
      availability: 0.8,
      capacity: 4,
      interruptible: false,
    });
    expect(offer.provider_metadata).toMatchObject({
      hardware_id: 203,
      location_id: 3,
      gpus_per_container: 2,
      replica_count: 1,
      total_cost_usdc: 4.47855,
      price_usd_per_gpu_hour: 2.239275,
      quote_duration_hours: 1,
      fees: { ionet_fee: 0.01095, currency_conversion_fee: 0.0876, discount: 0 },
    });
  });

  it('derives the hourly price from a multi-hour quote', () => {
    const threeHours = { ...quote, durationHours: 3, price: { total_cost_usdc: 13.14 } };
    const offer = convertIonetOffer(threeHours, { provider: 'ionet', reputation: 80, estimatedLatencyMs: 150, quotedAt: '2026-01-01T00:00:00.000Z' });
    expect(offer.price_usd_per_hour).toBe(4.38);
    expect(offer.provider_metadata?.price_usd_per_gpu_hour).toBe(2.19);
  });

  it('builds stable offer ids from hardware, location and shape', () => {
    expect(ionetOfferId('gpu_1x_a6000', 'US', 1, 1)).toBe('hwgpu_1x_a6000-locUS-1x1');
  });
});
