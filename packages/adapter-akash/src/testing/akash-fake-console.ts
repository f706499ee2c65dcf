import type { IncomingMessage, ServerResponse } from 'node:http';
import { akashErrorBody, malformedJsonBody, type AkashFakeFaults } from './akash-fake-faults';
import { gpuModelsJson, gpuPricesJson, providerJson, type AkashFakeProvider } from './akash-fake-fixtures';
import { delayUnlessGone, parseJson, readBody, sendJson, sendText } from './akash-fake-http';
import type { AkashFakeMarket } from './akash-fake-market';
import type { AkashFakeTokens } from './akash-fake-tokens';
import { bidJson, deploymentJson } from './akash-fake-views';

/** One Console API call the fake saw. `authorized` says whether a valid `x-api-key` came with it. */
export type AkashFakeRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
  body: unknown;
  status: number;
  /** The fault that answered it, if any. */
  fault?: string;
};

export type AkashFakeConsoleContext = {
  apiKey: string;
  market: AkashFakeMarket;
  faults: AkashFakeFaults;
  tokens: AkashFakeTokens;
  providers: readonly AkashFakeProvider[];
  aktUsd: number;
  gatewayUrl: () => string;
  requests: AkashFakeRequest[];
  now: () => number;
};

type Answer = { status: number; body: unknown };
type Route = { method: string; pattern: RegExp; auth: boolean; handle: (context: AkashFakeConsoleContext, match: RegExpMatchArray, query: URLSearchParams, body: unknown) => Answer };

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const fail = (status: number, message: string): Answer => ({ status, body: akashErrorBody(status, message) });

const routes: Route[] = [
  { method: 'GET', pattern: /^\/v1\/healthz\/(liveness|readiness)$/, auth: false, handle: () => ok({ data: { postgres: true, jobQueue: true } }) },
  { method: 'GET', pattern: /^\/v1\/blockchain-status$/, auth: false, handle: () => ok({ isBlockchainReachable: true }) },
  { method: 'GET', pattern: /^\/v1\/gpu-prices$/, auth: false, handle: (context) => ok(gpuPricesJson(context.providers)) },
  { method: 'GET', pattern: /^\/v1\/gpu-models$/, auth: false, handle: (context) => ok(gpuModelsJson(context.providers)) },
  { method: 'GET', pattern: /^\/v1\/market-data(?:\/(akt|akash-network))?$/, auth: false, handle: (context) => ok({ price: context.aktUsd, volume: 0, marketCap: 0, marketCapRank: 0, priceChange24h: 0, priceChangePercentage24: 0 }) },
  { method: 'GET', pattern: /^\/v1\/providers$/, auth: false, handle: (context) => ok(context.providers.map((provider) => providerJson(provider, context.gatewayUrl()))) },
  {
    method: 'GET', pattern: /^\/v1\/providers\/([^/]+)$/, auth: false,
    handle: (context, match) => {
      const provider = context.providers.find((candidate) => candidate.owner === decodeURIComponent(match[1]!));
      return provider ? ok({ ...providerJson(provider, context.gatewayUrl()), uptime: [] }) : fail(404, 'Provider not found');
    },
  },
  {
    method: 'GET', pattern: /^\/v1\/provider-regions$/, auth: false,
    handle: (context) => {
      const regions = new Map<string, string[]>();
      for (const provider of context.providers) regions.set(provider.region, [...(regions.get(provider.region) ?? []), provider.owner]);
      return ok([...regions].map(([key, providers]) => ({ key, description: key, value: key, providers })));
    },
  },
  { method: 'POST', pattern: /^\/v1\/deployments$/, auth: true, handle: (context, _match, _query, body) => createDeployment(context, body) },
  {
    method: 'GET', pattern: /^\/v1\/deployments$/, auth: true,
    handle: (context, _match, query) => {
      const active = [...context.market.deployments.values()].filter((deployment) => deployment.state === 'active');
      const skip = Number(query.get('skip') ?? 0);
      const limit = Number(query.get('limit') ?? 1000);
      const page = active.slice(skip, skip + limit).map((deployment) => deploymentJson(deployment, undefined, { withStatus: false }));
      return ok({ data: { deployments: page, pagination: { total: active.length, skip, limit, hasMore: skip + limit < active.length } } });
    },
  },
  {
    method: 'GET', pattern: /^\/v1\/deployments\/(\d+)$/, auth: true,
    handle: (context, match) => {
      const deployment = context.market.observe(match[1]!);
      if (!('dseq' in deployment)) return fail(deployment.status, deployment.message);
      return ok({ data: { ...deploymentJson(deployment, context.market.leaseStage(deployment), { withStatus: true }), consoleSettings: null } });
    },
  },
  {
    method: 'DELETE', pattern: /^\/v1\/deployments\/(\d+)$/, auth: true,
    handle: (context, match) => {
      const closed = context.market.closeDeployment(match[1]!);
      return 'dseq' in closed ? ok({ data: { success: true } }) : fail(closed.status, closed.message);
    },
  },
  { method: 'GET', pattern: /^\/v1\/bids$/, auth: true, handle: (context, _match, query) => listBids(context, query.get('dseq') ?? '') },
  { method: 'GET', pattern: /^\/v1\/bids\/(\d+)$/, auth: true, handle: (context, match) => listBids(context, match[1]!) },
  { method: 'POST', pattern: /^\/v1\/leases$/, auth: true, handle: (context, _match, _query, body) => createLease(context, body) },
  {
    method: 'POST', pattern: /^\/v1\/create-jwt-token$/, auth: true,
    handle: (context, _match, _query, body) => {
      const token = context.tokens.mint(body, context.now());
      if (typeof token === 'string') return fail(400, token);
      const fault = context.faults.take('expired-token');
      if (fault) token.expireAfterLines = Math.max(0, fault.afterLines ?? 0);
      return ok({ data: { token: token.token } }, 201);
    },
  },
];

