import { EventEmitter } from 'node:events';
import { createActor, type Actor } from 'xstate';
import { RealClock, type Clock } from '../core/clock.js';
import { stringSeed } from '../core/random.js';
import { TestbenchError, type ErrorInfo } from '../core/testbenchError.js';
import type { ActiveAlarms, Batch, LiveMessage, Message, SyncBegin, SyncEnd, Welcome } from '../protocol/messages.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../protocol/sipassTypes.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { ApplyRejectedError } from './config/configProblem.js';
import { sameSet, type ConfigInput, type PluginConfig } from './config/pluginConfig.js';
import { validateConfig } from './config/validateConfig.js';
import { tcpConnector, type Connector } from './connection/connector.js';
import { DEFAULT_TIMINGS, endpoint, RoleConnection, type ConnectionPhase, type ConnectionTimings } from './connection/roleConnection.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './machine/backoff.js';
import { roleMachine, visibleState, type LastSync, type RoleState } from './machine/roleMachine.js';
import type { SyncProgress } from './machine/syncProgress.js';
import type { SecurityCenter } from './securitycenter/securityCenter.js';
import { NATIVE_EVENTS } from './securitycenter/mapping.js';
import type { ScType } from './securitycenter/scTypes.js';
import { reconcileAlarmPartitions } from './sync/reconcileAlarms.js';
import { SyncedEntities } from './sync/syncedEntities.js';

/** Sequence numbers held beyond a gap before the gap is given up (see markSeq). */
const MAX_SEQ_AHEAD = 10_000;

export interface PluginRoleOptions {
  clock?: Clock;
  connector?: Connector;
  roleId?: string;
  backoff?: Partial<BackoffPolicy>;
  timings?: Partial<ConnectionTimings>;
  maxFrame?: number;
  /**
   * TEST-ONLY: known bugs the property tests inject to show they find them
   * (test/property/injectedBug.test.ts). Never set in the product.
   * shareRecipientList: new alarm entities alias the role's recipient list
   * instead of copying it, so a later Apply changes them (violates R4).
   */
  faultInjection?: { shareRecipientList?: boolean };
}

/** Everything a user (CLI, dashboard, report, test) can see of the role at one instant. */
export interface RoleSnapshot {
  role: string;
  state: RoleState;
  /** The internal sub-state, e.g. "connecting.backoff". */
  detail: string;
  /** R9: yellow while syncing; red while it cannot connect. */
  health: 'ok' | 'warning' | 'error';
  config: PluginConfig | null;
  attempt: number;
  lastError: ErrorInfo | null;
  nextRetryAt: number | null;
  progress: SyncProgress | null;
  lastSync: LastSync | null;
  connectedTo: string | null;
  counts: Record<ScType, number>;
  digest: string;
  serverDigest: string | null;
  lastSeq: number;
  pendingScAcks: number;
  framesIn: number;
  bytesIn: number;
  /** Bytes over every connection so far (for the scenario runner's quiescence check). */
  totalBytesIn: number;
  totalBytesOut: number;
}

export type RoleNotice =
  | { kind: 'state'; state: RoleState; detail: string; at: number; error: ErrorInfo | null }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'syncDone'; at: number; ms: number; total: number }
  | { kind: 'alarm'; occurrenceId: string; alarmName: string; notified: string[]; retrigger: boolean }
  | { kind: 'event'; name: string; native: string | null };

interface RunningSync {
  id: number;
  mode: 'full' | 'manual';
  types: SiPassType[];
  begun: boolean;
}

/**
 * The SiPass plugin role: its Properties tab (config), its state machine,
 * its connection to the SiPass proxy, and what it maintains in Security
 * Center (entity browser node, alarm entities, custom events, alarm monitor).
 */
export class PluginRole extends EventEmitter {
  readonly entities: SyncedEntities;
  readonly clock: Clock;
  private readonly actor: Actor<typeof roleMachine>;
  private readonly connector: Connector;
  private readonly timings: ConnectionTimings;
  private readonly roleId: string;
  private conn: RoleConnection | undefined;
  private connId = 0;
  private syncId = 0;
  private sync: RunningSync | null = null;
  private epoch = '';
  private lastSeq = 0;
  private readonly seqAhead = new Set<number>();
  /** The sequence number of the last live change applied per entity (type:id), in this epoch. */
  private readonly changeSeq = new Map<string, number>();
  private ackedSeq = 0;
  private serverDigest: string | null = null;
  /** R10: SC acknowledgements not yet confirmed by SiPass, resent on reconnect. */
  private readonly pendingScAcks = new Map<string, { occurrenceId: string; user: string }>();
  private nextAckId = 1;
  private lastVisible = '';
  private resyncAfterSync = false;
  private stopped = false;
  /** TEST-ONLY (faultInjection.shareRecipientList): the one array every new alarm entity aliases. */
  private readonly sharedRecipients: string[] = [];

