/** One GPU kind a fake provider has, with what it bids per GPU per block (in uact). */
export type AkashFakeGpu = {
  vendor: string;
  model: string;
  ram: string;
  interface: string;
  total: number;
  available: number;
  /** uact per block per GPU the provider bids; 1000 uact/block = 0.60 USD/h. */
  pricePerBlock: number;
};

/** A provider of the fake market. `hostUri` is filled in with the fake gateway's URL. */
export type AkashFakeProvider = {
  owner: string;
  name: string;
  /** Value of the `location-region` attribute. */
  region: string;
  country: string;
  ipCountryCode: string;
  ipRegionCode: string;
  isOnline: boolean;
  isAudited: boolean;
  uptime1d: number;
  uptime7d: number;
  uptime30d: number;
  gpus: AkashFakeGpu[];
};

/** The default market: three online providers (two audited) and one offline. */
export function defaultAkashFakeProviders(): AkashFakeProvider[] {
  return [
    {
      owner: 'akash1fakewest00000000000000000000000000000',
      name: 'Fake West',
      region: 'us-west',
      country: 'US',
      ipCountryCode: 'US',
      ipRegionCode: 'CA',
      isOnline: true,
      isAudited: true,
      uptime1d: 1,
      uptime7d: 0.998,
      uptime30d: 0.995,
      gpus: [
        { vendor: 'nvidia', model: 'a100', ram: '80Gi', interface: 'sxm4', total: 8, available: 6, pricePerBlock: 2000 },
        { vendor: 'nvidia', model: 'h100', ram: '80Gi', interface: 'sxm5', total: 8, available: 4, pricePerBlock: 3500 },
      ],
    },
    {
      owner: 'akash1fakeeurope000000000000000000000000000',
      name: 'Fake Europe',
      region: 'eu-central',
      country: 'DE',
      ipCountryCode: 'DE',
      ipRegionCode: 'HE',
      isOnline: true,
      isAudited: true,
      uptime1d: 0.99,
      uptime7d: 0.99,
      uptime30d: 0.985,
      gpus: [
        { vendor: 'nvidia', model: 'h100', ram: '80Gi', interface: 'sxm5', total: 4, available: 2, pricePerBlock: 3300 },
        { vendor: 'nvidia', model: 'rtx4090', ram: '24Gi', interface: 'pcie', total: 8, available: 8, pricePerBlock: 600 },
      ],
    },
    {
      owner: 'akash1fakeeast000000000000000000000000000000',
      name: 'Fake East',
      region: 'us-east',
      country: 'US',
      ipCountryCode: 'US',
      ipRegionCode: 'VA',
      isOnline: true,
      isAudited: false,
      uptime1d: 0.95,
      uptime7d: 0.93,
      uptime30d: 0.92,
      gpus: [
        { vendor: 'nvidia', model: 'a100', ram: '80Gi', interface: 'sxm4', total: 4, available: 4, pricePerBlock: 1800 },
        { vendor: 'nvidia', model: 't4', ram: '16Gi', interface: 'pcie', total: 8, available: 8, pricePerBlock: 200 },
      ],
    },
    {
      owner: 'akash1fakeoffline000000000000000000000000000',
      name: 'Fake Offline',
      region: 'asia-east',
      country: 'JP',
      ipCountryCode: 'JP',
      ipRegionCode: '13',
      isOnline: false,
      isAudited: false,
      uptime1d: 0,
      uptime7d: 0.4,
      uptime30d: 0.6,
      gpus: [{ vendor: 'nvidia', model: 'a100', ram: '40Gi', interface: 'pcie', total: 2, available: 0, pricePerBlock: 1200 }],
    },
  ];
}

