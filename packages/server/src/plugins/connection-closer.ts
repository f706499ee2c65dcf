import type { Socket } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

/**
 * At shutdown, closes connections that carry no request (sockets a client opened but never used,
 * idle keep-alive sockets) and answers requests still in flight with `Connection: close`, so
 * their sockets close once the response is out. Node's `server.close()` would otherwise wait for
 * clients to drop keep-alive connections on their own.
 */
const connectionCloser: FastifyPluginAsync = async (fastify) => {
  const unused = new Set<Socket>();
  const onConnection = (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  };
  const onRequest = (request: { socket: Socket }) => unused.delete(request.socket);
  fastify.server.on('connection', onConnection);
  fastify.server.on('request', onRequest);

  let closing = false;
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  fastify.addHook('preClose', async () => {
    closing = true;
    for (const socket of unused) socket.destroy();
    unused.clear();
    fastify.server.closeIdleConnections();
  });
  fastify.addHook('onClose', async () => {
    fastify.server.off('connection', onConnection);
    fastify.server.off('request', onRequest);
  });
};

export const connectionCloserPlugin = fastifyPlugin(connectionCloser, { name: 'aurora-connection-closer', fastify: '5.x' });
