import { z } from 'zod';

/*
 * Zod schemas of the Akash Console API answers the adapter reads. Minimal and lenient (unknown keys
 * are dropped, optional facts are `.nullish()`), so additive API changes do not break parsing.
 * Shapes follow shared/reference/providers/akash.md; forms marked there as uncertain are all accepted.
 */

const coinSchema = z.object({ denom: z.string(), amount: z.union([z.string(), z.number()]).transform(String) });

const availabilitySchema = z.object({ total: z.number(), available: z.number() });

/** GET /v1/gpu-prices: USD per GPU-hour per model variant, derived from recent bids. */
export const gpuPricesResponseSchema = z.object({
  availability: availabilitySchema.nullish(),
  models: z.array(
    z.object({
      vendor: z.string(),
      model: z.string(),
      ram: z.string().nullish(),
      interface: z.string().nullish(),
      availability: availabilitySchema.nullish(),
      providerAvailability: availabilitySchema.nullish(),
      price: z
        .object({
          currency: z.string().nullish(),
          min: z.number().nullish(),
          max: z.number().nullish(),
          avg: z.number().nullish(),
          weightedAverage: z.number().nullish(),
          med: z.number().nullish(),
        })
        .nullish(),
    }),
  ),
});
export type AkashGpuPrices = z.output<typeof gpuPricesResponseSchema>;
export type AkashGpuPriceModel = AkashGpuPrices['models'][number];

const gpuModelSchema = z.object({ vendor: z.string(), model: z.string(), ram: z.string().nullish(), interface: z.string().nullish() });

const statsItemSchema = z.object({ active: z.number().nullish(), available: z.number().nullish(), pending: z.number().nullish() });

/** One provider from GET /v1/providers or GET /v1/providers/{address}. */
export const providerSchema = z.object({
  owner: z.string(),
  name: z.string().nullish(),
  hostUri: z.string(),
  isOnline: z.boolean().nullish(),
  isAudited: z.boolean().nullish(),
  uptime1d: z.number().nullish(),
  uptime7d: z.number().nullish(),
  uptime30d: z.number().nullish(),
  gpuModels: z.array(gpuModelSchema).nullish(),
  attributes: z.array(z.object({ key: z.string(), value: z.string(), auditedBy: z.array(z.string()).nullish() })).nullish(),
  locationRegion: z.string().nullish(),
  country: z.string().nullish(),
  city: z.string().nullish(),
  ipRegion: z.string().nullish(),
  ipRegionCode: z.string().nullish(),
  ipCountry: z.string().nullish(),
  ipCountryCode: z.string().nullish(),
  tier: z.string().nullish(),
  stats: z.object({ gpu: statsItemSchema.nullish() }).nullish(),
});
export type AkashProvider = z.output<typeof providerSchema>;

export const providerListResponseSchema = z.array(providerSchema);

/** GET /v1/market-data: `{ price, ... }` in USD, no envelope (console `market-data.schema.ts`). */
export const marketDataResponseSchema = z.object({ price: z.number().positive() });

const bidIdSchema = z.object({
  owner: z.string().nullish(),
  dseq: z.union([z.string(), z.number()]).transform(String),
  gseq: z.number(),
  oseq: z.number(),
  provider: z.string(),
  bseq: z.number().nullish(),
});

/**
 * One entry of GET /v1/bids?dseq=. The reference (console HEAD) names the id `id` and includes
 * `bseq`; an older console schema names it `bid_id` without `bseq`. Both are accepted.
 */
export const bidEntrySchema = z
  .object({
    bid: z.object({
      id: bidIdSchema.nullish(),
      bid_id: bidIdSchema.nullish(),
      state: z.string(),
      price: coinSchema,
      created_at: z.string().nullish(),
    }),
  })
  .transform(({ bid }, context) => {
    const id = bid.id ?? bid.bid_id;
    if (!id) {
      context.addIssue({ code: 'custom', message: 'bid has neither `id` nor `bid_id`' });
      return z.NEVER;
    }
    return { id, state: bid.state, price: bid.price, created_at: bid.created_at ?? undefined };
  });
