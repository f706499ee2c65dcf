import { createHash } from 'node:crypto';
import { InvalidArgumentError, type FieldIssue, type RoutingRequest } from '@aurora/router';
import type { IonetOfferMetadata } from './ionet-offer-metadata';

const maximumNameLength = 63;
const namePrefix = 'aurora-';

/**
 * `resource_private_name` for an idempotency key. io.net requires it unique per account, which
 * makes it our idempotency key on their side: a retried deploy finds the first one by name. The
 * key is kept readable when it is already a safe slug; otherwise a hash keeps distinct keys apart.
 */
export function ionetResourceName(idempotencyKey: string): string {
  const slug = idempotencyKey.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const plain = `${namePrefix}${slug}`;
  if (slug === idempotencyKey && slug.length > 0 && plain.length <= maximumNameLength) return plain;
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12);
  const room = maximumNameLength - namePrefix.length - hash.length - 1;
  const head = slug.slice(0, room).replace(/-$/, '');
  return head ? `${namePrefix}${head}-${hash}` : `${namePrefix}${hash}`;
}

export type IonetDeployBodyOptions = {
  name: string;
  durationHours: number;
  defaultTrafficPort: number;
  defaultImage?: string;
  secretEnvPattern: RegExp;
};

/** The `POST /deploy` body. `additionalProperties: false` upstream: only documented keys, no nulls. */
export function buildIonetDeployBody(request: RoutingRequest, placement: IonetOfferMetadata, options: IonetDeployBodyOptions) {
  const issues: FieldIssue[] = [];
  const image = request.image ?? options.defaultImage;
  if (!image) issues.push({ field: 'image', reason: 'is required to deploy on io.net (a container image)' });
  if (request.ports && request.ports.length > 1) {
    issues.push({ field: 'ports', reason: 'io.net exposes exactly one HTTP port per container (traffic_port)' });
  }
  if (issues.length > 0) throw new InvalidArgumentError({ issues });

  const environment: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.env ?? {})) {
    (options.secretEnvPattern.test(name) ? secrets : environment)[name] = value;
  }
  const containerConfig: Record<string, unknown> = {
    replica_count: placement.replica_count,
    traffic_port: request.ports?.[0] ?? options.defaultTrafficPort,
  };
  if (request.command && request.command.length > 0) containerConfig.entrypoint = request.command;
  if (Object.keys(environment).length > 0) containerConfig.env_variables = environment;
  if (Object.keys(secrets).length > 0) containerConfig.secret_env_variables = secrets;

  return {
    resource_private_name: options.name,
    duration_hours: options.durationHours,
    gpus_per_container: placement.gpus_per_container,
    hardware_id: placement.hardware_id,
    location_ids: [placement.location_id],
    container_config: containerConfig,
    registry_config: { image_url: image! },
  };
}

export type IonetDeployBody = ReturnType<typeof buildIonetDeployBody>;
