// Closing the server waits for every open connection. Node closes keep-alive connections that sit between
// requests, but not ones that never carried a request at all (HTTP clients open spare connections, e.g. after
// an aborted request), so a shutdown could wait out their keep-alive time. Those are dropped at close.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export function closeUnusedConnectionsOnShutdown(app: FastifyInstance): void {
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => {
    unused.delete(request.socket);
  });
  app.addHook('preClose', (done) => {
    for (const socket of unused) socket.destroy();
    unused.clear();
    done();
  });
}
