import type net from 'node:net';
import type { Clock, TimerHandle } from '../../core/clock.js';

export type GateEvent =
  | { kind: 'refused'; remote: string; count: number; reason: string }
  | { kind: 'acceptError'; code: string; message: string };

/** One log line per this window at most, however many connections are refused. */
const REFUSED_WINDOW_MS = 1_000;

/**
 * Caps the connections a listener takes and reports every refusal, so a server at its limit is
 * never silent (issue 11). Node's `maxConnections` drops the excess with a 'drop' event; an
 * accept error (EMFILE, ENFILE) is an 'error' on the server in some Node versions, but Node 20
 * swallows EMFILE (libuv accepts and closes the connection), which is why `maxConnections`
 * defaults below the open-file limit (serverLimits.ts). A flood yields one line per second with
 * the count, never one line per connection.
 */
export class ConnectionGate {
  private windowTimer: TimerHandle | undefined;
  private suppressed = 0;
  private lastRemote = '';
  refused = 0;
  acceptErrors = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxConnections: number,
    private readonly report: (e: GateEvent) => void,
    /** Every refusal and accept error, counted at once (the log lines are throttled). */
    private readonly count: (what: 'maxConnections' | 'acceptError') => void = () => undefined,
  ) {}

  watch(server: net.Server): void {
    if (this.maxConnections > 0) server.maxConnections = this.maxConnections;
    server.on('drop', (d?: { remoteAddress?: string; remotePort?: number }) => this.onDrop(d ? `${d.remoteAddress ?? '?'}:${d.remotePort ?? '?'}` : '?'));
  }

  /** A listener 'error' after listening: an accept failure (EMFILE, ENFILE, ...). */
  acceptError(e: NodeJS.ErrnoException): void {
    this.acceptErrors++;
    this.count('acceptError');
    this.report({ kind: 'acceptError', code: e.code ?? 'UNKNOWN', message: `cannot accept a connection: ${e.message}` });
  }

  private reason(): string {
    return `${this.maxConnections} connections open, the limit (--max-connections)`;
  }

  private onDrop(remote: string): void {
    this.refused++;
    this.count('maxConnections');
    this.lastRemote = remote;
    if (this.windowTimer !== undefined) {
      this.suppressed++;
      return;
    }
    this.report({ kind: 'refused', remote, count: 1, reason: this.reason() });
    this.windowTimer = this.clock.setTimeout(() => this.closeWindow(), REFUSED_WINDOW_MS);
  }

  private closeWindow(): void {
    this.windowTimer = undefined;
    if (this.suppressed === 0) return;
    const count = this.suppressed;
    this.suppressed = 0;
    this.report({ kind: 'refused', remote: this.lastRemote, count, reason: this.reason() });
    this.windowTimer = this.clock.setTimeout(() => this.closeWindow(), REFUSED_WINDOW_MS);
  }

  stop(): void {
    if (this.windowTimer !== undefined) this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }
}

/** The log line of a refusal (or of a second's worth of them). */
export function refusedLine(e: Extract<GateEvent, { kind: 'refused' }>): string {
  return e.count === 1
    ? `LIMIT_CONNECTIONS: connection from ${e.remote} refused: ${e.reason}`
    : `LIMIT_CONNECTIONS: ${e.count} more connections refused in the last second (last from ${e.remote}): ${e.reason}`;
}
