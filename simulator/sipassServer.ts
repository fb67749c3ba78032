import net from 'node:net';
import { EventEmitter } from 'node:events';
import { RealClock, type Clock } from '../core/clock.js';
import { TestbenchError } from '../core/testbenchError.js';
import type { CommandRequest, LiveMessage, Message } from '../protocol/messages.js';
import type { Scalar, SiPassRecord, SiPassType } from '../protocol/sipassTypes.js';
import { DEFAULT_DIAGNOSTIC_PORT, DEFAULT_DIAGNOSTIC_WEB_PORT, DEFAULT_MAX_FRAME, DEFAULT_SDK_VERSION, DIAGNOSTIC_PORT_RANGE } from '../protocol/version.js';
import { ActivityTrail } from './activityTrail.js';
import { AlarmBoard } from './alarmBoard.js';
import { executeCommand } from './commands/executeCommand.js';
import type { Fault, FaultSpec } from './faults/fault.js';
import { createFault, parseFaultSpec } from './faults/index.js';
import { LiveLog } from './liveLog.js';
import { LoopShare } from './loopShare.js';
import { ConnectionGate, type GateEvent } from './limits/connectionGate.js';
import { LIMIT_NAMES, resolveLimits, type LimitName, type ServerLimits } from './limits/serverLimits.js';
import type { PopulationSpec } from './populationSpec.js';
import { ServerSession, type SessionHost, type SessionInfo } from './serverSession.js';
import { Site } from './site.js';

export interface SiPassServerOptions {
  population?: PopulationSpec;
  site?: Site;
  /** Defaults to 127.0.0.1: the fake server never listens beyond loopback unless told. */
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  clock?: Clock;
  name?: string;
  batchSize?: number;
  maxFrame?: number;
  syncRate?: number;
  /** Identifies this server life; defaults to a value derived from the start time. */
  epoch?: string;
  /** Timeouts and caps per connection (defaults: simulator/limits/serverLimits.ts). */
  limits?: Partial<ServerLimits>;
  /** R15: the Security Center SDK version the proxy is built with (default protocol/version.ts). */
  sdkVersion?: string;
  /** R15: the proxy's diagnostic server port (4502-4534, default 4523) and web interface port (default 6024). */
  diagnosticPort?: number;
  diagnosticWebPort?: number;
}

export interface ServerStats {
  listening: boolean;
  host: string;
  port: number;
  blocked: boolean;
  connections: number;
  sessions: SessionInfo[];
  seq: number;
  framesOut: number;
  bytesOut: number;
  bytesIn: number;
  activeAlarms: number;
  /** Faults injected on the wire (`addFault`), one line each; absent from older stats. */
  faults?: string[];
  limits?: ServerLimits;
  /** How many times each limit acted since the server was created. */
  limitHits?: Record<LimitName, number>;
  /** Bytes held for partial frames, over every connection. */
  bufferedIn?: number;
  /** Bytes queued toward peers, over every connection. */
  queuedOut?: number;
}

export type ServerEvent =
  | { kind: 'listening'; host: string; port: number }
  | { kind: 'stopped' }
  | { kind: 'connection'; session: number; remote: string }
  | { kind: 'closed'; session: number; reason: string; /** The session as it ended (absent for a listener error). */ info?: SessionInfo }
  | { kind: 'live'; message: LiveMessage }
  | { kind: 'limit'; limit: LimitName; session: number; message: string }
  | GateEvent;

/** One message through a session, as the server saw it (`wire` events, emitted only while observed). */
export interface WireEvent {
  session: number;
  direction: 'in' | 'out';
  message: Message;
}

/**
 * The fake SiPass proxy service (R12): the one place that opens a listening
 * socket. Serves any number of roles at once; every SiPass-side action
 * (alarms, events, entity changes) is a method here and is streamed live to
 * every connected role.
 */