/** GET /v1/providers item (the console's field family; fields the fake has no opinion on are null). */
export function providerJson(provider: AkashFakeProvider, hostUri: string) {
  return {
    owner: provider.owner,
    name: provider.name,
    hostUri,
    createdHeight: 1_000_000,
    email: null,
    website: null,
    lastCheckDate: null,
    deploymentCount: 0,
    leaseCount: 0,
    cosmosSdkVersion: 'v0.50.0',
    akashVersion: 'v1.0.0',
    ipRegion: null,
    ipRegionCode: provider.ipRegionCode,
    ipCountry: null,
    ipCountryCode: provider.ipCountryCode,
    ipLat: null,
    ipLon: null,
    uptime1d: provider.uptime1d,
    uptime7d: provider.uptime7d,
    uptime30d: provider.uptime30d,
    isValidVersion: true,
    isOnline: provider.isOnline,
    lastOnlineDate: null,
    isAudited: provider.isAudited,
    gpuModels: provider.gpus.map(({ vendor, model, ram, interface: gpuInterface }) => ({ vendor, model, ram, interface: gpuInterface })),
    attributes: [
      { key: 'location-region', value: provider.region, auditedBy: provider.isAudited ? ['akash1fakeauditor000000000000000000000000000'] : [] },
      { key: 'country', value: provider.country, auditedBy: [] },
    ],
    host: null,
    organization: null,
    statusPage: null,
    locationRegion: provider.region,
    country: provider.country,
    city: null,
    timezone: null,
    locationType: null,
    hostingProvider: null,
    hardwareCpu: null,
    hardwareCpuArch: null,
    hardwareGpuVendor: provider.gpus[0]?.vendor ?? null,
    hardwareGpuModels: provider.gpus.map((gpu) => gpu.model),
    hardwareDisk: [],
    featPersistentStorage: false,
    featPersistentStorageType: [],
    hardwareMemory: null,
    networkProvider: null,
    networkSpeedDown: 0,
    networkSpeedUp: 0,
    tier: provider.isAudited ? 'community' : null,
    featEndpointCustomDomain: false,
    workloadSupportChia: false,
    workloadSupportChiaCapabilities: [],
    featEndpointIp: false,
    stats: {
      cpu: { active: 0, available: 64, pending: 0 },
      gpu: { active: sum(provider.gpus, (gpu) => gpu.total - gpu.available), available: sum(provider.gpus, (gpu) => gpu.available), pending: 0 },
      memory: { active: 0, available: 512 * 1024 ** 3, pending: 0 },
      storage: { ephemeral: { active: 0, available: 4 * 1024 ** 4, pending: 0 }, persistent: { active: 0, available: 0, pending: 0 } },
    },
  };
}

/** GET /v1/gpu-prices, derived from what the providers bid (USD per GPU-hour = uact/block x 600 / 1e6). */
export function gpuPricesJson(providers: readonly AkashFakeProvider[]) {
  const groups = new Map<string, { gpu: AkashFakeGpu; entries: Array<{ provider: AkashFakeProvider; gpu: AkashFakeGpu }> }>();
  for (const provider of providers) {
    for (const gpu of provider.gpus) {
      const key = [gpu.vendor, gpu.model, gpu.ram, gpu.interface].join('|');
      const group = groups.get(key) ?? { gpu, entries: [] };
      group.entries.push({ provider, gpu });
      groups.set(key, group);
    }
  }
  const models = [...groups.values()].map(({ gpu, entries }) => {
    const online = entries.filter((entry) => entry.provider.isOnline);
    const hourly = online.map((entry) => (entry.gpu.pricePerBlock * 600) / 1_000_000).sort((a, b) => a - b);
    const weights = online.map((entry) => entry.gpu.total);
    const totalWeight = sum(weights, (weight) => weight);
    return {
      vendor: gpu.vendor,
      model: gpu.model,
      ram: gpu.ram,
      interface: gpu.interface,
      availability: { total: sum(online, (entry) => entry.gpu.total), available: sum(online, (entry) => entry.gpu.available) },
      providerAvailability: { total: entries.length, available: online.filter((entry) => entry.gpu.available > 0).length },
      price:
        hourly.length === 0
          ? null
          : {
              currency: 'USD',
              min: hourly[0]!,
              max: hourly.at(-1)!,
              avg: round(sum(hourly, (value) => value) / hourly.length),
              weightedAverage: round(sum(hourly, (value, index) => value * weights[index]!) / totalWeight),
              med: hourly[Math.floor(hourly.length / 2)]!,
            },
    };
  });
  return {
    availability: { total: sum(models, (model) => model.availability.total), available: sum(models, (model) => model.availability.available) },
    models,
  };
}

/** GET /v1/gpu-models: vendors with their models, memory sizes and interfaces. */
export function gpuModelsJson(providers: readonly AkashFakeProvider[]) {
  const vendors = new Map<string, Map<string, { memory: Set<string>; interface: Set<string> }>>();
  for (const gpu of providers.flatMap((provider) => provider.gpus)) {
    const models = vendors.get(gpu.vendor) ?? new Map();
    const model = models.get(gpu.model) ?? { memory: new Set<string>(), interface: new Set<string>() };
    model.memory.add(gpu.ram);
    model.interface.add(gpu.interface);
    models.set(gpu.model, model);
    vendors.set(gpu.vendor, models);
  }
  return [...vendors].map(([vendor, models]) => ({
    name: vendor,
    displayName: vendor.toUpperCase(),
    models: [...models].map(([name, model]) => ({ name, displayName: name.toUpperCase(), memory: [...model.memory], interface: [...model.interface] })),
  }));
}

function sum<T>(items: readonly T[], value: (item: T, index: number) => number): number {
  return items.reduce((total, item, index) => total + value(item, index), 0);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
