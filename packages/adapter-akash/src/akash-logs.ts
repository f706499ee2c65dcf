import { AdapterCallError, isRetryableStatus, type GetLogsOptionsV1, type LogLine } from '@aurora/router';
import { abortableSleep } from './abortable-sleep';
import type { AkashLease } from './akash-api';
import type { AkashCatalog } from './akash-catalog';
import type { AkashClient } from './akash-client';
import type { ResolvedAkashSettings } from './akash-settings';
import { openLogSocket, type LogSocketOutcome } from './log-socket';
import { jwtExpiresAt } from './provider-jwt';

export type AkashLogsContext = { client: AkashClient; catalog: AkashCatalog; settings: ResolvedAkashSettings };

const operation = 'get_logs';

/** Close codes of the provider gateway (akash-network/provider gateway/rest). */
const closeCodes = { normal: 1000, policyViolation: 1008, internal: 4000, leaseNotFound: 4001, serviceUnavailable: 4002 } as const;

/**
 * Log lines of a deployment through its provider's gateway: find the lease (GET /v1/deployments),
 * the provider host (GET /v1/providers/{address}), mint a JWT with scope `logs`
 * (POST /v1/create-jwt-token), then read `wss://<host>/lease/{dseq}/{gseq}/{oseq}/logs`.
 *
 * Following, the stream reconnects when the socket drops, with a fresh JWT when the old one is
 * (nearly) expired or refused; reconnects ask for `tail=0`, so no line is repeated (lines written
 * while disconnected can be missed). Frames carry no time: lines are stamped on arrival, and
 * `since` compares against that stamp. A closed deployment yields nothing: its pods are gone.
 */
export async function* streamAkashLogs(context: AkashLogsContext, dseq: string, options: GetLogsOptionsV1 = {}): AsyncGenerator<LogLine> {
  const { client, settings } = context;
  const { signal } = options;
  const follow = options.follow === true;
  const deployment = await client.getDeployment(dseq, { operation, signal });
  // A closed deployment's pods are gone, and so are its logs.
  if (deployment.deployment.state.toLowerCase() === 'closed') return;
  const lease = logLease(deployment.leases);
  if (!lease) {
    throw new AdapterCallError({ message: `akash: deployment ${dseq} has no lease yet, so no logs`, adapterId: settings.name, operation, isRetryable: true, reason: 'no_lease' });
  }
  const provider = await context.catalog.provider(lease.id.provider, { operation, signal });
  const token = new ProviderToken(context, lease.id.provider, signal);
  let firstConnection = true;
  let linesYielded = 0;
  let reconnectsWithoutLines = 0;
  let authFailures = 0;

  for (;;) {
    const url = logsUrl(provider.provider.hostUri, lease, { follow, tail: firstConnection ? options.tail : 0 });
    const session = openLogSocket(url, { token: await token.get(), tls: settings.providerTls, handshakeTimeoutMs: settings.timeoutMs, signal });
    let outcome: LogSocketOutcome;
    let framesReceived = 0;
    try {
      for await (const frame of session.frames) {
        framesReceived += 1;
        const line = toLogLine(frame, settings.now());
        reconnectsWithoutLines = 0;
        authFailures = 0;
        if (options.since !== undefined && line.timestamp < options.since) continue;
        linesYielded += 1;
        yield line;
      }
      outcome = await session.outcome;
    } finally {
      session.close();
    }
    // Until a frame arrives nothing was shown, so a retry may still ask for the caller's tail.
    if (framesReceived > 0) firstConnection = false;
    if (outcome.kind === 'aborted' || signal?.aborted) return;

    if (outcome.kind === 'rejected') {
      if ((outcome.status === 401 || outcome.status === 403) && authFailures === 0) {
        authFailures += 1;
        token.invalidate();
        continue;
      }
      throw new AdapterCallError({
        message: `akash: provider gateway refused the log stream of deployment ${dseq}: HTTP ${outcome.status}`,
        adapterId: settings.name, operation, url, statusCode: outcome.status, responseBody: outcome.body,
        isRetryable: isRetryableStatus(outcome.status), reason: outcome.status === 401 || outcome.status === 403 ? 'unauthorized' : `http_${outcome.status}`,
      });
    }
    if (outcome.kind === 'closed' && outcome.code === closeCodes.leaseNotFound) {
      if (linesYielded > 0) return;
      throw new AdapterCallError({ message: `akash: the provider has no lease ${dseq}/${lease.id.gseq}/${lease.id.oseq}`, adapterId: settings.name, operation, url, isRetryable: false, reason: 'lease_not_found' });
    }
    if (!follow) {
      if (outcome.kind === 'closed' && outcome.code === closeCodes.normal) return;
      if (outcome.kind === 'closed' && (outcome.code === closeCodes.internal || outcome.code === closeCodes.serviceUnavailable)) {
        throw new AdapterCallError({ message: `akash: the provider has no logs for deployment ${dseq} yet (${describeOutcome(outcome)})`, adapterId: settings.name, operation, url, isRetryable: true, reason: 'logs_unavailable' });
      }
      throw new AdapterCallError({ message: `akash: the log stream of deployment ${dseq} ended early (${describeOutcome(outcome)})`, adapterId: settings.name, operation, url, isRetryable: true, reason: 'logs_interrupted' });
    }
    if (outcome.kind === 'closed' && outcome.code === closeCodes.normal && !(await leaseStillActive(context, dseq, signal))) return;

    reconnectsWithoutLines += 1;
    if (reconnectsWithoutLines > settings.maxLogReconnects) {
      throw new AdapterCallError({ message: `akash: the log stream of deployment ${dseq} kept dropping (${describeOutcome(outcome)})`, adapterId: settings.name, operation, url, isRetryable: true, reason: 'logs_disconnected' });
    }
    if (outcome.kind === 'closed' && outcome.code === closeCodes.policyViolation) token.invalidate();
    const backoffMs = Math.min(30_000, Math.min(1_000, settings.pollIntervalMs) * 2 ** (reconnectsWithoutLines - 1));
    try {
      await abortableSleep(backoffMs, signal);
    } catch {
      return;
    }
  }
}

