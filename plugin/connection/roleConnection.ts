import type { Duplex } from 'node:stream';
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { ErrorInfo } from '../../core/testbenchError.js';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { Hello, Message, Welcome } from '../../protocol/messages.js';
import { ProtocolError } from '../../protocol/protocolError.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import type { Connector } from './connector.js';

export interface ConnectionTimings {
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** No frame at all for this long: the connection is dead (half-open silence). */
  heartbeatTimeoutMs: number;
}

export const DEFAULT_TIMINGS: ConnectionTimings = {
  connectTimeoutMs: 5_000,
  handshakeTimeoutMs: 5_000,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 30_000,
};

export type ConnectionPhase = 'connect' | 'handshake' | 'open';

export interface ConnectionHandlers {
  /** R15: checks the welcome before the connection opens; a problem ends the handshake with it. */
  admit?(w: Welcome): { code: string; message: string } | null;
  welcome(w: Welcome): void;
  message(m: Message): void;
  /** After each chunk's messages: the role coalesces its acks here. */
  chunkDone(): void;
  closed(error: ErrorInfo, phase: ConnectionPhase): void;
}

export function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The role's side of one TCP connection: connect, hello/welcome, heartbeats,
 * framing. Every way it can end becomes one ErrorInfo naming the cause
 * (refused, timed out, reset, another protocol, a version mismatch).
 */
