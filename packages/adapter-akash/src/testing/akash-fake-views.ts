import type { AkashFakeBid, AkashFakeDeployment, LeaseStage } from './akash-fake-market';

/** Amounts go over the wire as 18-decimal strings, as the chain's DecCoin does. */
function decimal(amount: number): string {
  return amount.toFixed(18);
}

function escrowJson(deployment: AkashFakeDeployment, overdrawn: boolean) {
  return {
    id: { scope: 'deployment', xid: `${deployment.owner}/${deployment.dseq}` },
    state: {
      owner: deployment.owner,
      state: deployment.state === 'closed' ? 'closed' : overdrawn ? 'overdrawn' : 'open',
      transferred: [],
      settled_at: String(deployment.createdHeight),
      funds: [{ denom: deployment.lease?.denom ?? 'uact', amount: decimal(deployment.deposit !== undefined ? deployment.deposit * 1_000_000 : 5_000_000) }],
      deposits: [],
    },
  };
}

/** GET /v1/bids?dseq= item. */
export function bidJson(deployment: AkashFakeDeployment, bid: AkashFakeBid) {
  return {
    bid: {
      id: { owner: deployment.owner, dseq: deployment.dseq, gseq: bid.gseq, oseq: bid.oseq, provider: bid.provider, bseq: bid.bseq },
      state: bid.state,
      price: { denom: bid.denom, amount: decimal(bid.amount) },
      created_at: String(deployment.createdHeight + 1),
      resources_offer: [],
    },
    escrow_account: escrowJson(deployment, false),
  };
}

/** The lease's live status (`null` until the provider reports), as GET /v1/deployments/{dseq} embeds it. */
export function leaseStatusJson(deployment: AkashFakeDeployment, stage: LeaseStage | undefined) {
  if (stage === undefined || stage === 'status-null') return null;
  const services: Record<string, unknown> = {};
  const forwardedPorts: Record<string, unknown[]> = {};
  const group = deployment.summary.groups[(deployment.lease?.gseq ?? 1) - 1];
  for (const { name, count } of group?.services ?? []) {
    const ready = stage === 'ready' ? count : 0;
    const expose = deployment.summary.services[name]?.expose ?? [];
    const hasIngress = expose.some((entry) => entry.global && entry.as === 80);
    services[name] = {
      name, available: ready, total: count,
      uris: hasIngress && stage === 'ready' ? [`${name}-${deployment.dseq}.ingress.fake-provider.local`] : [],
      observed_generation: 1, replicas: count, updated_replicas: count, ready_replicas: ready, available_replicas: ready,
    };
    const forwarded = expose.filter((entry) => entry.global && entry.as !== 80);
    if (forwarded.length > 0) {
      forwardedPorts[name] = forwarded.map((entry, index) => ({ host: 'fake-provider.local', port: entry.port, externalPort: 30_000 + index, proto: 'TCP', name, available: ready }));
    }
  }
  return { services, forwarded_ports: forwardedPorts, ips: {} };
}

/** GET /v1/deployments/{dseq} `data` (and POST /v1/leases `data`, with `stage` undefined -> status null). */
export function deploymentJson(deployment: AkashFakeDeployment, stage: LeaseStage | undefined, options: { withStatus: boolean }) {
  const lease = deployment.lease;
  return {
    deployment: {
      id: { owner: deployment.owner, dseq: deployment.dseq },
      state: deployment.state,
      hash: Buffer.from(deployment.manifest).toString('base64').slice(0, 44),
      created_at: String(deployment.createdHeight),
    },
    leases: lease
      ? [{
          id: { owner: deployment.owner, dseq: deployment.dseq, gseq: lease.gseq, oseq: lease.oseq, provider: lease.provider, bseq: lease.bseq },
          state: lease.state,
          price: { denom: lease.denom, amount: decimal(lease.amount) },
          created_at: String(lease.createdHeight),
          closed_on: String(lease.closedHeight ?? 0),
          ...(lease.reason ? { reason: lease.reason } : {}),
          ...(options.withStatus ? { status: leaseStatusJson(deployment, stage) } : {}),
        }]
      : [],
    escrow_account: escrowJson(deployment, lease?.state === 'insufficient_funds'),
  };
}