export class SiPassServer extends EventEmitter implements SessionHost {
  readonly site: Site;
  readonly alarms = new AlarmBoard();
  readonly log = new LiveLog();
  readonly clock: Clock;
  readonly name: string;
  readonly epoch: string;
  readonly batchSize: number;
  readonly maxFrame: number;
  syncRate: number;
  readonly limits: ServerLimits;
  private readonly limitHits = Object.fromEntries(LIMIT_NAMES.map((n) => [n, 0])) as Record<LimitName, number>;
  private gate: ConnectionGate | undefined;
  private readonly sessions = new Set<ServerSession>();
  private readonly faults: Fault[] = [];
  private server: net.Server | undefined;
  private seq = 0;
  private nextSession = 1;
  private blocked = false;
  private framesOut = 0;
  private bytesOut = 0;
  private bytesIn = 0;
  host: string;
  port: number;
  /** Acknowledgements that SC sent (R10), in order: who, which occurrence. */
  readonly scAcknowledgements: Array<{ occurrenceId: string; user: string; at: number }> = [];
  private readonly seenScAcks = new Set<string>();
  /** R13: SiPass's activity trail of the manual overrides it executed (or refused). */
  readonly activityTrail = new ActivityTrail();
  private readonly seenCommands = new Map<string, { ok: boolean; reason?: string }>();
  /** The syncs' share of each event-loop iteration (simulator/loopShare.ts). */
  private readonly loopShare = new LoopShare();