export type AkashBid = z.output<typeof bidEntrySchema>;

export const listBidsResponseSchema = z.object({ data: z.array(bidEntrySchema) });

const serviceStatusSchema = z.object({
  name: z.string().nullish(),
  available: z.number().nullish(),
  total: z.number().nullish(),
  uris: z.array(z.string()).nullish(),
  replicas: z.number().nullish(),
  ready_replicas: z.number().nullish(),
  available_replicas: z.number().nullish(),
});

const forwardedPortSchema = z.object({
  port: z.number().nullish(),
  externalPort: z.number().nullish(),
  host: z.string().nullish(),
  available: z.number().nullish(),
});

export const leaseStatusSchema = z.object({
  services: z.record(z.string(), serviceStatusSchema).nullish(),
  forwarded_ports: z.record(z.string(), z.array(forwardedPortSchema).nullish()).nullish(),
});
export type AkashLeaseStatus = z.output<typeof leaseStatusSchema>;

export const leaseSchema = z.object({
  id: bidIdSchema,
  state: z.string(),
  price: coinSchema.nullish(),
  created_at: z.string().nullish(),
  closed_on: z.string().nullish(),
  reason: z.string().nullish(),
  status: leaseStatusSchema.nullish(),
});
export type AkashLease = z.output<typeof leaseSchema>;

/** The DeploymentResponse inside `data` of GET /v1/deployments/{dseq} and POST /v1/leases. */
export const deploymentSchema = z.object({
  deployment: z.object({
    id: z.object({ owner: z.string().nullish(), dseq: z.union([z.string(), z.number()]).transform(String) }),
    state: z.string(),
    created_at: z.string().nullish(),
  }),
  leases: z.array(leaseSchema).nullish().transform((leases) => leases ?? []),
  escrow_account: z
    .object({ state: z.object({ state: z.string().nullish() }).nullish() })
    .nullish(),
});
export type AkashDeployment = z.output<typeof deploymentSchema>;

export const deploymentResponseSchema = z.object({ data: deploymentSchema });

/** GET /v1/deployments?skip=&limit=: the account's active deployments, without live lease status. */
export const listDeploymentsResponseSchema = z.object({
  data: z.object({
    deployments: z.array(deploymentSchema),
    pagination: z
      .object({ total: z.number().nullish(), skip: z.number().nullish(), limit: z.number().nullish(), hasMore: z.boolean().nullish() })
      .nullish(),
  }),
});
export type AkashDeploymentPage = z.output<typeof listDeploymentsResponseSchema>['data'];

/**
 * POST /v1/deployments. Console code answers `{ data: { dseq, manifest, signTx } }`; a docs revision
 * shows an unwrapped `{ dseq, status, createdAt }`. Both are read; `manifest` may then be missing.
 */
export const createDeploymentResponseSchema = z
  .union([
    z.object({ data: z.object({ dseq: z.union([z.string(), z.number()]).transform(String), manifest: z.string().nullish() }) }),
    z.object({ dseq: z.union([z.string(), z.number()]).transform(String), manifest: z.string().nullish() }),
  ])
  .transform((value) => ('data' in value ? value.data : value))
  .transform((value) => ({ dseq: value.dseq, manifest: value.manifest ?? undefined }));

/** DELETE /v1/deployments/{dseq}: `{ data: { success } }`; an empty 404 answer parses too. */
export const closeDeploymentResponseSchema = z.unknown();

/** POST /v1/create-jwt-token. */
export const createJwtTokenResponseSchema = z.object({ data: z.object({ token: z.string().min(1) }) });

/** GET /v1/healthz/liveness and /readiness: `{ data: { postgres, jobQueue, ... } }`. */
export const healthzResponseSchema = z.object({ data: z.record(z.string(), z.unknown()).nullish() }).loose();

/** GET /v1/blockchain-status, no envelope. */
export const blockchainStatusResponseSchema = z.object({ isBlockchainReachable: z.boolean() });

/** The documented error body `{ error: "<CodeString>", message }`. */
export const akashErrorBodySchema = z.object({ error: z.string(), message: z.string().nullish() });