export class RoleConnection {
  private socket: Duplex | undefined;
  private phase: ConnectionPhase = 'connect';
  private readonly decoder: FrameDecoder;
  private timer: TimerHandle | undefined;
  /** Which deadline is armed: a verdict deferred past pending I/O is dropped if the deadline was cleared meanwhile. */
  private deadline = 0;
  private heartbeat: TimerHandle | undefined;
  private lastHeard = 0;
  private pingN = 0;
  private ended = false;
  framesIn = 0;
  bytesIn = 0;
  framesOut = 0;
  bytesOut = 0;
  readonly where: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly hello: Hello,
    private readonly clock: Clock,
    private readonly connector: Connector,
    private readonly timings: ConnectionTimings,
    private readonly handlers: ConnectionHandlers,
    maxFrame?: number,
  ) {
    this.where = endpoint(host, port);
    this.decoder = new FrameDecoder(maxFrame !== undefined ? { maxFrame } : {});
  }

  get currentPhase(): ConnectionPhase {
    return this.phase;
  }

  start(): void {
    let socket: Duplex;
    try {
      socket = this.connector(this.host, this.port);
    } catch (e) {
      this.finish('ROLE_CONNECT_FAILED', `cannot connect to ${this.where}: ${(e as Error).message}`);
      return;
    }
    this.socket = socket;
    this.arm(this.timings.connectTimeoutMs, () =>
      this.finish('ROLE_CONNECT_TIMEOUT', `connection to ${this.where} timed out after ${this.timings.connectTimeoutMs / 1000}s: the port may be blocked`),
    );
    socket.once('connect', () => this.onConnect());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => this.onSocketError(e));
    socket.on('end', () => {
      const truncated = this.decoder.end();
      if (truncated) this.finish(truncated.code, `${this.where} ${truncated.message}`);
      else this.finish('ROLE_CONNECTION_CLOSED', `the SiPass server at ${this.where} closed the connection`);
    });
    socket.on('close', () => this.finish('ROLE_CONNECTION_CLOSED', `the connection to ${this.where} closed`));
  }

  private onConnect(): void {
    if (this.ended) return;
    this.phase = 'handshake';
    this.clearTimer();
    this.arm(this.timings.handshakeTimeoutMs, () =>
      this.finish(
        'ROLE_CONNECT_TIMEOUT',
        `no answer from ${this.where} within ${this.timings.handshakeTimeoutMs / 1000}s of connecting: the port may be blocked (packets dropped)`,
      ),
    );
    this.send(this.hello);
  }

  /**
   * Arms the connect or handshake deadline. When it expires, the verdict waits until the I/O
   * that already arrived has been read (Clock.afterPendingIo): a connect or a welcome that came
   * in before the deadline counts even if the loop had not read it yet (docs/reliability.md,
   * "Many roles at once"). The deadline itself is unchanged: 5 s, and a port that answers
   * nothing still times out, one loop turn later.
   */
  private arm(ms: number, expired: () => void): void {
    const deadline = ++this.deadline;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      const verdict = (): void => {
        if (deadline === this.deadline && !this.ended) expired();
      };
      if (this.clock.afterPendingIo) this.clock.afterPendingIo(verdict);
      else verdict();
    }, ms);
  }

  private onSocketError(e: NodeJS.ErrnoException): void {
    switch (e.code) {
      case 'ECONNREFUSED':
        return this.finish('ROLE_CONNECT_REFUSED', `connection refused on ${this.where}: nothing listens there (is the SiPass server running on port ${this.port}?)`);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return this.finish('ROLE_HOST_NOT_FOUND', `host "${this.host}" not found`);
      case 'ETIMEDOUT':
        return this.finish('ROLE_CONNECT_TIMEOUT', `connection to ${this.where} timed out: the port may be blocked`);
      case 'ECONNRESET':
      case 'EPIPE':
        return this.finish('ROLE_CONNECTION_RESET', `the connection to ${this.where} was reset`);
      default:
        return this.finish('ROLE_CONNECT_FAILED', `connection to ${this.where} failed: ${e.message}`);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.lastHeard = this.clock.now();
    this.bytesIn += chunk.length;
    let messages: Message[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      const pe = e instanceof ProtocolError ? e : new ProtocolError('PROTO_BAD_MESSAGE', String(e), 0);
      this.finish(pe.code, pe.code === 'PROTO_FOREIGN_PROTOCOL' ? `the peer at ${this.where}: ${pe.message}` : `${this.where} sent a malformed frame: ${pe.message}`);
      return;
    }
    for (const m of messages) {
      if (this.ended) return;
      this.framesIn++;
      this.onMessage(m);
    }
    if (!this.ended && this.phase === 'open') this.handlers.chunkDone();
  }

  private onMessage(m: Message): void {
    if (m.t === 'error') {
      if (m.fatal) {
        this.finish(m.code, `the SiPass server at ${this.where} refused the connection: ${m.message}`);
        return;
      }
      this.handlers.message(m);
      return;
    }
    if (this.phase === 'handshake') {
      if (m.t !== 'welcome') {
        this.finish('PROTO_UNEXPECTED', `${this.where} answered hello with "${m.t}" instead of "welcome"`);
        return;
      }
      if (m.v !== PROTOCOL_VERSION) {
        this.send({ t: 'error', code: 'PROTO_VERSION_MISMATCH', message: `role speaks protocol version ${PROTOCOL_VERSION}`, fatal: true });
        this.finish('PROTO_VERSION_MISMATCH', `protocol version mismatch: ${this.where} speaks version ${m.v}, this role speaks version ${PROTOCOL_VERSION}`);
        return;
      }
      const refused = this.handlers.admit?.(m);
      if (refused) {
        this.send({ t: 'error', code: refused.code, message: refused.message, fatal: true });
        this.finish(refused.code, refused.message);
        return;
      }
      this.phase = 'open';
      this.clearTimer();
      this.lastHeard = this.clock.now();
      this.scheduleHeartbeat();
      this.handlers.welcome(m);
      return;
    }
    if (m.t === 'pong') return;
    if (m.t === 'ping') {
      this.send({ t: 'pong', n: m.n });
      return;
    }
    this.handlers.message(m);
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.clock.setTimeout(() => {
      if (this.ended) return;
      const silent = this.clock.now() - this.lastHeard;
      if (silent >= this.timings.heartbeatTimeoutMs) {
        this.finish('ROLE_HEARTBEAT_TIMEOUT', `no heartbeat from ${this.where} for ${Math.round(silent / 1000)}s: connection considered lost`);
        return;
      }
      this.send({ t: 'ping', n: ++this.pingN });
      this.scheduleHeartbeat();
    }, this.timings.heartbeatIntervalMs);
  }

  send(m: Message): boolean {
    if (this.ended || !this.socket) return false;
    this.framesOut++;
    const frame = encodeMessage(m);
    this.bytesOut += frame.length;
    return this.socket.write(frame);
  }

  private clearTimer(): void {
    this.deadline++;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Ends the connection once; the first cause wins and is reported. */
  private finish(code: string, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    if (this.heartbeat !== undefined) this.clock.clearTimeout(this.heartbeat);
    this.socket?.destroy();
    this.handlers.closed({ code, message, at: this.clock.now() }, this.phase);
  }

  /** Closes on the role's own initiative: no event is reported. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimer();
    if (this.heartbeat !== undefined) this.clock.clearTimeout(this.heartbeat);
    this.socket?.destroy();
  }
}