/** The lease whose logs to read: the active one, else the latest. */
function logLease(leases: readonly AkashLease[]): AkashLease | undefined {
  return leases.find((lease) => lease.state.toLowerCase() === 'active') ?? leases.at(-1);
}

export function logsUrl(hostUri: string, lease: AkashLease, query: { follow: boolean; tail?: number }): string {
  const url = new URL(`/lease/${lease.id.dseq}/${lease.id.gseq}/${lease.id.oseq}/logs`, hostUri);
  url.protocol = url.protocol === 'http:' ? 'ws:' : url.protocol === 'https:' ? 'wss:' : url.protocol;
  url.searchParams.set('follow', String(query.follow));
  if (query.tail !== undefined) url.searchParams.set('tail', String(Math.max(0, Math.floor(query.tail))));
  return url.toString();
}

/** A `{"name","message"}` frame as a log line stamped `now`; other text is taken as the message. */
export function toLogLine(frame: string, now: number): LogLine {
  const timestamp = new Date(now).toISOString();
  try {
    const parsed: unknown = JSON.parse(frame);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      const { name, message } = parsed as { name?: unknown; message: string };
      return { timestamp, stream: 'stdout', message: message.replace(/\r?\n$/, ''), ...(typeof name === 'string' ? { source: name } : {}) };
    }
  } catch {
    // not JSON: keep the text
  }
  return { timestamp, stream: 'stdout', message: frame.replace(/\r?\n$/, '') };
}

async function leaseStillActive(context: AkashLogsContext, dseq: string, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    const deployment = await context.client.getDeployment(dseq, { operation, signal });
    return deployment.deployment.state.toLowerCase() === 'active' && deployment.leases.some((lease) => lease.state.toLowerCase() === 'active');
  } catch {
    return true;
  }
}

function describeOutcome(outcome: LogSocketOutcome): string {
  switch (outcome.kind) {
    case 'closed':
      return `close code ${outcome.code}${outcome.reason ? ` "${outcome.reason}"` : ''}`;
    case 'error':
      return outcome.error.message;
    case 'rejected':
      return `HTTP ${outcome.status}`;
    case 'aborted':
      return 'aborted';
  }
}

/** The provider JWT for one stream, minted lazily and again when it nears expiry or is refused. */
class ProviderToken {
  private token: string | undefined;
  private expiresAt = 0;

  constructor(private readonly context: AkashLogsContext, private readonly provider: string, private readonly signal: AbortSignal | undefined) {}

  async get(): Promise<string> {
    const { settings, client } = this.context;
    const ttlMs = settings.jwtTtlSeconds * 1000;
    const marginMs = Math.min(30_000, ttlMs / 10);
    if (this.token && settings.now() < this.expiresAt - marginMs) return this.token;
    const mintedAt = settings.now();
    const token = await client.createJwtToken(this.provider, ['logs'], settings.jwtTtlSeconds, { operation, signal: this.signal });
    this.token = token;
    this.expiresAt = jwtExpiresAt(token) ?? mintedAt + ttlMs;
    return token;
  }

  invalidate(): void {
    this.token = undefined;
  }
}
