import net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * How the role opens its TCP connection. Injected so the scenario runner can
 * map a scenario's host names onto the fake server without any DNS lookup,
 * and faults can act inside our own code. The returned stream emits
 * 'connect' once connected, then behaves as a socket.
 */
export type Connector = (host: string, port: number) => Duplex;

export const tcpConnector: Connector = (host, port) => {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  return socket;
};
