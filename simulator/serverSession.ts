import type { Duplex } from 'node:stream';
import type { Clock } from '../core/clock.js';
import { encodeMessage, encodePacked } from '../protocol/encodeMessage.js';
import { PACKED } from '../protocol/packedBatch.js';
import { FrameDecoder } from '../protocol/frameDecoder.js';
import type { LiveMessage, Message, SyncRequest } from '../protocol/messages.js';
import { ProtocolError } from '../protocol/protocolError.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../protocol/sipassTypes.js';
import { SiteDigest } from '../protocol/siteDigest.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import type { AlarmBoard } from './alarmBoard.js';
import type { Fault } from './faults/fault.js';
import { FaultPipeline, type CloseHow } from './faults/faultPipeline.js';
import { LIMIT_CODES, type LimitName, type ServerLimits } from './limits/serverLimits.js';
import { SessionWatchdog } from './limits/sessionWatchdog.js';
import type { LiveLog } from './liveLog.js';
import type { Site } from './site.js';

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly site: Site;
  readonly alarms: AlarmBoard;
  readonly log: LiveLog;
  readonly epoch: string;
  readonly name: string;
  readonly clock: Clock;
  readonly batchSize: number;
  readonly maxFrame: number;
  /** Entities per second of (simulated) time the server streams at; 0 = as fast as the socket takes. */
  readonly syncRate: number;
  currentSeq(): number;
  scAcknowledge(occurrenceId: string, user: string, requestId: string): { ok: boolean; reason?: string };
  /** R15: what the welcome announces: SDK version and diagnostic ports. */
  proxyInfo(): { sdk: string; diagnosticPort: number; diagnosticWebPort: number };
  /** R13: a manual-override command from Security Center. */
  executeCommand(m: import('../protocol/messages.js').CommandRequest): { ok: boolean; reason?: string };
  sessionClosed(session: ServerSession, reason: string): void;
  /** Per-session statistics are summed by the host (frames per second in the dashboard). */
  countOut(frames: number, bytes: number): void;
  countIn(bytes: number): void;
  /** Handshake and idle timeouts, input and output caps (simulator/limits/serverLimits.ts). */
  readonly limits: ServerLimits;
  /** A limit acted on this session (counted, logged). */
  limitHit(limit: LimitName, session: number, message: string): void;
  /** Between two batches of a sync: waits while the syncs' share of this event-loop iteration is used up (simulator/loopShare.ts). */
  pace(): Promise<void>;
  /** Every message through this session, both ways, for observers (the diagnostic page); optional. */
  wire?(session: number, direction: 'in' | 'out', msg: Message): void;
}

/**
 * A full sync as the server streams it: per type, how many entities it has
 * handed to the connection (the role acknowledges live messages, not batches,
 * so this is what the server knows of the role's progress).
 */
export interface SyncStreamProgress {
  id: number;
  mode: SyncRequest['mode'];
  startedAt: number;
  /** Set once syncEnd went out; absent while streaming or when the sync was cut short. */
  endedAt?: number;
  totals: Partial<Record<SiPassType, number>>;
  sent: Partial<Record<SiPassType, number>>;
  /** When each type's first and last batch went out (server clock). */
  typeStartedAt: Partial<Record<SiPassType, number>>;
  typeEndedAt: Partial<Record<SiPassType, number>>;
}

export interface SessionInfo {
  id: number;
  roleName: string;
  roleId: string;
  remote: string;
  state: 'hello' | 'open' | 'closed';
  syncing: boolean;
  ackedSeq: number;
  framesOut: number;
  bytesOut: number;
  /** Faults acting on this connection (names). */
  faults: string[];
  /** The first full sync and its replay went out: the role is live. */
  synced?: boolean;
  /** Bytes received and not yet a whole frame (at most the input cap). */
  bufferedIn?: number;
  /** Bytes queued toward the peer (socket buffer plus fault queue). */
  queuedOut?: number;
  /** The latest (or current) full sync this connection streamed. */
  sync?: SyncStreamProgress;
  /** The last error on this connection: one the server sent, or one the role reported. */
  lastError?: string;
}