/** Serves one Console API request: faults first, then auth, then the route. */
export async function handleConsoleRequest(context: AkashFakeConsoleContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake.invalid');
  const method = (request.method ?? 'GET').toUpperCase();
  const body = parseJson(await readBody(request));
  const record: AkashFakeRequest = {
    method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorized: request.headers['x-api-key'] === context.apiKey, body, status: 0,
  };
  context.requests.push(record);

  const fault = context.faults.takeHttpFault(method, url.pathname);
  if (fault?.type === 'slow' && !(await delayUnlessGone(request, fault.delayMs))) return;
  if (fault?.type === 'http-status') {
    record.status = fault.status;
    record.fault = 'http-status';
    const retryAfter = fault.retryAfter ?? (fault.retryAfterSeconds !== undefined ? String(fault.retryAfterSeconds) : undefined);
    sendJson(response, fault.status, akashErrorBody(fault.status, `injected HTTP ${fault.status}`), retryAfter !== undefined ? { 'retry-after': retryAfter } : {});
    return;
  }
  if (fault?.type === 'malformed-json') {
    record.status = 200;
    record.fault = 'malformed-json';
    sendText(response, 200, malformedJsonBody, { 'content-type': 'application/json' });
    return;
  }
  if (fault) record.fault = fault.type;

  const answer = route(context, method, url, body, record.authorized);
  record.status = answer.status;
  sendJson(response, answer.status, answer.body);
}

function route(context: AkashFakeConsoleContext, method: string, url: URL, body: unknown, authorized: boolean): Answer {
  for (const candidate of routes) {
    const match = url.pathname.match(candidate.pattern);
    if (!match || candidate.method !== method) continue;
    if (candidate.auth && !authorized) return fail(401, 'Invalid API key');
    return candidate.handle(context, match, url.searchParams, body);
  }
  return fail(404, `No route for ${method} ${url.pathname}`);
}

/** Accepts the wrapped body of the console code and the unwrapped one of a docs revision. */
function createDeployment(context: AkashFakeConsoleContext, body: unknown): Answer {
  const wrapped = isDict(body) && isDict(body['data']);
  const data = wrapped ? (body as { data: Record<string, unknown> }).data : isDict(body) ? body : undefined;
  if (!data || typeof data['sdl'] !== 'string') return fail(400, 'body must be { data: { sdl, deposit? } }');
  const deposit = typeof data['deposit'] === 'number' ? data['deposit'] : undefined;
  if (deposit !== undefined && deposit < 0.5) return fail(400, 'deposit must be at least 0.5 USD');
  const created = context.market.createDeployment(data['sdl'], deposit, wrapped ? 'wrapped' : 'unwrapped');
  if (!('dseq' in created)) return fail(created.status, created.message);
  return ok({ data: { dseq: created.dseq, manifest: created.manifest, signTx: { code: 0, transactionHash: `FAKE${created.dseq}`, rawLog: '' } } }, 201);
}

function listBids(context: AkashFakeConsoleContext, dseq: string): Answer {
  if (!/^\d+$/.test(dseq)) return fail(400, 'dseq is required');
  const bids = context.market.pollBids(dseq);
  if (!Array.isArray(bids)) return fail(bids.status, bids.message);
  const deployment = context.market.deployments.get(dseq)!;
  return ok({ data: bids.map((bid) => bidJson(deployment, bid)) });
}

function createLease(context: AkashFakeConsoleContext, body: unknown): Answer {
  if (!isDict(body) || !Array.isArray(body['leases']) || body['leases'].length === 0) return fail(400, 'body must be { manifest, leases: [{ dseq, gseq, oseq, provider }] }');
  let deployment;
  for (const entry of body['leases']) {
    if (!isDict(entry)) return fail(400, 'each lease needs dseq, gseq, oseq and provider');
    const lease = { dseq: String(entry['dseq']), gseq: Number(entry['gseq']), oseq: Number(entry['oseq']), provider: String(entry['provider']) };
    const result = context.market.createLease(body['manifest'], lease);
    if (!('dseq' in result)) return fail(result.status, result.message);
    deployment = result;
  }
  return ok({ data: deploymentJson(deployment!, undefined, { withStatus: true }) });
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
