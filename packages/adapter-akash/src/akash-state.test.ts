import { describe, expect, it } from 'vitest';
import { deploymentSchema, type AkashDeployment } from './akash-api';
import { mapAkashDeploymentState, serviceReadiness } from './akash-state';

type LeaseOverrides = { state?: string; status?: unknown; reason?: string };

function deployment(state: 'active' | 'closed', lease?: LeaseOverrides, escrowState = 'open'): AkashDeployment {
  return deploymentSchema.parse({
    deployment: { id: { owner: 'akash1owner', dseq: '1234567' }, state, hash: 'h', created_at: '100' },
    leases: lease
      ? [{
          id: { owner: 'akash1owner', dseq: '1234567', gseq: 1, oseq: 1, provider: 'akash1provider', bseq: 1 },
          state: lease.state ?? 'active',
          price: { denom: 'uact', amount: '1000.000000000000000000' },
          created_at: '101',
          closed_on: '0',
          ...(lease.reason ? { reason: lease.reason } : {}),
          status: lease.status ?? null,
        }]
      : [],
    escrow_account: { id: { scope: 'deployment', xid: 'x' }, state: { owner: 'akash1owner', state: escrowState, transferred: [], settled_at: '1', funds: [], deposits: [] } },
  });
}

function status(services: Record<string, { replicas: number; ready: number; uris?: string[] }>, forwarded?: unknown) {
  return {
    services: Object.fromEntries(
      Object.entries(services).map(([name, service]) => [
        name,
        { name, available: service.ready, total: service.replicas, uris: service.uris ?? [], replicas: service.replicas, ready_replicas: service.ready, available_replicas: service.ready },
      ]),
    ),
    forwarded_ports: forwarded ?? {},
    ips: {},
  };
}

const live = { terminationRequested: false };

describe('mapAkashDeploymentState', () => {
  it('active deployment without a lease (waiting for bids) is pending', () => {
    const report = mapAkashDeploymentState(deployment('active'), live);
    expect(report).toMatchObject({ status: 'pending', provider_status: 'deployment=active', endpoint: null });
  });

  it('active lease whose status is null (provider not reporting yet) is provisioning', () => {
    expect(mapAkashDeploymentState(deployment('active', {}), live)).toMatchObject({ status: 'provisioning', provider_status: 'deployment=active lease=active' });
  });

  it('active lease with a service not all replicas ready is provisioning', () => {
    const report = mapAkashDeploymentState(deployment('active', { status: status({ worker: { replicas: 2, ready: 1 } }) }), live);
    expect(report).toMatchObject({ status: 'provisioning', provider_status: 'deployment=active lease=active ready=1/2' });
  });

  it('active lease with every service ready is running, with the ingress URI as endpoint', () => {
    const report = mapAkashDeploymentState(
      deployment('active', { status: status({ worker: { replicas: 1, ready: 1, uris: ['abc.ingress.provider.com'] }, sidecar: { replicas: 1, ready: 1 } }) }),
      live,
    );
    expect(report).toMatchObject({ status: 'running', provider_status: 'deployment=active lease=active ready=2/2', endpoint: 'http://abc.ingress.provider.com' });
  });

  it('uses a forwarded port as endpoint when no service has a URI', () => {
    const report = mapAkashDeploymentState(
      deployment('active', { status: status({ worker: { replicas: 1, ready: 1 } }, { worker: [{ port: 8000, externalPort: 31234, host: 'provider.example.com', available: 1 }] }) }),
      live,
    );
    expect(report.endpoint).toBe('tcp://provider.example.com:31234');
  });

  it('one ready service and one not ready is still provisioning', () => {
    const report = mapAkashDeploymentState(deployment('active', { status: status({ worker: { replicas: 1, ready: 1 }, db: { replicas: 1, ready: 0 } }) }), live);
    expect(report.status).toBe('provisioning');
  });

  it('a lease that ran out of funds is failed', () => {
    const report = mapAkashDeploymentState(deployment('active', { state: 'insufficient_funds' }), live);
    expect(report).toMatchObject({ status: 'failed', provider_status: 'deployment=active lease=insufficient_funds' });
    expect(report.message).toMatch(/funds/);
  });

  it('a lease closed by the provider while the deployment is active is failed with the reason', () => {
    const report = mapAkashDeploymentState(deployment('active', { state: 'closed', reason: 'lease_closed_unstable' }), live);
    expect(report.status).toBe('failed');
    expect(report.message).toContain('lease_closed_unstable');
  });

  it('after our DELETE, an active deployment is terminating and a closed one terminated', () => {
    const terminating = { terminationRequested: true };
    expect(mapAkashDeploymentState(deployment('active', { status: status({ worker: { replicas: 1, ready: 1 } }) }), terminating).status).toBe('terminating');
    expect(mapAkashDeploymentState(deployment('closed', { state: 'closed', reason: 'lease_closed_owner' }), terminating).status).toBe('terminated');
  });

  it('a deployment closed by its owner (or without a reason) is terminated', () => {
    expect(mapAkashDeploymentState(deployment('closed', { state: 'closed', reason: 'lease_closed_owner' }), live).status).toBe('terminated');
    expect(mapAkashDeploymentState(deployment('closed'), live).status).toBe('terminated');
  });

  it('a deployment closed for lack of funds or by the provider is failed', () => {
    expect(mapAkashDeploymentState(deployment('closed', { state: 'insufficient_funds' }), live).status).toBe('failed');
    expect(mapAkashDeploymentState(deployment('closed', { state: 'closed' }, 'overdrawn'), live).status).toBe('failed');
    const byProvider = mapAkashDeploymentState(deployment('closed', { state: 'closed', reason: 'lease_closed_decommission' }), live);
    expect(byProvider).toMatchObject({ status: 'failed', message: 'closed: lease_closed_decommission' });
  });

  it('never reports completed: Akash containers restart rather than exit', () => {
    const all = [
      deployment('active'), deployment('active', {}), deployment('active', { status: status({ worker: { replicas: 1, ready: 1 } }) }),
      deployment('closed'), deployment('closed', { state: 'insufficient_funds' }),
    ].map((entry) => mapAkashDeploymentState(entry, live).status);
    expect(all).not.toContain('completed');
  });
});

describe('serviceReadiness', () => {
  it('sums ready over wanted replicas and needs every service ready', () => {
    const parsed = deploymentSchema.parse({
      deployment: { id: { dseq: '1' }, state: 'active' },
      leases: [{ id: { dseq: '1', gseq: 1, oseq: 1, provider: 'p' }, state: 'active', status: status({ a: { replicas: 2, ready: 2 }, b: { replicas: 3, ready: 1 } }) }],
    });
    expect(serviceReadiness(parsed.leases[0]!.status!)).toEqual({ services: 2, ready: 3, total: 5, allReady: false });
  });
});
