import net from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import type { Connector } from '../../plugin/connection/connector.js';

/**
 * The scenario's network, inside our own connector: the role dials the
 * server's logical name and port (5645 by default), which map onto the fake
 * server's real ephemeral loopback port. Nothing is ever resolved by DNS or
 * sent beyond 127.0.0.1. "Refused" (nothing listens on that logical port) and
 * "blocked" (packets dropped: the connect never completes) are staged here.
 */
export class VirtualNetwork {
  /** Names the fake server answers to. */
  readonly names: Set<string>;
  logicalPort: number;
  realPort: number | null = null;
  blocked = false;
  /** Connections opened but not yet connected or failed (the runner waits for them to settle). */
  pendingConnects = 0;
  dials = 0;

  constructor(names: string[], logicalPort: number) {
    this.names = new Set([...names, '127.0.0.1', 'localhost', '::1'].map(canonicalHost));
    this.logicalPort = logicalPort;
  }

  readonly connector: Connector = (host, port) => {
    this.dials++;
    if (!this.names.has(canonicalHost(host))) return failing('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
    if (this.blocked && port === this.logicalPort) return new PassThrough(); // never connects
    if (port !== this.logicalPort || this.realPort === null) return failing('ECONNREFUSED', `connect ECONNREFUSED ${host}:${port}`);
    this.pendingConnects++;
    const socket = net.connect({ host: '127.0.0.1', port: this.realPort });
    socket.setNoDelay(true);
    let done = false;
    const settle = (): void => {
      if (!done) {
        done = true;
        this.pendingConnects--;
      }
    };
    socket.once('connect', settle);
    socket.once('error', settle);
    socket.once('close', settle);
    return socket;
  };
}

/**
 * The name DNS would resolve: host names are case-insensitive and a trailing dot (the fully
 * qualified form) names the same host (RFC 1034/4343), so `SIPASS-01.CORP.EXAMPLE`, `LOCALHOST`
 * and `localhost.` reach the same server as their lower-case forms. A bracketed IPv6 literal is
 * the literal.
 */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.') && h.length > 1) h = h.slice(0, -1);
  return h;
}

function failing(code: string, message: string): Duplex {
  const s = new PassThrough();
  setImmediate(() => s.destroy(Object.assign(new Error(message), { code })));
  return s;
}
