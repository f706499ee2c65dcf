import { stringify } from 'yaml';

export type AkashSdlInput = {
  serviceName: string;
  image: string;
  command?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Container ports. The first (or 80 if listed) is exposed as 80, the provider's HTTP ingress with a hostname; the rest as themselves. */
  ports?: readonly number[];
  gpu: { vendor: string; model: string; ram?: string | null; units: number };
  cpuUnits: number;
  memoryGi: number;
  storageGi: number;
  /** Ceiling per block for the whole placement group, in micro-units of `denom`. */
  pricing: { denom: string; amount: number };
};

type SdlExpose = { port: number; as: number; to: Array<{ global: boolean }> };

/** The SDL as a plain object, before YAML. Exported for tests and for callers that post-process it. */
export type AkashSdlDocument = {
  version: '2.0';
  services: Record<string, { image: string; command?: string[]; env?: string[]; expose?: SdlExpose[] }>;
  profiles: {
    compute: Record<string, { resources: {
      cpu: { units: number };
      memory: { size: string };
      storage: { size: string };
      gpu: { units: number; attributes: { vendor: Record<string, Array<{ model: string; ram?: string }>> } };
    } }>;
    placement: Record<string, { pricing: Record<string, { denom: string; amount: number }> }>;
  };
  deployment: Record<string, Record<string, { profile: string; count: number }>>;
};

const placementName = 'akash';

/**
 * The SDL (version 2.0) for one service with N GPUs in one placement group (so one gseq, one
 * lease): compute profile with the GPU vendor/model attributes, a price ceiling per block, one replica.
 */
export function buildAkashSdl(input: AkashSdlInput): { yaml: string; document: AkashSdlDocument } {
  const profileName = `gpu-${input.gpu.model}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const service: AkashSdlDocument['services'][string] = { image: input.image };
  if (input.command && input.command.length > 0) service.command = [...input.command];
  const env = Object.entries(input.env ?? {}).map(([name, value]) => `${name}=${value}`);
  if (env.length > 0) service.env = env;
  const expose = exposeFor(input.ports ?? []);
  if (expose.length > 0) service.expose = expose;

  const modelEntry: { model: string; ram?: string } = { model: input.gpu.model };
  if (input.gpu.ram) modelEntry.ram = input.gpu.ram;

  const document: AkashSdlDocument = {
    version: '2.0',
    services: { [input.serviceName]: service },
    profiles: {
      compute: {
        [profileName]: {
          resources: {
            cpu: { units: input.cpuUnits },
            memory: { size: `${input.memoryGi}Gi` },
            storage: { size: `${input.storageGi}Gi` },
            gpu: { units: input.gpu.units, attributes: { vendor: { [input.gpu.vendor]: [modelEntry] } } },
          },
        },
      },
      placement: {
        [placementName]: { pricing: { [profileName]: { denom: input.pricing.denom, amount: Math.max(1, Math.ceil(input.pricing.amount)) } } },
      },
    },
    deployment: { [input.serviceName]: { [placementName]: { profile: profileName, count: 1 } } },
  };
  return { yaml: stringify(document), document };
}

function exposeFor(ports: readonly number[]): SdlExpose[] {
  const unique = [...new Set(ports)];
  // A container already listening on 80 gets the ingress itself; otherwise the first port does.
  const ingressPort = unique.includes(80) ? 80 : unique[0];
  return unique.map((port) => ({ port, as: port === ingressPort ? 80 : port, to: [{ global: true }] }));
}
