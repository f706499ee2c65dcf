import type { IonetFakeFaults } from './ionet-fake-faults';
import type { IonetFakeDeployment, IonetFakeStore } from './ionet-fake-store';
import {
  queryInteger, queryLocationIds, queryValue, validateDeployBody, validateExtendBody, validateUpdateBody,
  type ValidationIssue,
} from './ionet-fake-validation';
import { deploymentDetailsView, deploymentSummaryView, workersView } from './ionet-fake-views';

export type FakeApiRequest = { method: string; path: string; query: URLSearchParams; body: unknown };
export type FakeApiAnswer = { status: number; body: unknown; headers?: Record<string, string> };
export type FakeRouteContext = { store: IonetFakeStore; faults: IonetFakeFaults; publicBase: string };

const ok = (body: unknown): FakeApiAnswer => ({ status: 200, body });
const detail = (status: number, message: string): FakeApiAnswer => ({ status, body: { detail: message } });
const invalid = (issues: ValidationIssue[]): FakeApiAnswer => ({ status: 422, body: { detail: issues } });
const notFound = (): FakeApiAnswer => detail(404, 'Not found');

const deploymentStatuses = ['deployment requested', 'running', 'termination requested', 'destroyed', 'completed', 'failed'];

/** The JSON endpoints of the Enterprise CaaS API, as the reference describes them. */
export function routeFakeApi(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer | undefined {
  const { method, path } = request;
  const segments = path.split('/').filter(Boolean);
  if (method === 'GET' && path === '/hardware/max-gpus-per-container') return hardware(context, request);
  if (method === 'GET' && path === '/available-replicas') return availableReplicas(context, request);
  if (method === 'GET' && path === '/price') return price(context, request);
  if (method === 'GET' && path === '/node-pools') return ok({ data: [] });
  if (method === 'POST' && path === '/deploy') return deploy(context, request);
  if (method === 'GET' && path === '/deployments') return listDeployments(context, request);
  if (segments[0] !== 'deployment' || segments[1] === undefined) return undefined;
  const deployment = context.store.deployments.get(segments[1]);
  const rest = segments.slice(2).join('/');
  if (rest === '' && ['GET', 'PATCH', 'DELETE'].includes(method)) {
    if (!deployment) return notFound();
    if (method === 'GET') return ok({ data: deploymentDetailsView(context.store, deployment) });
    if (method === 'PATCH') return update(context, deployment, request);
    return terminate(context, deployment);
  }
  if (method === 'GET' && (rest === 'containers' || segments[2] === 'containers-jobs')) {
    if (!deployment) return notFound();
    return containers(context, deployment, request);
  }
  if (method === 'POST' && rest === 'extend') {
    if (!deployment) return notFound();
    return extend(context, deployment, request);
  }
  return undefined;
}

function hardware(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer {
  const noCapacity = context.faults.take(['no-capacity'], request.method, request.path);
  const { catalog } = context.store;
  const rows = catalog.hardware.map((item) => ({
    hardware_id: item.hardware_id,
    hardware_name: item.hardware_name,
    brand_name: item.brand_name,
    max_gpus_per_container: item.max_gpus_per_container,
    available: noCapacity ? 0 : catalog.locations.reduce((sum, location) => sum + context.store.freeGpus(String(item.hardware_id), String(location.id)), 0),
  }));
  return ok({ data: { hardware: rows, total: rows.length } });
}

function availableReplicas(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer {
  const issues: ValidationIssue[] = [];
  const hardwareId = queryValue(request.query, ['hardware_id'], issues);
  const quantity = queryInteger(request.query, ['hardware_qty'], issues);
  if (issues.length > 0) return invalid(issues);
  const noCapacity = context.faults.take(['no-capacity'], request.method, request.path);
  const rows = context.store.catalog.locations.map((location) => ({
    ...location,
    available_replicas: noCapacity ? 0 : Math.floor(context.store.freeGpus(hardwareId!, String(location.id)) / quantity!),
  }));
  return ok({ data: rows });
}

/** Accepts the spec's parameters and the third-party client's names for them (`duration_qty`, `hardware_qty`). */
function price(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer {
  const issues: ValidationIssue[] = [];
  const locationIds = queryLocationIds(request.query, issues);
  const hardwareId = queryValue(request.query, ['hardware_id'], issues);
  const durationHours = queryInteger(request.query, ['duration_hours', 'duration_qty'], issues);
  const gpusPerContainer = queryInteger(request.query, ['gpus_per_container', 'hardware_qty'], issues);
  const replicaCount = queryInteger(request.query, ['replica_count'], issues);
  if (issues.length > 0) return invalid(issues);
  const item = context.store.catalog.hardware.find((candidate) => String(candidate.hardware_id) === hardwareId);
  if (!item) return detail(400, `Hardware ${hardwareId} not found`);
  const noCapacity = context.faults.take(['no-capacity'], request.method, request.path);
  const breakdown = context.store.price(item, gpusPerContainer!, replicaCount!, durationHours!);
  const { catalog } = context.store;
  return ok({
    data: {
      replica_count: replicaCount,
      gpus_per_container: gpusPerContainer,
      available_replica_count: locationIds!.map((id) => (noCapacity ? 0 : Math.floor(context.store.freeGpus(hardwareId!, id) / gpusPerContainer!))),
      discount: breakdown.discount,
      ionet_fee: breakdown.ionet_fee,
      ionet_fee_percent: catalog.ionetFeePercent,
      currency_conversion_fee: breakdown.currency_conversion_fee,
      currency_conversion_fee_percent: catalog.currencyConversionFeePercent,
      total_cost_usdc: breakdown.total_cost_usdc,
    },
  });
}

function deploy(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer {
  const issues = validateDeployBody(request.body);
  if (issues.length > 0) return invalid(issues);
  const body = request.body as Record<string, any>;
  const { store, faults } = context;
  if (faults.take(['payment-required'], request.method, request.path)) {
    return detail(400, 'Insufficient balance: add IO credits or USDC to your account to deploy');
  }
  const name = String(body.resource_private_name);
  if ([...store.deployments.values()].some((deployment) => deployment.name === name)) {
    return detail(400, `A deployment with resource_private_name '${name}' already exists`);
  }
  const item = store.catalog.hardware.find((candidate) => String(candidate.hardware_id) === String(body.hardware_id));
  if (!item) return detail(400, `Hardware ${body.hardware_id} not found`);
  if (body.gpus_per_container > item.max_gpus_per_container) {
    return detail(400, `gpus_per_container ${body.gpus_per_container} exceeds max_gpus_per_container ${item.max_gpus_per_container} of ${item.hardware_name}`);
  }
  if (body.node_pool_id !== undefined) return detail(400, `Node pool ${body.node_pool_id} not found`);
  const location = store.catalog.locations.find((candidate) => String(candidate.id) === String(body.location_ids[0]));
  if (!location) return detail(400, `Location ${body.location_ids[0]} not found`);
  const replicaCount = body.container_config.replica_count as number;
  const noCapacity = faults.take(['no-capacity'], request.method, request.path);
  if (noCapacity || store.freeGpus(String(item.hardware_id), String(location.id)) < body.gpus_per_container * replicaCount) {
    return detail(400, `Not enough available replicas of ${item.hardware_name} in ${location.name}`);
  }
  const deployment = store.create({
    name,
    hardware: item,
    location,
    gpusPerContainer: body.gpus_per_container,
    replicaCount,
    durationHours: body.duration_hours,
    containerConfig: body.container_config,
    registryConfig: body.registry_config,
    fails: Boolean(faults.take(['deployment-fails'], request.method, request.path)),
  });
  if (faults.take(['deploy-answer-lost'], request.method, request.path)) return detail(504, 'Gateway Timeout');
  return ok({ status: 'success', deployment_id: deployment.id });
}

function listDeployments(context: FakeRouteContext, request: FakeApiRequest): FakeApiAnswer {
  const issues: ValidationIssue[] = [];
  const page = Number(request.query.get('page') ?? 0);
  const pageSize = Number(request.query.get('page_size') ?? 10);
  if (!Number.isInteger(page) || page < 0) issues.push({ loc: ['query', 'page'], msg: 'Input should be an integer >= 0', type: 'int_parsing' });
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    issues.push({ loc: ['query', 'page_size'], msg: 'Input should be an integer between 1 and 100', type: 'less_than_equal' });
  }
  if (issues.length > 0) return invalid(issues);
  const status = request.query.get('status');
  const all = [...context.store.deployments.values()]
    .map((deployment) => deploymentSummaryView(context.store, deployment))
    .filter((summary) => !status || summary.status === status);
  return ok({ data: { deployments: all.slice(page * pageSize, (page + 1) * pageSize), total: all.length, statuses: deploymentStatuses } });
}

function containers(context: FakeRouteContext, deployment: IonetFakeDeployment, request: FakeApiRequest): FakeApiAnswer {
  const page = Math.max(0, Number(request.query.get('page') ?? 0) || 0);
  const pageSize = Math.min(100, Math.max(1, Number(request.query.get('page_size') ?? 20) || 20));
  const workers = workersView(context.store, deployment, context.publicBase);
  return ok({ data: { total: workers.length, workers: workers.slice(page * pageSize, (page + 1) * pageSize) } });
}

function extend(context: FakeRouteContext, deployment: IonetFakeDeployment, request: FakeApiRequest): FakeApiAnswer {
  const issues = validateExtendBody(request.body);
  if (issues.length > 0) return invalid(issues);
  const status = context.store.status(deployment);
  if (status !== 'running' && status !== 'deployment requested') return detail(400, `Deployment cannot be extended in status '${status}'`);
  const hours = (request.body as { duration_hours: number }).duration_hours;
  deployment.durationHours += hours;
  deployment.amountPaid = round(deployment.amountPaid + context.store.price(deployment.hardware, deployment.gpusPerContainer, deployment.replicaCount, hours).total_cost_usdc);
  return ok({ data: deploymentDetailsView(context.store, deployment) });
}

function update(context: FakeRouteContext, deployment: IonetFakeDeployment, request: FakeApiRequest): FakeApiAnswer {
  const issues = validateUpdateBody(request.body);
  if (issues.length > 0) return invalid(issues);
  const { image_url: image, registry_username: username, registry_secret: secret, ...container } = request.body as Record<string, unknown>;
  Object.assign(deployment.containerConfig, container);
  if (image !== undefined) deployment.registryConfig.image_url = image;
  if (username !== undefined) deployment.registryConfig.registry_username = username;
  if (secret !== undefined) deployment.registryConfig.registry_secret = secret;
  return ok({ status: 'success', deployment_id: deployment.id });
}

function terminate(context: FakeRouteContext, deployment: IonetFakeDeployment): FakeApiAnswer {
  const status = context.store.status(deployment);
  if (status === 'destroyed' || status === 'completed' || status === 'failed') return detail(400, `Deployment is already ${status}`);
  deployment.terminationRequestedAt ??= context.store.clock.now();
  deployment.forcedStatus = undefined;
  return ok({ status: 'termination requested', deployment_id: deployment.id });
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
