import { describe, expect, it } from 'vitest';
import { providerSchema } from './akash-api';
import { akashProviderRegion, toAkashProviderProfile } from './akash-provider-profile';

const base = { owner: 'akash1p', hostUri: 'https://p.example.com:8443' };

describe('akashProviderRegion', () => {
  it('prefers the location-region attribute', () => {
    const provider = providerSchema.parse({ ...base, attributes: [{ key: 'location-region', value: 'eu-west', auditedBy: [] }], country: 'US' });
    expect(akashProviderRegion(provider)).toBe('eu-west');
  });

  it('then the console locationRegion, then the US state of the IP, then the country', () => {
    expect(akashProviderRegion(providerSchema.parse({ ...base, locationRegion: 'us-east', ipCountryCode: 'US', ipRegionCode: 'CA' }))).toBe('us-east');
    expect(akashProviderRegion(providerSchema.parse({ ...base, ipCountryCode: 'US', ipRegionCode: 'CA' }))).toBe('us-west');
    expect(akashProviderRegion(providerSchema.parse({ ...base, ipCountryCode: 'US', ipRegionCode: 'TX' }))).toBe('us-central');
    expect(akashProviderRegion(providerSchema.parse({ ...base, country: 'SG' }))).toBe('asia-southeast');
  });

  it('is undefined when nothing says where the provider is', () => {
    expect(akashProviderRegion(providerSchema.parse({ ...base, attributes: [] }))).toBeUndefined();
  });
});

describe('toAkashProviderProfile', () => {
  it('weights 1, 7 and 30 day uptime 0.2 / 0.5 / 0.3 and gives audited providers 20 points', () => {
    const audited = toAkashProviderProfile(providerSchema.parse({ ...base, isAudited: true, isOnline: true, uptime1d: 1, uptime7d: 0.9, uptime30d: 0.8 }));
    // 0.2 + 0.45 + 0.24 = 0.89 -> 80 * 0.89 + 20 = 91.2
    expect(audited).toMatchObject({ uptime: 0.89, reputation: 91.2, isAudited: true, isOnline: true });
    const unaudited = toAkashProviderProfile(providerSchema.parse({ ...base, uptime1d: 1, uptime7d: 0.9, uptime30d: 0.8 }));
    expect(unaudited.reputation).toBe(71.2);
  });

  it('reads uptimes above 1 as percentages and counts missing uptime as 0.5', () => {
    expect(toAkashProviderProfile(providerSchema.parse({ ...base, uptime7d: 95 })).uptime).toBeCloseTo(0.95, 12);
    const unknown = toAkashProviderProfile(providerSchema.parse({ ...base, isAudited: true }));
    expect(unknown).toMatchObject({ uptime: undefined, reputation: 60 });
  });
});
