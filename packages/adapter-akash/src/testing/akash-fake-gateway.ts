import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AkashFakeFaults } from './akash-fake-faults';
import { sendJson } from './akash-fake-http';
import type { AkashFakeLogLine, AkashFakeMarket } from './akash-fake-market';
import type { AkashFakeToken, AkashFakeTokens } from './akash-fake-tokens';
import { leaseStatusJson } from './akash-fake-views';

/** One log WebSocket the gateway accepted or refused. */
export type AkashFakeLogConnection = {
  dseq: string;
  gseq: number;
  oseq: number;
  follow: boolean;
  tail: number | undefined;
  services: string[] | undefined;
  /** Id of the JWT it came with (see `state.tokens`), when the token was known. */
  tokenId: number | undefined;
  linesSent: number;
  /** How it ended: a close code, `dropped` (no close frame), or the HTTP status of a refused handshake. */
  end?: { code: number; reason: string } | 'dropped' | { refusedWith: number; reason: string };
};

export type AkashFakeGatewayContext = {
  market: AkashFakeMarket;
  faults: AkashFakeFaults;
  tokens: AkashFakeTokens;
  connections: AkashFakeLogConnection[];
  now: () => number;
  providerAddress: string;
};

const leasePath = /^\/lease\/(\d+)\/(\d+)\/(\d+)\/(logs|status)$/;

/**
 * The provider gateway (port 8443 on a real provider, plain HTTP on loopback here): GET /status,
 * /version, /address, GET /lease/{dseq}/{gseq}/{oseq}/status and the WebSocket
 * /lease/{dseq}/{gseq}/{oseq}/logs with `Authorization: Bearer <jwt>` and close codes 4000/4001.
 */
export function createAkashFakeGateway(context: AkashFakeGatewayContext): { server: Server; close(): void } {
  const webSockets = new WebSocketServer({ noServer: true });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    if (request.method === 'GET' && url.pathname === '/status') return sendJson(response, 200, { cluster: { leases: { active: activeLeases(context) } }, bidengine: { orders: 0 }, manifest: { deployments: activeLeases(context) }, cluster_public_hostname: 'fake-provider.local' });
    if (request.method === 'GET' && url.pathname === '/version') return sendJson(response, 200, { akash: { version: 'v0.0.0-fake', commit: 'fake' }, kube: { major: '1', minor: '30' } });
    if (request.method === 'GET' && url.pathname === '/address') return sendJson(response, 200, { address: context.providerAddress });
    const match = url.pathname.match(leasePath);
    if (request.method === 'GET' && match?.[4] === 'status') {
      const deployment = context.market.deployments.get(match[1]!);
      const check = context.tokens.check(request.headers.authorization, 'status', deployment?.lease?.provider, context.now());
      if (!check.ok) return sendJson(response, 401, { error: check.message });
      if (!deployment?.lease || deployment.lease.state === 'closed') return sendJson(response, 404, { error: 'lease not found' });
      return sendJson(response, 200, leaseStatusJson(deployment, context.market.leaseStage(deployment)) ?? {});
    }
    sendJson(response, 404, { error: 'not found' });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const match = url.pathname.match(leasePath);
    if (!match || match[4] !== 'logs') return refuse(socket, 404, 'not found');
    const [dseq, gseq, oseq] = [match[1]!, Number(match[2]), Number(match[3])];
    const connection: AkashFakeLogConnection = {
      dseq, gseq, oseq,
      follow: url.searchParams.get('follow') === 'true',
      tail: url.searchParams.has('tail') ? Number(url.searchParams.get('tail')) : undefined,
      services: url.searchParams.get('service')?.split(',').filter(Boolean),
      tokenId: undefined,
      linesSent: 0,
    };
    context.connections.push(connection);
    const lease = context.market.deployments.get(dseq)?.lease;
    const check = context.tokens.check(request.headers.authorization, 'logs', lease?.provider, context.now());
    if (!check.ok) {
      connection.tokenId = context.tokens.issued.find((token) => request.headers.authorization?.endsWith(token.token))?.id;
      connection.end = { refusedWith: 401, reason: check.message };
      return refuse(socket, 401, check.message);
    }
    connection.tokenId = check.token.id;
    webSockets.handleUpgrade(request, socket, head, (webSocket) => streamLogs(context, webSocket, connection, check.token));
  });

  return {
    server,
    close: () => {
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
    },
  };
}

function streamLogs(context: AkashFakeGatewayContext, webSocket: WebSocket, connection: AkashFakeLogConnection, token: AkashFakeToken): void {
  // Stop following as soon as the gateway ends the stream, so no line is generated for a closing socket.
  let unsubscribe = () => {};
  const close = (code: number, reason: string) => {
    if (connection.end) return;
    connection.end = { code, reason };
    unsubscribe();
    webSocket.close(code, reason);
  };
  const drop = () => {
    connection.end = 'dropped';
    unsubscribe();
    webSocket.terminate();
  };
  const deployment = context.market.deployments.get(connection.dseq);
  const lease = deployment?.lease;
  if (!deployment || !lease || deployment.state !== 'active' || lease.state === 'closed' || lease.gseq !== connection.gseq || lease.oseq !== connection.oseq) {
    return close(4001, 'lease not found');
  }
  if (context.market.leaseStage(deployment) !== 'ready') return close(4000, 'no running pods');

  const dropFault = context.faults.take('drop-websocket');
  const dropAfter = dropFault ? Math.max(0, dropFault.afterLines ?? 1) : undefined;
  const wanted = (line: AkashFakeLogLine) => !connection.services || connection.services.includes(line.service);
  const send = (line: AkashFakeLogLine) => {
    if (connection.end || webSocket.readyState !== webSocket.OPEN) return;
    if (token.revoked || context.now() >= token.expiresAt) {
      token.revoked = true;
      return close(1008, 'token expired');
    }
    webSocket.send(JSON.stringify({ name: line.name, message: line.message }));
    connection.linesSent += 1;
    if (token.expireAfterLines !== undefined && connection.linesSent >= token.expireAfterLines) {
      token.revoked = true;
      return close(1008, 'token expired');
    }
    if (dropAfter !== undefined && connection.linesSent >= dropAfter) drop();
  };

  if (dropAfter === 0) return drop();
  const existing = lease.logs.filter(wanted);
  const tail = connection.tail === undefined ? existing : connection.tail <= 0 ? [] : existing.slice(-connection.tail);
  for (const line of tail) send(line);
  if (!connection.follow) return close(1000, 'done');
  if (connection.end) return;
  unsubscribe = context.market.subscribeLogs(connection.dseq, (line) => (line ? wanted(line) && send(line) : close(1000, 'lease closed')));
  webSocket.on('close', () => unsubscribe());
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = status === 401 ? 'Unauthorized' : 'Not Found';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(message)}\r\nconnection: close\r\n\r\n${message}`);
}

function activeLeases(context: AkashFakeGatewayContext): number {
  return [...context.market.deployments.values()].filter((deployment) => deployment.lease?.state === 'active').length;
}
