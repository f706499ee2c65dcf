import type { Socket } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';

/**
 * The HTTP side of a graceful shutdown. Once the server starts closing, requests in flight finish
 * and are answered with `Connection: close`, so their sockets close with them, and connections
 * that carry no request (opened but never used, idle keep-alive) are closed at once. Node's
 * `server.close()` would otherwise wait for clients to drop keep-alive connections themselves.
 */
const gracefulShutdown: FastifyPluginAsync = async (fastify) => {
  const unused = new Set<Socket>();
  let closing = false;
  const onConnection = (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  };
  const onRequest = (request: { socket: Socket }) => unused.delete(request.socket);
  fastify.server.on('connection', onConnection);
  fastify.server.on('request', onRequest);

  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
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

export const gracefulShutdownPlugin = fastifyPlugin(gracefulShutdown, { name: 'aurora-graceful-shutdown', fastify: '5.x' });