/**
 * One role's connection to the fake SiPass proxy: handshake, full syncs
 * streamed with backpressure, the live stream, acks. It takes any duplex
 * stream, so tests can run it in memory; only SiPassServer opens sockets.
 */
export class ServerSession {
  readonly id: number;
  private readonly decoder: FrameDecoder;
  private state: 'hello' | 'open' | 'closed' = 'hello';
  /** The role's hello asked for packed batches (protocol/packedBatch.ts). */
  private packBatches = false;
  private syncing = false;
  private syncedOnce = false;
  private queue: LiveMessage[] = [];
  private replayFrom: number | undefined;
  private roleName = '';
  private roleId = '';
  private ackedSeq = 0;
  private framesOut = 0;
  private bytesOut = 0;
  private drainWaiters: Array<() => void> = [];
  private progress: SyncStreamProgress | undefined;
  private lastError: string | undefined;
  /** Every outgoing frame goes through the faults acting on this connection. */
  private readonly pipeline: FaultPipeline;
  /** A blocked port drops packets: the session reads nothing and sends nothing. */
  blackholed = false;
  private readonly watchdog: SessionWatchdog;
  /** Reading paused until the peer reads our answers (backpressure on pongs, errors, results). */
  private inputPaused = false;
  readonly remote: string;

  constructor(
    private readonly stream: Duplex,
    private readonly host: SessionHost,
    id: number,
    remote = 'memory',
  ) {
    this.id = id;
    this.remote = remote;
    const inputCap = host.limits.maxInputBytes;
    // The input cap is the largest frame a peer may send, so a partial frame never holds more.
    this.decoder = new FrameDecoder({ maxFrame: inputCap > 0 ? Math.min(inputCap, host.maxFrame) : host.maxFrame });
    this.watchdog = new SessionWatchdog({
      clock: host.clock,
      handshakeTimeoutMs: host.limits.handshakeTimeoutMs,
      idleTimeoutMs: host.limits.idleTimeoutMs,
      expired: (which, ms) => this.timedOut(which, ms),
    });
    this.pipeline = new FaultPipeline({
      stream,
      clock: host.clock,
      session: id,
      close: (reason, how) => this.close(reason, how),
      drained: () => this.wakeWriters(),
    });
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('drain', () => this.wakeWriters());
    stream.on('error', () => this.close('socket error', 'now'));
    stream.on('close', () => this.close('peer closed', 'now'));
    stream.on('end', () => {
      const truncated = this.decoder.end();
      this.close(truncated ? truncated.message : 'peer ended');
    });
  }

