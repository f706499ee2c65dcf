import { canonicalizeRegion, deploymentStatuses, isCanonicalGpuType, normalizeGpuType } from '@aurora/router';
import { describe, expect, it } from 'vitest';
import { providerProfiles } from './index';
import { simulatedProviderIds } from './provider-profile';

const profiles = Object.values(providerProfiles);

describe('providerProfiles', () => {
  it('has one profile per seed provider, keyed by its id', () => {
    expect(Object.keys(providerProfiles).sort()).toEqual([...simulatedProviderIds].sort());
    for (const [key, profile] of Object.entries(providerProfiles)) expect(profile.id).toBe(key);
    expect(new Set(profiles.map((profile) => profile.displayName)).size).toBe(profiles.length);
  });

  describe.each(profiles)('$id', (profile) => {
    it('names GPU types the core alias table knows, in canonical form and in the provider spelling', () => {
      expect(profile.gpus.length).toBeGreaterThan(0);
      for (const offering of profile.gpus) {
        expect(isCanonicalGpuType(offering.gpuType), offering.gpuType).toBe(true);
        expect(normalizeGpuType(offering.gpuType)?.gpu_type).toBe(offering.gpuType);
        expect(normalizeGpuType(offering.providerGpuName)?.gpu_type, offering.providerGpuName).toBe(offering.gpuType);
      }
    });

    it('names canonical regions, and its own region spellings canonicalise to them', () => {
      const regions = profile.regions.map((presence) => presence.region);
      expect(new Set(regions).size).toBe(regions.length);
      for (const presence of profile.regions) {
        expect(canonicalizeRegion(presence.region)).toBe(presence.region);
        expect(presence.region).not.toBe('global');
        expect(canonicalizeRegion(presence.providerRegion), presence.providerRegion).toBe(presence.region);
        expect(presence.latencyMs).toBeGreaterThan(0);
      }
      for (const offering of profile.gpus) {
        for (const region of offering.regions ?? []) expect(regions, `${offering.providerGpuName} in ${region}`).toContain(region);
      }
    });

    it('has sane offerings: positive price bands, real machine shapes, memory and a source', () => {
      for (const offering of profile.gpus) {
        const bands = [offering.price, ...(offering.interruptiblePrice ? [offering.interruptiblePrice] : [])];
        for (const band of bands) {
          expect(band.min).toBeGreaterThan(0);
          expect(band.max).toBeGreaterThanOrEqual(band.min);
          expect(band.max).toBeLessThan(10);
        }
        if (offering.interruptiblePrice) expect(offering.interruptiblePrice.max).toBeLessThanOrEqual(offering.price.max);
        expect(offering.gpuCounts.length).toBeGreaterThan(0);
        for (const count of offering.gpuCounts) expect([1, 2, 4, 8]).toContain(count);
        expect(offering.gpuMemoryGb).toBeGreaterThan(0);
        expect(offering.gpusPerRegion).toBeGreaterThanOrEqual(Math.max(...offering.gpuCounts));
        expect(offering.source.length).toBeGreaterThan(0);
      }
    });

    it('has failure rates in range, start times with median <= p90, statuses and sources', () => {
      const { rates } = profile;
      for (const probability of [rates.fillFailure, rates.startFailure, rates.healthFailure]) {
        expect(probability).toBeGreaterThanOrEqual(0);
        expect(probability).toBeLessThan(0.5);
      }
      expect(rates.runtimeFailurePerHour).toBeGreaterThanOrEqual(0);
      expect(rates.preemptionPerHour).toBeGreaterThanOrEqual(0);
      const sellsInterruptible = profile.interruptibleOnly || profile.gpus.some((offering) => offering.interruptiblePrice);
      expect(rates.preemptionPerHour > 0).toBe(sellsInterruptible);
      for (const distribution of [profile.startup.pending, profile.startup.provisioning, profile.apiLatency]) {
        expect(distribution.medianMs).toBeGreaterThan(0);
        expect(distribution.p90Ms).toBeGreaterThanOrEqual(distribution.medianMs);
      }
      expect(profile.reputation.mean).toBeGreaterThan(0);
      expect(profile.reputation.mean).toBeLessThanOrEqual(100);
      for (const status of deploymentStatuses.filter((value) => value !== 'terminating')) {
        expect(profile.statuses[status as keyof typeof profile.statuses]?.length, status).toBeGreaterThan(0);
      }
      expect(profile.sources.length).toBeGreaterThan(0);
    });
  });

  it('keeps the catalog prices the brief orients on', () => {
    const vastH100 = providerProfiles.vastai.gpus.find((offering) => offering.gpuType === 'h100')!;
    const vast4090 = providerProfiles.vastai.gpus.find((offering) => offering.gpuType === '4090')!;
    expect(vastH100.price.min).toBe(1.8);
    expect(vast4090.price.max).toBe(0.4);
    const runpod = (name: string) => providerProfiles.runpod.gpus.find((offering) => offering.providerGpuName === name)!;
    expect(runpod('H100 PCIe').price).toEqual({ min: 4.49, max: 4.49 });
    expect(runpod('A100 80GB PCIe').price).toEqual({ min: 1.99, max: 1.99 });
    expect(runpod('NVIDIA GeForce RTX 4090').price).toEqual({ min: 0.74, max: 0.74 });
    expect(runpod('NVIDIA GeForce RTX 4090').interruptiblePrice).toEqual({ min: 0.49, max: 0.49 });
  });
});
