import net from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import type { Connector } from '../../plugin/connection/connector.js';

/** One fake server's place on the network: the names it answers to and its logical port. */
export class Endpoint {
  readonly names: Set<string>;
  realPort: number | null = null;
  blocked = false;

  constructor(
    readonly server: string,
    names: string[],
    public logicalPort: number,
  ) {
    this.names = new Set(names.map(canonicalHost));
  }
}

/**
 * The scenario's network, inside our own connector: the role dials a
 * server's logical name and port (5645 by default), which map onto that fake
 * server's real ephemeral loopback port. Nothing is ever resolved by DNS or
 * sent beyond 127.0.0.1. "Refused" (nothing listens on that logical port) and
 * "blocked" (packets dropped: the connect never completes) are staged here.
 *
 * The first endpoint is the scenario's `server:` and also answers to
 * 127.0.0.1, localhost and ::1; `servers:` add endpoints answering to their
 * own host and names. A name and port pair reaches the first endpoint that has
 * both, so two servers may share port 5645 on different hosts.
 */
export class VirtualNetwork {
  readonly endpoints: Endpoint[] = [];
  /** Connections opened but not yet connected or failed (the runner waits for them to settle). */
  pendingConnects = 0;
  dials = 0;

  constructor(names: string[], logicalPort: number, server = 'main') {
    this.endpoints.push(new Endpoint(server, [...names, '127.0.0.1', 'localhost', '::1'], logicalPort));
  }

  /** Another fake server on the network (`servers:`), answering to its own names only. */
  add(server: string, names: string[], logicalPort: number): Endpoint {
    const e = new Endpoint(server, names, logicalPort);
    this.endpoints.push(e);
    return e;
  }

  /** The main endpoint's settings (the scenario's `server:`). */
  get main(): Endpoint {
    return this.endpoints[0] as Endpoint;
  }
  get names(): Set<string> {
    return this.main.names;
  }
  get logicalPort(): number {
    return this.main.logicalPort;
  }
  set logicalPort(p: number) {
    this.main.logicalPort = p;
  }
  get realPort(): number | null {
    return this.main.realPort;
  }
  set realPort(p: number | null) {
    this.main.realPort = p;
  }
  get blocked(): boolean {
    return this.main.blocked;
  }
  set blocked(b: boolean) {
    this.main.blocked = b;
  }

  /** The endpoint a role dialing host:port reaches; null when no server answers to that name and port. */
  route(host: string, port: number): Endpoint | null {
    const h = canonicalHost(host);
    return this.endpoints.find((e) => e.names.has(h) && e.logicalPort === port) ?? null;
  }

  readonly connector: Connector = (host, port) => {
    this.dials++;
    const h = canonicalHost(host);
    if (!this.endpoints.some((e) => e.names.has(h))) return failing('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
    const e = this.route(host, port);
    if (e?.blocked) return new PassThrough(); // never connects
    if (!e || e.realPort === null) return failing('ECONNREFUSED', `connect ECONNREFUSED ${host}:${port}`);
    this.pendingConnects++;
    const socket = net.connect({ host: '127.0.0.1', port: e.realPort });
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