  info(): SessionInfo {
    return {
      id: this.id,
      roleName: this.roleName,
      roleId: this.roleId,
      remote: this.remote,
      state: this.state,
      syncing: this.syncing,
      ackedSeq: this.ackedSeq,
      framesOut: this.framesOut,
      bytesOut: this.bytesOut,
      faults: this.pipeline.names(),
      synced: this.syncedOnce && !this.syncing,
      bufferedIn: this.decoder.buffered,
      queuedOut: this.queuedOut(),
      ...(this.progress ? { sync: copyProgress(this.progress) } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** A fault starts acting on this connection (it may spare it: toxicity, times). */
  attachFault(fault: Fault): void {
    if (this.state !== 'closed') this.pipeline.attach(fault);
  }

  detachFault(fault: Fault): void {
    this.pipeline.detach(fault);
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  private onData(chunk: Buffer): void {
    this.host.countIn(chunk.length);
    if (this.state === 'closed' || this.blackholed) return;
    let messages: Message[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      // Garbage on the wire is a protocol error for this connection only.
      const err = e instanceof ProtocolError ? e : new ProtocolError('PROTO_BAD_MESSAGE', String(e), 0);
      if (err.code === 'PROTO_FRAME_TOO_LARGE' && this.decoder.maxFrame < this.host.maxFrame) {
        // Still PROTO_FRAME_TOO_LARGE on the wire (what it is); the log names the limit.
        const message = `${err.message} (the input cap, --max-input)`;
        this.host.limitHit('inputCap', this.id, message);
        this.fail(err.code, message);
        return;
      }
      this.fail(err.code, err.message);
      return;
    }
    for (const m of messages) {
      if (!this.isOpen) return;
      this.watchdog.progress();
      this.handle(m);
    }
  }

  /** Bytes queued toward the peer and not yet taken by the kernel. */
  private queuedOut(): number {
    return this.stream.writableLength + this.pipeline.queuedBytes;
  }

  private timedOut(which: 'handshakeTimeout' | 'idleTimeout', ms: number): void {
    // A blocked port drops packets: a real server would never have seen this peer.
    if (this.state === 'closed' || this.blackholed) return;
    const s = ms / 1000;
    if (which === 'handshakeTimeout') {
      this.limit(which, `no hello within ${s}s of connecting (the handshake timeout, --handshake-timeout)`, 'graceful');
      return;
    }
    const queued = this.queuedOut();
    if (queued > 0) {
      this.limit(which, `the peer read none of the ${queued} bytes queued for it in ${s}s (the idle timeout, --idle-timeout)`, 'now');
    } else {
      this.limit(which, `nothing from the peer for ${s}s (the idle timeout, --idle-timeout; a role pings every 10s)`, 'graceful');
    }
  }

  /** A limit ends this connection: logged by the host, an error frame when it can still be read. */
  private limit(which: LimitName, message: string, how: 'graceful' | 'now'): void {
    if (this.state === 'closed') return;
    const code = LIMIT_CODES[which];
    this.host.limitHit(which, this.id, message);
    if (how === 'graceful') this.fail(code, message);
    else this.close(`${code}: ${message}`, 'now');
  }

  /** An answer to the peer: when it does not read, stop reading it too (backpressure). */
  private reply(msg: Message): void {
    if (!this.send(msg) && this.state !== 'closed' && !this.inputPaused) {
      this.inputPaused = true;
      this.stream.pause();
    }
  }

  private handle(m: Message): void {
    this.host.wire?.(this.id, 'in', m);
    if (this.state === 'hello') {
      if (m.t !== 'hello') {
        this.fail('PROTO_UNEXPECTED', `expected "hello" as the first message, got "${m.t}"`);
        return;
      }
      if (m.v !== PROTOCOL_VERSION) {
        this.fail(
          'PROTO_VERSION_MISMATCH',
          `protocol version mismatch: this SiPass proxy speaks version ${PROTOCOL_VERSION}, the role sent version ${m.v}`,
        );
        return;
      }
      this.watchdog.handshakeDone();
      this.roleName = m.roleName;
      this.roleId = m.roleId;
      this.packBatches = m.batchEncodings?.includes(PACKED) === true;
      const seq = this.host.currentSeq();
      // Same server life: replay what the role missed. A server restart: the whole
      // log of this life. A brand-new role: no history.
      this.replayFrom = m.epoch === this.host.epoch ? Math.min(m.lastSeq, seq) : m.epoch === '' ? seq : 0;
      this.state = 'open';
      // R15: the welcome announces the proxy's SDK version and diagnostic ports.
      this.send({ t: 'welcome', v: PROTOCOL_VERSION, server: this.host.name, site: this.host.site.name, epoch: this.host.epoch, seq, ...this.host.proxyInfo() });
      return;
    }
    switch (m.t) {
      case 'syncRequest':
        if (this.syncing) {
          this.reply({ t: 'error', code: 'SYNC_BUSY', message: `sync ${m.id} refused: a sync is already running`, fatal: false });
          return;
        }
        void this.runSync(m);
        return;
      case 'ping':
        this.reply({ t: 'pong', n: m.n });
        return;
      case 'ack':
        this.ackedSeq = Math.max(this.ackedSeq, m.seq);
        return;
      case 'scAck': {
        const r = this.host.scAcknowledge(m.occurrenceId, m.user, m.requestId);
        this.reply({ t: 'scAckResult', requestId: m.requestId, ok: r.ok, ...(r.reason ? { reason: r.reason } : {}) });
        return;
      }
      case 'command': {
        const r = this.host.executeCommand(m);
        this.send({ t: 'commandResult', requestId: m.requestId, ok: r.ok, ...(r.reason ? { reason: r.reason } : {}) });
        return;
      }
      case 'error':
        this.lastError = `role reported ${m.code}: ${m.message}`;
        return;
      case 'pong':
        return;
      default:
        this.fail('PROTO_UNEXPECTED', `a role does not send "${m.t}"`);
    }
  }

  /** A live message from the server: sent now, or queued while a sync runs. */
  deliver(msg: LiveMessage): void {
    if (this.state !== 'open' || this.blackholed) return;
    if (this.syncing || !this.syncedOnce) {
      this.queue.push(msg);
      return;
    }
    this.send(msg);
  }

  private send(msg: Message): boolean {
    if (this.state === 'closed' || this.blackholed) return true;
    const frame = this.packBatches ? encodePacked(msg) : encodeMessage(msg);
    if (msg.t === 'error') this.lastError = `${msg.code}: ${msg.message}`;
    this.host.wire?.(this.id, 'out', msg);
    this.framesOut++;
    this.bytesOut += frame.length;
    this.host.countOut(1, frame.length);
    const ok = this.pipeline.send({ bytes: frame, msg });
    // Every write is under the output cap: a peer that does not read is closed, not buffered for.
    const cap = this.host.limits.maxOutputBytes;
    if (cap > 0 && this.isOpen) {
      const queued = this.queuedOut();
      if (queued > cap) {
        this.limit('outputCap', `${queued} bytes queued for a peer that does not read them (the output cap ${cap}, --max-output)`, 'now');
        return false;
      }
    }
    return ok;
  }

  private wakeWriters(): void {
    // The peer read what we sent: progress (not idle), and we may read its requests again.
    this.watchdog.progress();
    if (this.inputPaused && this.state !== 'closed') {
      this.inputPaused = false;
      this.stream.resume();
    }
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }

  private waitDrain(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.host.clock.setTimeout(resolve, ms));
  }

  private async runSync(req: SyncRequest): Promise<void> {
    this.syncing = true;
    const site = this.host.site;
    const types = SIPASS_TYPES.filter((t) => req.types.includes(t));
    const totals: Partial<Record<SiPassType, number>> = {};
    for (const t of types) totals[t] = site.count(t);
    const counts: Partial<Record<SiPassType, number>> = {};
    const digest = new SiteDigest();
    const batchSize = this.host.batchSize;
    const progress: SyncStreamProgress = { id: req.id, mode: req.mode, startedAt: this.host.clock.now(), totals, sent: {}, typeStartedAt: {}, typeEndedAt: {} };
    this.progress = progress;
    this.send({ t: 'syncBegin', id: req.id, totals });
    // The first batch waits its turn too: 200 syncs starting as their roles arrive would each run one
    // in the iteration that read their request (simulator/loopShare.ts: arrivals first).
    await this.host.pace();
    if (!this.isOpen || this.blackholed) return this.abortSync();
    for (const type of types) {
      let n = 0;
      let items: SiPassRecord[] = [];
      const flush = async (): Promise<boolean> => {
        // A sync rate paces each batch: it leaves once its entities' share of time has passed,
        // so a sync of n entities at r/s takes n/r and a role's rate estimate is right from batch 1.
        if (this.host.syncRate > 0) {
          await this.sleep((items.length / this.host.syncRate) * 1000);
          if (!this.isOpen || this.blackholed) return false;
        }
        if (progress.typeStartedAt[type] === undefined) progress.typeStartedAt[type] = this.host.clock.now();
        progress.sent[type] = (progress.sent[type] ?? 0) + items.length;
        const ok = this.send({ t: 'batch', id: req.id, type, items });
        items = [];
        // Backpressure: never queue more than the socket's high-water mark.
        if (!ok) await this.waitDrain();
        // Fairness: the syncs share the event loop with accepts, hellos, pings and timers (simulator/loopShare.ts).
        await this.host.pace();
        return this.state === 'open' && !this.blackholed;
      };
      for (const r of site.entities(type)) {
        items.push(r);
        digest.add(type, r);
        n++;
        if (items.length >= batchSize && !(await flush())) return this.abortSync();
      }
      if (items.length > 0 && !(await flush())) return this.abortSync();
      counts[type] = n;
      progress.typeEndedAt[type] = this.host.clock.now();
    }
    this.send({ t: 'syncEnd', id: req.id, counts, digest: digest.toString() });
    progress.endedAt = this.host.clock.now();
    // Still "syncing" while the replay goes out: live messages queue behind it, in order.
    await this.afterSync();
    if (this.state === 'closed') return;
    this.syncing = false;
  }

  private abortSync(): void {
    this.syncing = false;
  }

  private async afterSync(): Promise<void> {
    let pending = this.queue;
    this.queue = [];
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      // R10: on every (re)connection, every alarm still active is sent.
      this.send({ t: 'activeAlarms', occurrences: this.host.alarms.list() });
      // Alarms and events missed while away, merged with what queued during the sync, in seq order.
      const bySeq = new Map<number, LiveMessage>();
      for (const m of this.host.log.since(this.replayFrom ?? this.host.currentSeq())) bySeq.set(m.seq, m);
      for (const m of pending) bySeq.set(m.seq, m);
      pending = [...bySeq.keys()].sort((a, b) => a - b).map((s) => bySeq.get(s) as LiveMessage);
      this.replayFrom = undefined;
    }
    // The replay respects backpressure like the sync (it can be the whole live log, 100,000
    // messages), so a slow role is not closed by the output cap for what it asked for.
    while (pending.length > 0) {
      for (const m of pending) {
        if (!this.send(m)) await this.waitDrain();
        if (this.state !== 'open' || this.blackholed) return;
      }
      pending = this.queue;
      this.queue = [];
    }
  }

  /** Ends the connection with an error frame naming the cause. */
  fail(code: string, message: string): void {
    if (this.state === 'closed') return;
    this.send({ t: 'error', code, message, fatal: true });
    this.close(`${code}: ${message}`);
  }

  /**
   * Closes the connection once. `graceful` lets a final error frame (and any
   * frame a fault holds) go out first, then any slow close; `now` drops what a
   * fault holds; `reset` aborts the socket (a TCP RST).
   */
  close(reason: string, how: CloseHow = 'graceful'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.watchdog.stop();
    this.syncing = false;
    this.queue = [];
    this.wakeWriters();
    const stream = this.stream;
    this.pipeline.close(how, () => {
      if (stream.destroyed) return;
      if (how === 'reset' && isSocket(stream)) {
        // After the write in progress has reached the kernel (a reset mid-write would fall back to a FIN).
        setImmediate(() => resetStream(stream));
        return;
      }
      stream.end();
      if (how === 'now') {
        setImmediate(() => stream.destroy());
        return;
      }
      // Let a final error frame (or a fault's last bytes) flush before the socket goes; an
      // in-memory pipe has no RST, so a reset there is this too. Bounded if the peer never reads.
      const kill = (): void => {
        clearTimeout(fallback);
        if (!stream.destroyed) stream.destroy();
      };
      const fallback = setTimeout(kill, 5_000);
      fallback.unref();
      stream.once('finish', () => setImmediate(kill));
    });
    this.host.sessionClosed(this, reason);
  }
}

function copyProgress(p: SyncStreamProgress): SyncStreamProgress {
  return { ...p, totals: { ...p.totals }, sent: { ...p.sent }, typeStartedAt: { ...p.typeStartedAt }, typeEndedAt: { ...p.typeEndedAt } };
}

function isSocket(stream: Duplex): boolean {
  return typeof (stream as Duplex & { resetAndDestroy?: unknown }).resetAndDestroy === 'function';
}

/** A TCP RST. */
function resetStream(stream: Duplex): void {
  const s = stream as Duplex & { resetAndDestroy?: () => void };
  try {
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else stream.destroy();
  } catch {
    stream.destroy();
  }
}
