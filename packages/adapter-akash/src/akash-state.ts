import type { DeploymentStatus } from '@aurora/router';
import type { AkashDeployment, AkashLease, AkashLeaseStatus } from './akash-api';

export type AkashStateContext = {
  /** This adapter has sent DELETE for the deployment. */
  terminationRequested: boolean;
};

export type AkashStateReport = {
  status: DeploymentStatus;
  /** Raw provider state, e.g. `deployment=active lease=active ready=0/1`. */
  provider_status: string;
  endpoint: string | null;
  message?: string;
  /** The lease the report is about (the active one, else the latest). */
  lease?: AkashLease;
};

/**
 * Maps GET /v1/deployments/{dseq} onto the common lifecycle:
 *
 * | observation                                                     | status        |
 * |-----------------------------------------------------------------|---------------|
 * | deployment active, no lease                                     | pending       |
 * | lease active, `status` null or a service not all replicas ready | provisioning  |
 * | lease active, every service ready                               | running       |
 * | lease insufficient_funds / closed / invalid, deployment active  | failed        |
 * | DELETE sent, deployment still active                            | terminating   |
 * | deployment closed after our DELETE, or closed by the owner      | terminated    |
 * | deployment closed with an escrow or provider reason             | failed        |
 *
 * Akash containers restart rather than exit, so `completed` is never reported.
 */
export function mapAkashDeploymentState(deployment: AkashDeployment, context: AkashStateContext): AkashStateReport {
  const lease = currentLease(deployment.leases);
  const deploymentState = deployment.deployment.state.toLowerCase();
  const readiness = lease?.status ? serviceReadiness(lease.status) : undefined;
  const provider_status = [
    `deployment=${deploymentState}`,
    lease ? `lease=${lease.state}` : undefined,
    readiness ? `ready=${readiness.ready}/${readiness.total}` : undefined,
  ].filter(Boolean).join(' ');
  const endpoint = lease?.status ? endpointOf(lease.status) : null;
  const report = (status: DeploymentStatus, message?: string): AkashStateReport => ({
    status, provider_status, endpoint, ...(message ? { message } : {}), ...(lease ? { lease } : {}),
  });

  if (deploymentState === 'closed') {
    if (context.terminationRequested) return report('terminated');
    const failure = closedFailure(deployment, lease);
    return failure ? report('failed', failure) : report('terminated');
  }
  if (context.terminationRequested) return report('terminating');
  if (!lease) return report('pending');
  const leaseState = lease.state.toLowerCase();
  if (leaseState === 'insufficient_funds') return report('failed', 'the lease ran out of funds (insufficient_funds)');
  if (leaseState === 'closed' || leaseState === 'invalid') {
    return report('failed', `the lease was ${leaseState}${lease.reason ? `: ${lease.reason}` : ''}`);
  }
  if (leaseState !== 'active') return report('provisioning');
  if (!readiness || readiness.services === 0) return report('provisioning');
  return readiness.allReady ? report('running') : report('provisioning');
}

/** The active lease, else one that ran out of funds, else the latest. */
function currentLease(leases: readonly AkashLease[]): AkashLease | undefined {
  return (
    leases.find((lease) => lease.state.toLowerCase() === 'active') ??
    leases.find((lease) => lease.state.toLowerCase() === 'insufficient_funds') ??
    leases.at(-1)
  );
}

function closedFailure(deployment: AkashDeployment, lease: AkashLease | undefined): string | undefined {
  if (lease?.state.toLowerCase() === 'insufficient_funds') return 'closed: the lease ran out of funds';
  const escrowState = deployment.escrow_account?.state?.state?.toLowerCase();
  if (escrowState === 'overdrawn') return 'closed: the escrow account is overdrawn';
  // A close reason naming anyone but the owner (us) means the provider or the chain ended it.
  if (lease?.reason && !/owner/i.test(lease.reason)) return `closed: ${lease.reason}`;
  return undefined;
}

type Readiness = { services: number; ready: number; total: number; allReady: boolean };

/** Replicas ready over replicas wanted, summed over services. */
export function serviceReadiness(status: AkashLeaseStatus): Readiness {
  const services = Object.values(status.services ?? {});
  let ready = 0;
  let total = 0;
  let allReady = services.length > 0;
  for (const service of services) {
    const wanted = service.replicas ?? service.total ?? 0;
    const readyReplicas = service.ready_replicas ?? service.available ?? 0;
    const available = service.available ?? readyReplicas;
    const availableOf = service.total ?? wanted;
    ready += Math.min(readyReplicas, wanted);
    total += wanted;
    if (wanted <= 0 || readyReplicas < wanted || available < availableOf) allReady = false;
  }
  return { services: services.length, ready, total, allReady };
}

/** `http://<hostname>` of the first service with an ingress URI, else `tcp://host:port` of a forwarded port. */
function endpointOf(status: AkashLeaseStatus): string | null {
  for (const service of Object.values(status.services ?? {})) {
    const uri = service.uris?.find((value) => value.trim() !== '');
    if (uri) return /^[a-z]+:\/\//i.test(uri) ? uri : `http://${uri}`;
  }
  for (const ports of Object.values(status.forwarded_ports ?? {})) {
    const port = ports?.find((entry) => entry.host && entry.externalPort);
    if (port) return `tcp://${port.host}:${port.externalPort}`;
  }
  return null;
}