  constructor(options: SiPassServerOptions = {}) {
    super();
    this.site = options.site ?? new Site(options.population ?? {});
    this.clock = options.clock ?? new RealClock();
    this.name = options.name ?? 'sipass-testbench fake SiPass proxy';
    this.epoch = options.epoch ?? `e${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    this.batchSize = options.batchSize ?? 500;
    this.maxFrame = options.maxFrame ?? DEFAULT_MAX_FRAME;
    this.syncRate = options.syncRate ?? 0;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.limits = resolveLimits(options.limits);
    this.sdkVersion = options.sdkVersion ?? DEFAULT_SDK_VERSION;
    this.diagnosticPort = options.diagnosticPort ?? DEFAULT_DIAGNOSTIC_PORT;
    this.diagnosticWebPort = options.diagnosticWebPort ?? DEFAULT_DIAGNOSTIC_WEB_PORT;
    const [lo, hi] = DIAGNOSTIC_PORT_RANGE;
    if (!Number.isInteger(this.diagnosticPort) || this.diagnosticPort < lo || this.diagnosticPort > hi) {
      throw new TestbenchError('SERVER_BAD_DIAGNOSTIC_PORT', `diagnostic port ${this.diagnosticPort} is outside ${lo}-${hi} (R15)`);
    }
    if (!Number.isInteger(this.diagnosticWebPort) || this.diagnosticWebPort < 1 || this.diagnosticWebPort > 65535) {
      throw new TestbenchError('SERVER_BAD_DIAGNOSTIC_PORT', `diagnostic web port ${this.diagnosticWebPort} must be 1-65535 (R15)`);
    }
  }

  /** R15: the SDK version the proxy announces; a change takes effect at the next connection. */
  sdkVersion: string;
  readonly diagnosticPort: number;
  readonly diagnosticWebPort: number;

  proxyInfo(): { sdk: string; diagnosticPort: number; diagnosticWebPort: number } {
    return { sdk: this.sdkVersion, diagnosticPort: this.diagnosticPort, diagnosticWebPort: this.diagnosticWebPort };
  }

  pace(): Promise<void> {
    return this.loopShare.pace();
  }

  /** Connections were accepted in this event-loop iteration or the one before: the syncs hold back (simulator/loopShare.ts). */
  get connectionsArriving(): boolean {
    return this.loopShare.arriving;
  }

  limitHit(limit: LimitName, session: number, message: string): void {
    this.limitHits[limit]++;
    this.emitEvent({ kind: 'limit', limit, session, message });
  }

  currentSeq(): number {
    return this.seq;
  }

  countIn(bytes: number): void {
    this.bytesIn += bytes;
  }

  /**
   * A session's message, for observers of the wire (the diagnostic page). Emitted
   * only while someone listens, so an unobserved server pays one check per frame.
   */
  wire(session: number, direction: 'in' | 'out', message: Message): void {
    if (this.listenerCount('wire') > 0) this.emit('wire', { session, direction, message } satisfies WireEvent);
  }

  countOut(frames: number, bytes: number): void {
    this.framesOut += frames;
    this.bytesOut += bytes;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  /** Starts listening; resolves with the bound address. EADDRINUSE becomes SERVER_PORT_IN_USE. */
  listen(port = this.port, host = this.host): Promise<{ host: string; port: number }> {
    if (this.server) return Promise.resolve({ host: this.host, port: this.port });
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket));
      const gate = new ConnectionGate(
        this.clock,
        this.limits.maxConnections,
        (e) => this.emitEvent(e),
        (what) => this.limitHits[what]++,
      );
      gate.watch(server);
      const onError = (e: NodeJS.ErrnoException): void => {
        server.close();
        if (e.code === 'EADDRINUSE') {
          reject(new TestbenchError('SERVER_PORT_IN_USE', `port ${port} on ${host} is already in use: another process listens there (choose another --port, or stop it)`, { host, port }));
        } else if (e.code === 'EACCES') {
          reject(new TestbenchError('SERVER_PORT_DENIED', `not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`, { host, port }));
        } else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
          reject(new TestbenchError('SERVER_BAD_HOST', `cannot listen on ${host}: no such local address`, { host, port }));
        } else {
          reject(new TestbenchError('SERVER_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${e.message}`, { host, port }));
        }
      };
      server.once('error', onError);
      server.listen({ port, host }, () => {
        server.off('error', onError);
        // After listening, a server error (an accept failure: EMFILE...) is logged, never a crash.
        server.on('error', (e: NodeJS.ErrnoException) => gate.acceptError(e));
        this.gate = gate;
        const addr = server.address() as net.AddressInfo;
        this.server = server;
        this.host = host;
        this.port = addr.port;
        this.emitEvent({ kind: 'listening', host, port: addr.port });
        resolve({ host, port: addr.port });
      });
    });
  }

  private accept(socket: net.Socket): void {
    // More connections may wait in the listen queue: the syncs hold back while they arrive (simulator/loopShare.ts).
    this.loopShare.arrival();
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const session = new ServerSession(socket, this, this.nextSession++, remote);
    // A blocked port: the connection is taken but nothing gets through (connect "times out").
    if (this.blocked) session.blackholed = true;
    this.sessions.add(session);
    for (const f of this.faults) session.attachFault(f);
    this.emitEvent({ kind: 'connection', session: session.id, remote });
  }

  /** Serves an in-memory duplex (tests, the bench's limit measurement). */
  attach(stream: import('node:stream').Duplex): ServerSession {
    const session = new ServerSession(stream, this, this.nextSession++, 'memory');
    this.sessions.add(session);
    for (const f of this.faults) session.attachFault(f);
    return session;
  }

  sessionClosed(session: ServerSession, reason: string): void {
    if (this.sessions.delete(session)) this.emitEvent({ kind: 'closed', session: session.id, reason, info: session.info() });
  }

  /** Stops listening and drops every connection (the SiPass service stops). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.gate?.stop();
    this.gate = undefined;
    for (const s of [...this.sessions]) s.close('server stopped', 'now');
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      this.emitEvent({ kind: 'stopped' });
    }
  }

  /** Starts again (same site, same alarms, same live log) on the current or a given port. */
  async start(port = this.port): Promise<{ host: string; port: number }> {
    return this.listen(port, this.host);
  }

  /** R3: the SiPass side's port changes; connected roles are dropped as the service restarts. */
  async setPort(port: number): Promise<{ host: string; port: number }> {
    await this.stop();
    return this.listen(port, this.host);
  }

  /** Drops every packet to the port (connections hang, then time out) until unblock(). */
  block(): void {
    this.blocked = true;
    for (const s of this.sessions) s.blackholed = true;
  }

  unblock(): void {
    this.blocked = false;
  }

  get isBlocked(): boolean {
    return this.blocked;
  }

  /** Closes every connection without stopping the listener (a reset fault). */
  resetConnections(reason = 'connection reset by the server'): number {
    const n = this.sessions.size;
    for (const s of [...this.sessions]) s.close(reason);
    return n;
  }

  /**
   * Injects a fault on the wire (docs/reliability.md): it acts on every open
   * connection and every later one, each with probability `toxicity`, until
   * removed. Accepts a FaultSpec or its written form (`{ latency: { ms: 200 }, seed: 3 }`);
   * a bad spec throws FAULT_INVALID naming every problem.
   */
  addFault(spec: FaultSpec | Record<string, unknown>): Fault {
    const parsed = isFaultSpec(spec) ? spec : parseFaultSpec(spec);
    const fault = createFault(parsed);
    this.faults.push(fault);
    for (const s of [...this.sessions]) s.attachFault(fault);
    return fault;
  }

  /** Removes every fault of that name; returns how many. Held frames go out in order. */
  removeFault(name: string): number {
    const gone = this.faults.filter((f) => f.name === name);
    for (const f of gone) {
      this.faults.splice(this.faults.indexOf(f), 1);
      for (const s of [...this.sessions]) s.detachFault(f);
    }
    return gone.length;
  }

  clearFaults(): number {
    const n = this.faults.length;
    for (const f of [...this.faults]) this.removeFault(f.name);
    return n;
  }

  /** The faults in force, one line each (the dashboard's "Active faults"). */
  activeFaults(): string[] {
    return this.faults.map((f) => f.describe());
  }

  /** The faults in force with their names (removeFault takes the name). */
  faultsInForce(): Array<{ name: string; description: string }> {
    return this.faults.map((f) => ({ name: f.name, description: f.describe() }));
  }

  private publish(msg: LiveMessage): void {
    // Changes are logged too: a replay in sequence order after a full sync ends at the current
    // state, and it fills every gap in the sequence a reconnecting role tracks.
    this.log.append(msg);
    for (const s of this.sessions) s.deliver(msg);
    this.emitEvent({ kind: 'live', message: msg });
  }

  private nextSeq(): number {
    return ++this.seq;
  }

  // SiPass-side actions (R7 real-time sync, R10 alarms, R11 events).

  addEntity(type: SiPassType, record: SiPassRecord): void {
    const r = this.site.add(type, record);
    this.publish({ t: 'change', seq: this.nextSeq(), op: 'add', type, id: r.id, entity: r });
  }

  updateEntity(type: SiPassType, id: string, fields: Record<string, Scalar>): void {
    const r = this.site.update(type, id, fields);
    this.publish({ t: 'change', seq: this.nextSeq(), op: 'update', type, id, entity: r });
  }

  deleteEntity(type: SiPassType, id: string): void {
    this.site.delete(type, id);
    this.publish({ t: 'change', seq: this.nextSeq(), op: 'delete', type, id });
  }

  raiseAlarm(alarmClassId: string, occurrenceId?: string): string {
    if (!this.site.has('alarmClasses', alarmClassId)) {
      throw new TestbenchError('SITE_NO_SUCH_ENTITY', `alarm class "${alarmClassId}" does not exist in the SiPass site`);
    }
    if (occurrenceId !== undefined && this.alarms.get(occurrenceId)) {
      throw new TestbenchError('SITE_DUPLICATE_ID', `alarm occurrence "${occurrenceId}" is already active`);
    }
    const occ = this.alarms.raise(alarmClassId, this.clock.now(), occurrenceId);
    this.publish({ t: 'alarm', seq: this.nextSeq(), occurrenceId: occ.occurrenceId, alarmClassId, at: occ.at });
    return occ.occurrenceId;
  }

  acknowledgeAlarm(occurrenceId: string, by = 'SiPass operator'): void {
    if (!this.alarms.acknowledge(occurrenceId, by)) {
      throw new TestbenchError('SITE_NO_SUCH_ALARM', `alarm occurrence "${occurrenceId}" is not active`);
    }
    this.publish({ t: 'alarmAck', seq: this.nextSeq(), occurrenceId, by });
  }

  clearAlarm(occurrenceId: string): void {
    if (!this.alarms.clear(occurrenceId)) {
      throw new TestbenchError('SITE_NO_SUCH_ALARM', `alarm occurrence "${occurrenceId}" is not active`);
    }
    this.publish({ t: 'alarmClear', seq: this.nextSeq(), occurrenceId });
  }

  fireEvent(eventTypeId: string, source = 'SiPass', eventId?: string, sourceEntity?: { type: SiPassType; id: string }): string {
    if (!this.site.has('eventTypes', eventTypeId)) {
      throw new TestbenchError('SITE_NO_SUCH_ENTITY', `event type "${eventTypeId}" does not exist in the SiPass site`);
    }
    if (sourceEntity && !this.site.has(sourceEntity.type, sourceEntity.id)) {
      throw new TestbenchError('SITE_NO_SUCH_ENTITY', `event source ${sourceEntity.type} "${sourceEntity.id}" does not exist in the SiPass site`);
    }
    const seq = this.nextSeq();
    const id = eventId ?? `EV-${seq}`;
    const about = sourceEntity ? { sourceType: sourceEntity.type, sourceId: sourceEntity.id } : {};
    this.publish({ t: 'event', seq, eventId: id, eventTypeId, at: this.clock.now(), source, ...about });
    return id;
  }

  /** R10: an acknowledgement made in Security Center reaches SiPass. */
  scAcknowledge(occurrenceId: string, user: string, requestId = ''): { ok: boolean; reason?: string } {
    // A request resent after a reconnect is taken once.
    if (requestId !== '') {
      if (this.seenScAcks.has(requestId)) return { ok: true };
      this.seenScAcks.add(requestId);
    }
    this.scAcknowledgements.push({ occurrenceId, user, at: this.clock.now() });
    const occ = this.alarms.get(occurrenceId);
    if (!occ) return { ok: false, reason: `alarm occurrence "${occurrenceId}" is not active` };
    if (!occ.acknowledged) {
      this.alarms.acknowledge(occurrenceId, user);
      this.publish({ t: 'alarmAck', seq: this.nextSeq(), occurrenceId, by: user });
    }
    return { ok: true };
  }

  /**
   * R13: executes a manual override from Security Center on its entity, publishes the entity's
   * new state as a live change, and writes the activity trail (who, what, when, result). A
   * request id seen before is answered again without running twice.
   */
  executeCommand(m: CommandRequest): { ok: boolean; reason?: string } {
    const seen = this.seenCommands.get(m.requestId);
    if (seen) return seen;
    const r = executeCommand(m, this.site.get(m.entityType, m.entityId));
    const at = this.clock.now();
    const entity = `${m.entityType}:${m.entityId}`;
    let answer: { ok: boolean; reason?: string };
    if ('reason' in r) {
      this.activityTrail.write({ at, who: m.operator, what: m.action, entity, result: 'failed', reason: r.reason });
      answer = { ok: false, reason: r.reason };
    } else {
      this.updateEntity(m.entityType, m.entityId, r.fields);
      this.activityTrail.write({ at, who: m.operator, what: r.what, entity, result: 'executed', reason: null });
      answer = { ok: true };
    }
    this.seenCommands.set(m.requestId, answer);
    return answer;
  }

  stats(): ServerStats {
    const sessions = [...this.sessions].map((s) => s.info());
    return {
      listening: this.listening,
      host: this.host,
      port: this.port,
      blocked: this.blocked,
      connections: this.sessions.size,
      sessions,
      seq: this.seq,
      framesOut: this.framesOut,
      bytesOut: this.bytesOut,
      bytesIn: this.bytesIn,
      activeAlarms: this.alarms.size,
      faults: this.activeFaults(),
      limits: { ...this.limits },
      limitHits: { ...this.limitHits },
      bufferedIn: sessions.reduce((n, s) => n + (s.bufferedIn ?? 0), 0),
      queuedOut: sessions.reduce((n, s) => n + (s.queuedOut ?? 0), 0),
    };
  }

  private emitEvent(e: ServerEvent): void {
    this.emit('event', e);
  }
}

function isFaultSpec(x: FaultSpec | Record<string, unknown>): x is FaultSpec {
  return typeof x.name === 'string' && typeof x.options === 'object' && x.options !== null;
}