  constructor(
    readonly name: string,
    readonly sc: SecurityCenter,
    private readonly options: PluginRoleOptions = {},
  ) {
    super();
    this.clock = options.clock ?? new RealClock();
    this.connector = options.connector ?? tcpConnector;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.roleId = options.roleId ?? `role-${name}`;
    this.entities = new SyncedEntities(name, sc.alarms);
    const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, seed: stringSeed(this.roleId), ...options.backoff };
    const machine = roleMachine.provide({
      actions: {
        dial: ({ context }) => this.dial(context.config),
        hangUp: () => this.hangUp(),
        requestSync: ({ context }, p) => this.requestSync(context.config, p.mode),
        applyAlarmSettings: (_, p) => {
          reconcileAlarmPartitions(this.entities.pluginAlarms(), p.partitions, p.overwritePartitions);
        },
      },
    });
    this.actor = createActor(machine, { clock: this.clock, input: { backoff } });
    this.actor.subscribe(() => this.onSnapshot());
    this.actor.start();
  }

  // --- Properties tab (R2-R6) -------------------------------------------------

  get config(): PluginConfig | null {
    return this.actor.getSnapshot().context.config;
  }

  /**
   * R6: validates the whole Properties tab (previous values plus `input`) and
   * applies it, or throws ApplyRejectedError listing every problem with
   * nothing changed.
   */
  apply(input: ConfigInput): PluginConfig {
    if (this.stopped) throw new TestbenchError('ROLE_STOPPED', `role "${this.name}" is stopped`);
    const prev = this.config;
    const v = validateConfig(input, this.sc.directory, prev ?? undefined);
    if (!v.ok) throw new ApplyRejectedError(v.problems);
    const config = v.config;
    const reconnect = prev === null || prev.host !== config.host || prev.port !== config.port;
    const overwritePartitions = prev !== null && !sameSet(prev.alarmPartitions, config.alarmPartitions);
    const remap = prev !== null && prev.credentialSync !== config.credentialSync;
    if (this.options.faultInjection?.shareRecipientList) this.sharedRecipients.splice(0, this.sharedRecipients.length, ...config.alarmRecipients);
    this.actor.send({ type: 'APPLY', at: this.clock.now(), config, reconnect, overwritePartitions });
    // Credential sync switched while connected: fetch (or drop) credentials with a full sync.
    if (remap && !reconnect) {
      if (this.state === 'ready') this.actor.send({ type: 'MANUAL_SYNC', at: this.clock.now() });
      // A sync already running was requested with the old switch: sync again once it ends.
      else if (this.state === 'syncing') this.resyncAfterSync = true;
    }
    return config;
  }

  /** R9: a manual full sync from the Synchronization tab; only while ready. */
  manualSync(): void {
    if (this.state !== 'ready') {
      throw new TestbenchError('ROLE_NOT_READY', `manual sync needs the role "${this.name}" to be ready (it is ${this.state})`);
    }
    this.actor.send({ type: 'MANUAL_SYNC', at: this.clock.now() });
  }

  /** R10: an operator acknowledges an alarm in SC; sent to SiPass now, or on reconnect. */
  acknowledgeAlarm(occurrenceId: string, user: string): void {
    if (!this.sc.monitor.has(occurrenceId)) {
      throw new TestbenchError('SC_NO_SUCH_OCCURRENCE', `no alarm occurrence "${occurrenceId}" in the alarm monitor`);
    }
    this.sc.monitor.acknowledge(occurrenceId, user, 'sc', this.clock.now());
    const requestId = `${this.roleId}-ack-${this.nextAckId++}`;
    this.pendingScAcks.set(requestId, { occurrenceId, user });
    if (this.state === 'ready' || this.state === 'syncing') this.conn?.send({ t: 'scAck', requestId, occurrenceId, user });
  }

  get state(): RoleState {
    return visibleState(this.actor.getSnapshot().value);
  }

  snapshot(): RoleSnapshot {
    const s = this.actor.getSnapshot();
    const state = visibleState(s.value);
    const detail = detailOf(s.value);
    const c = s.context;
    return {
      role: this.name,
      state,
      detail,
      health: state === 'ready' ? 'ok' : state === 'syncing' ? 'warning' : state === 'connecting' && c.lastError ? 'error' : 'warning',
      config: c.config,
      attempt: c.attempt,
      lastError: c.lastError,
      nextRetryAt: state === 'connecting' ? c.nextRetryAt : null,
      progress: c.progress,
      lastSync: c.lastSync,
      connectedTo: c.config && (state === 'syncing' || state === 'ready') ? endpoint(c.config.host, c.config.port) : null,
      counts: this.entities.countsByScType(),
      digest: this.entities.digestString(),
      serverDigest: this.serverDigest,
      lastSeq: this.lastSeq,
      pendingScAcks: this.pendingScAcks.size,
      framesIn: this.conn?.framesIn ?? 0,
      bytesIn: this.conn?.bytesIn ?? 0,
      ...this.io(),
    };
  }

  /** Resolves when the role shows `state`; rejects after `timeoutMs` of the role's clock. */
  waitFor(state: RoleState, timeoutMs = 30_000): Promise<RoleSnapshot> {
    if (this.state === state) return Promise.resolve(this.snapshot());
    return new Promise((resolve, reject) => {
      const onNotice = (n: RoleNotice): void => {
        if (n.kind === 'state' && n.state === state) {
          this.clock.clearTimeout(timer);
          this.off('notice', onNotice);
          resolve(this.snapshot());
        }
      };
      const timer = this.clock.setTimeout(() => {
        this.off('notice', onNotice);
        const snap = this.snapshot();
        reject(
          new TestbenchError(
            'ROLE_WAIT_TIMEOUT',
            `role "${this.name}" not ${state} after ${timeoutMs}ms (it is ${snap.state}${snap.lastError ? `; last error ${snap.lastError.code}: ${snap.lastError.message}` : ''})`,
            { state: snap.state, lastError: snap.lastError },
          ),
        );
      }, timeoutMs);
      this.on('notice', onNotice);
    });
  }

  /** Deactivates the role: closes its connection, stops its timers. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.hangUp();
    this.actor.stop();
  }

  private closedBytesIn = 0;
  private closedBytesOut = 0;

  /** Bytes received and sent over every connection so far. */
  io(): { totalBytesIn: number; totalBytesOut: number } {
    return { totalBytesIn: this.closedBytesIn + (this.conn?.bytesIn ?? 0), totalBytesOut: this.closedBytesOut + (this.conn?.bytesOut ?? 0) };
  }

  private notice(n: RoleNotice): void {
    this.emit('notice', n);
  }

  private onSnapshot(): void {
    const snap = this.actor.getSnapshot();
    const state = visibleState(snap.value);
    if (state !== this.lastVisible) {
      this.lastVisible = state;
      this.notice({ kind: 'state', state, detail: detailOf(snap.value), at: this.clock.now(), error: snap.context.lastError });
    }
    this.emit('snapshot');
  }

  // --- Connection (effects named by the machine) -------------------------------

  // Effects get the config from the transition's context: the actor's snapshot is not updated yet.
  private dial(config: PluginConfig | null): void {
    this.hangUp();
    if (!config) return;
    const id = ++this.connId;
    const conn = new RoleConnection(
      config.host,
      config.port,
      { t: 'hello', v: PROTOCOL_VERSION, roleId: this.roleId, roleName: this.name, epoch: this.epoch, lastSeq: this.lastSeq },
      this.clock,
      this.connector,
      this.timings,
      {
        welcome: (w) => id === this.connId && this.onWelcome(w),
        message: (m) => id === this.connId && this.onMessage(m),
        chunkDone: () => id === this.connId && this.flushAck(),
        closed: (error, phase) => id === this.connId && this.onClosed(error, phase),
      },
      this.options.maxFrame,
    );
    this.conn = conn;
    this.ackedSeq = 0;
    conn.start();
  }

  private hangUp(): void {
    this.connId++;
    this.retire();
    this.conn?.close();
    this.conn = undefined;
    this.sync = null;
  }

  private retire(): void {
    if (this.conn) {
      this.closedBytesIn += this.conn.bytesIn;
      this.closedBytesOut += this.conn.bytesOut;
    }
  }

  private onClosed(error: ErrorInfo, phase: ConnectionPhase): void {
    this.retire();
    this.conn = undefined;
    this.sync = null;
    this.notice({ kind: 'error', error });
    const at = this.clock.now();
    if (phase === 'open') this.actor.send({ type: 'CONNECTION_LOST', at, error });
    else this.actor.send({ type: 'CONNECT_FAILED', at, error });
  }

  private onWelcome(w: Welcome): void {
    this.resyncAfterSync = false;
    if (w.epoch !== this.epoch) {
      // A new server life: sequence numbers start again. A role that talked to an earlier life
      // takes the whole replay of this one (seq > 0); a brand-new role starts at the current seq.
      this.lastSeq = this.epoch === '' ? w.seq : 0;
      this.seqAhead.clear();
      this.changeSeq.clear();
      this.epoch = w.epoch;
    }
    this.actor.send({ type: 'CONNECTED', at: this.clock.now() });
    // R10: SC acknowledgements made while disconnected go out now, once each.
    for (const [requestId, a] of this.pendingScAcks) this.conn?.send({ t: 'scAck', requestId, occurrenceId: a.occurrenceId, user: a.user });
  }

  private requestSync(config: PluginConfig | null, mode: 'full' | 'manual'): void {
    if (!this.conn || !config) return;
    // R8: credentials are only requested when credential sync is on.
    const types = SIPASS_TYPES.filter((t) => t !== 'credentials' || config.credentialSync);
    this.sync = { id: ++this.syncId, mode, types, begun: false };
    this.conn.send({ t: 'syncRequest', id: this.sync.id, mode, types });
  }

  private onMessage(m: Message): void {
    switch (m.t) {
      case 'syncBegin':
        return this.onSyncBegin(m);
      case 'batch':
        return this.onBatch(m);
      case 'syncEnd':
        return this.onSyncEnd(m);
      case 'activeAlarms':
        return this.onActiveAlarms(m);
      case 'scAckResult':
        this.pendingScAcks.delete(m.requestId);
        return;
      case 'error':
        this.notice({ kind: 'error', error: { code: m.code, message: m.message, at: this.clock.now() } });
        return;
      case 'change':
      case 'alarm':
      case 'alarmAck':
      case 'alarmClear':
      case 'event':
        return this.onLive(m);
      default:
        return;
    }
  }

  private onSyncBegin(m: SyncBegin): void {
    if (!this.sync || m.id !== this.sync.id) return;
    this.sync.begun = true;
    this.entities.beginFullSync();
    this.actor.send({ type: 'SYNC_BEGIN', at: this.clock.now(), totals: m.totals });
  }

  private onBatch(m: Batch): void {
    const config = this.config;
    if (!this.sync?.begun || m.id !== this.sync.id || !config) return;
    for (const r of m.items) this.upsert(m.type, r, config);
    this.actor.send({ type: 'SYNC_PROGRESS', at: this.clock.now(), entityType: m.type, count: m.items.length });
  }

  private onSyncEnd(m: SyncEnd): void {
    const config = this.config;
    const sync = this.sync;
    if (!sync?.begun || m.id !== sync.id || !config) return;
    this.sync = null;
    this.entities.endFullSync(sync.types);
    // R5: every sync is a reconcile.
    reconcileAlarmPartitions(this.entities.pluginAlarms(), config.alarmPartitions, false);
    this.serverDigest = m.digest;
    const ours = this.entities.digestString();
    if (ours !== m.digest) {
      const error = { code: 'SYNC_DIGEST_MISMATCH', message: `after the full sync Security Center holds digest ${ours} but the SiPass server sent ${m.digest}`, at: this.clock.now() };
      this.notice({ kind: 'error', error });
    }
    const at = this.clock.now();
    const started = this.actor.getSnapshot().context.progress?.startedAt ?? at;
    this.actor.send({ type: 'SYNC_DONE', at, counts: m.counts });
    this.notice({ kind: 'syncDone', at, ms: at - started, total: this.entities.totalSources() });
    if (this.resyncAfterSync) {
      this.resyncAfterSync = false;
      this.actor.send({ type: 'MANUAL_SYNC', at: this.clock.now() });
    }
  }

  private onActiveAlarms(m: ActiveAlarms): void {
    // R10: every alarm still active in SiPass is triggered on (re)connection.
    for (const o of m.occurrences) {
      this.trigger(o.occurrenceId, o.alarmClassId, this.sc.monitor.has(o.occurrenceId));
      if (o.acknowledged) this.sc.monitor.acknowledge(o.occurrenceId, 'SiPass', 'sipass', this.clock.now());
    }
  }

  private onLive(m: LiveMessage): void {
    // Exactly once: a replayed or duplicated message is dropped, an overtaken one still taken.
    if (!this.markSeq(m.seq)) return;
    const config = this.config;
    switch (m.t) {
      case 'change': {
        if (!config) return;
        // A change overtaken on the wire by a later change of the same entity is stale: skip it.
        const key = `${m.type}:${m.id}`;
        if ((this.changeSeq.get(key) ?? 0) > m.seq) return;
        this.changeSeq.set(key, m.seq);
        if (m.op === 'delete') this.entities.delete(m.type, m.id);
        else if (m.entity) this.upsert(m.type, m.entity, config);
        return;
      }
      case 'alarm':
        if (!this.sc.monitor.has(m.occurrenceId)) this.trigger(m.occurrenceId, m.alarmClassId, false);
        return;
      case 'alarmAck':
        this.sc.monitor.acknowledge(m.occurrenceId, m.by, 'sipass', this.clock.now());
        return;
      case 'alarmClear':
        return;
      case 'event':
        this.fireEvent(m.eventTypeId, m.eventId, m.source);
        return;
    }
  }

  private upsert(type: SiPassType, record: SiPassRecord, config: PluginConfig): void {
    const created = this.entities.ops.creates;
    this.entities.upsert(type, record, config);
    // TEST-ONLY injected bug (R4): a new alarm entity aliases the role's list instead of a copy.
    if (this.options.faultInjection?.shareRecipientList && type === 'alarmClasses' && this.entities.ops.creates > created) {
      const alarm = this.entities.alarmFor(record.id);
      if (alarm) alarm.recipients = this.sharedRecipients;
    }
  }

  /**
   * Exactly once by sequence number, in any arrival order: `lastSeq` is the contiguous high mark
   * (what the role has processed without a gap), `seqAhead` the numbers processed beyond it. A
   * message overtaken on the wire is still taken when it arrives; a repeat is dropped.
   */
  private markSeq(seq: number): boolean {
    if (seq <= this.lastSeq || this.seqAhead.has(seq)) return false;
    if (seq === this.lastSeq + 1) {
      this.lastSeq = seq;
      while (this.seqAhead.delete(this.lastSeq + 1)) this.lastSeq++;
    } else {
      this.seqAhead.add(seq);
      // A gap the server can no longer fill (its replay log is bounded): give up on it.
      if (this.seqAhead.size > MAX_SEQ_AHEAD) {
        this.lastSeq = Math.min(...this.seqAhead) - 1;
        while (this.seqAhead.delete(this.lastSeq + 1)) this.lastSeq++;
      }
    }
    return true;
  }

  private flushAck(): void {
    if (this.lastSeq > this.ackedSeq && this.conn) {
      this.ackedSeq = this.lastSeq;
      this.conn.send({ t: 'ack', seq: this.lastSeq });
    }
  }

  private trigger(occurrenceId: string, alarmClassId: string, retrigger: boolean): void {
    const alarm = this.entities.alarmFor(alarmClassId);
    // R4: an empty recipient list still triggers; nobody is notified.
    const notified = alarm ? this.sc.directory.flatten(alarm.recipients) : [];
    const alarmName = alarm?.name ?? `unmapped alarm class ${alarmClassId}`;
    this.sc.monitor.record({
      at: this.clock.now(),
      alarmId: alarm?.id ?? null,
      alarmName,
      occurrenceId,
      kind: retrigger ? 'retrigger' : 'raised',
      notified,
    });
    this.notice({ kind: 'alarm', occurrenceId, alarmName, notified, retrigger });
  }

  private fireEvent(eventTypeId: string, eventId: string, source: string): void {
    const custom = this.entities.customEventFor(eventTypeId);
    const name = custom?.name ?? this.entities.record('eventTypes', eventTypeId)?.name ?? eventTypeId;
    const at = this.clock.now();
    // R11: every SiPass event fires the custom event of the same name; some also a native one.
    this.sc.events.fire({ at, kind: 'custom', name, eventId, source, role: this.name });
    const native = NATIVE_EVENTS[name] ?? null;
    if (native) this.sc.events.fire({ at, kind: 'native', name: native, eventId, source, role: this.name });
    this.notice({ kind: 'event', name, native });
  }
}

function detailOf(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') return value;
  return Object.entries(value).map(([k, v]) => `${k}.${String(v)}`)[0] ?? '';
}
