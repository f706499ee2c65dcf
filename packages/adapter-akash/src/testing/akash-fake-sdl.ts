import { parse } from 'yaml';

/** What the fake needs from an SDL to bid on it and report on it. */
export type FakeSdlSummary = {
  /** Service name -> image and exposed ports. */
  services: Record<string, { image: string; expose: Array<{ port: number; as: number; global: boolean }> }>;
  /** One entry per placement group (gseq = index + 1). */
  groups: Array<{
    placement: string;
    /** Services deployed in the group, with their replica count. */
    services: Array<{ name: string; count: number }>;
    gpu: { units: number; models: Array<{ vendor: string; model: string; ram?: string }> } | undefined;
    pricing: { denom: string; amount: number };
  }>;
};

type Dict = Record<string, unknown>;

/** Parses an SDL as far as the fake needs; throws an Error with a readable message when it is not one. */
export function summarizeFakeSdl(text: string): FakeSdlSummary {
  const document = parse(text) as unknown;
  if (!isDict(document)) throw new Error('SDL is not a YAML mapping');
  if (String(document['version']) !== '2.0' && String(document['version']) !== '2.1') throw new Error('SDL version must be "2.0" or "2.1"');
  const services = dict(document['services'], 'services');
  const profiles = dict(document['profiles'], 'profiles');
  const compute = dict(profiles['compute'], 'profiles.compute');
  const placements = dict(profiles['placement'], 'profiles.placement');
  const deployment = dict(document['deployment'], 'deployment');

  const summary: FakeSdlSummary = { services: {}, groups: [] };
  for (const [name, raw] of Object.entries(services)) {
    const service = dict(raw, `services.${name}`);
    if (typeof service['image'] !== 'string' || service['image'] === '') throw new Error(`services.${name}.image is required`);
    const expose = Array.isArray(service['expose']) ? service['expose'] : [];
    summary.services[name] = {
      image: service['image'],
      expose: expose.filter(isDict).map((entry) => ({
        port: Number(entry['port']),
        as: Number(entry['as'] ?? entry['port']),
        global: Array.isArray(entry['to']) && entry['to'].some((target) => isDict(target) && target['global'] === true),
      })),
    };
  }

  const groups = new Map<string, FakeSdlSummary['groups'][number]>();
  for (const [serviceName, raw] of Object.entries(deployment)) {
    if (!summary.services[serviceName]) throw new Error(`deployment.${serviceName} names no service`);
    for (const [placementName, rawEntry] of Object.entries(dict(raw, `deployment.${serviceName}`))) {
      const entry = dict(rawEntry, `deployment.${serviceName}.${placementName}`);
      const profileName = String(entry['profile']);
      const profile = dict(compute[profileName], `profiles.compute.${profileName}`);
      const placement = dict(placements[placementName], `profiles.placement.${placementName}`);
      const price = dict(dict(placement['pricing'], `profiles.placement.${placementName}.pricing`)[profileName], `pricing.${profileName}`);
      const amount = Number(price['amount']);
      if (typeof price['denom'] !== 'string' || !Number.isFinite(amount) || amount <= 0) throw new Error(`pricing.${profileName} needs a denom and a positive amount`);
      const group = groups.get(placementName) ?? { placement: placementName, services: [], gpu: gpuOf(dict(profile['resources'], 'resources')), pricing: { denom: price['denom'], amount } };
      group.services.push({ name: serviceName, count: Number(entry['count'] ?? 1) });
      groups.set(placementName, group);
    }
  }
  summary.groups = [...groups.values()];
  if (summary.groups.length === 0) throw new Error('deployment section is empty');
  return summary;
}

function gpuOf(resources: Dict): FakeSdlSummary['groups'][number]['gpu'] {
  if (!isDict(resources['gpu'])) return undefined;
  const gpu = resources['gpu'];
  const units = Number(gpu['units'] ?? 0);
  if (!(units > 0)) return undefined;
  const vendors = isDict(gpu['attributes']) && isDict(gpu['attributes']['vendor']) ? gpu['attributes']['vendor'] : {};
  const models: Array<{ vendor: string; model: string; ram?: string }> = [];
  for (const [vendor, list] of Object.entries(vendors)) {
    for (const entry of Array.isArray(list) ? list : []) {
      if (isDict(entry) && typeof entry['model'] === 'string') {
        models.push({ vendor, model: entry['model'], ...(typeof entry['ram'] === 'string' ? { ram: entry['ram'] } : {}) });
      }
    }
  }
  return { units, models };
}

function dict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new Error(`${what} must be a mapping`);
  return value;
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
