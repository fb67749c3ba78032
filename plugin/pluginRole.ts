import { EventEmitter } from 'node:events';
import { createActor, type Actor } from 'xstate';
import { RealClock, type Clock } from '../core/clock.js';
import { stringSeed } from '../core/random.js';
import { TestbenchError, type ErrorInfo } from '../core/testbenchError.js';
import type { Batch, LiveMessage, Message, SyncBegin, SyncEnd, Welcome } from '../protocol/messages.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../protocol/sipassTypes.js';
import { PACKED } from '../protocol/packedBatch.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { ApplyRejectedError } from './config/configProblem.js';
import { sameSet, type ConfigInput, type PluginConfig } from './config/pluginConfig.js';
import { validateConfig } from './config/validateConfig.js';
import { tcpConnector, type Connector } from './connection/connector.js';
import { DEFAULT_TIMINGS, endpoint, RoleConnection, type ConnectionPhase, type ConnectionTimings } from './connection/roleConnection.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './machine/backoff.js';
import { roleMachine, visibleState, type RoleState } from './machine/roleMachine.js';
import type { PluginRoleOptions, RoleNotice, RoleSnapshot } from './roleTypes.js';
import { CommandDesk, type CommandOrder, type EventToAction } from './commands/commandDesk.js';
import type { CommandEntry } from './securitycenter/commandLog.js';
import { AlarmDelivery } from './securitycenter/alarmDelivery.js';
import { addCustomFields } from './securitycenter/cardholderProperties.js';
import { EventDelivery } from './securitycenter/eventDelivery.js';
import type { SecurityCenter } from './securitycenter/securityCenter.js';
import { LiveSequence } from './sync/liveSequence.js';
import { reconcileAlarmPartitions } from './sync/reconcileAlarms.js';
import { SyncedEntities } from './sync/syncedEntities.js';

export type { PluginRoleOptions, RoleNotice, RoleSnapshot } from './roleTypes.js';

/** R15: the proxy's announcement in its welcome. */
export interface ProxyAnnouncement {
  server: string;
  sdk: string | null;
  diagnosticPort: number | null;
  diagnosticWebPort: number | null;
}

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
  private actor: Actor<typeof roleMachine>;
  private readonly makeActor: () => Actor<typeof roleMachine>;
  /** Config Tool: a deactivated role runs nothing (no connection, no timers) until activated. */
  private isActive = true;
  /** Handshakes completed since the role was created ("the role did not reconnect": 1). */
  private handshakes = 0;
  /** Back-off intervals waited so far (ms), most recent last, bounded. */
  private readonly backoffs: number[] = [];
  private readonly connector: Connector;
  private readonly timings: ConnectionTimings;
  private readonly roleId: string;
  private conn: RoleConnection | undefined;
  private connId = 0;
  private syncId = 0;
  private sync: RunningSync | null = null;
  /** R7: exactly-once processing of the live stream. */
  private live = new LiveSequence();
  private ackedSeq = 0;
  private serverDigest: string | null = null;
  /** R10: alarm triggering and acknowledgements both ways. */
  private readonly alarmDelivery: AlarmDelivery;
  /** R11: custom and native events. */
  private readonly eventDelivery: EventDelivery;
  /** R13: manual-override commands from Security Desk. */
  readonly commands: CommandDesk;
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
    this.entities = new SyncedEntities(name, sc.alarms, options.entityIdPrefix);
    this.alarmDelivery = new AlarmDelivery({
      clock: this.clock,
      monitor: sc.monitor,
      directory: sc.directory,
      requestPrefix: this.roleId,
      alarmFor: (id) => this.entities.alarmFor(id),
      notify: (n) => this.notice(n),
      send: (m) => this.sendWhenConnected(m),
    });
    this.eventDelivery = new EventDelivery({
      clock: this.clock,
      events: sc.events,
      roleName: name,
      customEventFor: (id) => this.entities.customEventFor(id),
      eventTypeName: (id) => this.entities.record('eventTypes', id)?.name,
      scEntityOf: (type, id) => this.entities.firstScEntityOf(type, id),
      notify: (n) => {
        this.notice(n);
        // R13: event-to-actions run when the custom event fires.
        this.commands.eventFired(n.name);
      },
    });
    this.commands = new CommandDesk({
      clock: this.clock,
      roleName: name,
      requestPrefix: this.roleId,
      directory: sc.directory,
      log: sc.commands,
      state: () => this.state,
      find: (ref, type) => this.entities.find(ref, type),
      send: (m) => this.conn?.send(m),
    });
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
    this.makeActor = () => {
      const actor = createActor(machine, { clock: this.clock, input: { backoff } });
      actor.subscribe(() => this.onSnapshot());
      return actor;
    };
    this.actor = this.makeActor();
    this.actor.start();
  }

  // --- Config Tool: the role's lifecycle ----------------------------------------

  get active(): boolean {
    return this.isActive;
  }

  /** Deactivates the role: its connection closes and it runs nothing; SC entities stay. */
  deactivate(): void {
    if (!this.isActive || this.stopped) return;
    // Saved before isActive drops: the config getter reads savedConfig once inactive.
    this.savedConfig = this.config;
    this.isActive = false;
    this.hangUp();
    this.actor.stop();
    this.notice({ kind: 'state', state: this.state, detail: 'deactivated', at: this.clock.now(), error: null });
  }

  /** Activates a deactivated role: a fresh role process with the applied Properties tab (full sync). */
  activate(): void {
    if (this.isActive || this.stopped) return;
    this.isActive = true;
    this.live = new LiveSequence();
    this.lastVisible = '';
    this.actor = this.makeActor();
    this.actor.start();
    if (this.savedConfig) this.apply({ ...this.savedConfig });
  }

  /** Restarts the role (R15 troubleshooting): deactivate, then activate. SC entities keep their ids. */
  restart(): void {
    this.deactivate();
    this.activate();
  }

  /** Deletes the role: stopped for good, and its entities leave Security Center. */
  dispose(): void {
    this.stop();
    this.entities.clear();
  }

  private savedConfig: PluginConfig | null = null;

  /** R15: what the proxy announced at the last handshake, also one refused for its version. */
  private announced: ProxyAnnouncement | null = null;

  /** R15: the proxy's SDK version and diagnostic ports as its last welcome said; null before any. */
  get proxy(): ProxyAnnouncement | null {
    return this.announced;
  }

  // --- Properties tab (R2-R6) -------------------------------------------------

  get config(): PluginConfig | null {
    return this.isActive ? this.actor.getSnapshot().context.config : this.savedConfig;
  }

  /** Handshakes completed since creation. */
  get connections(): number {
    return this.handshakes;
  }

  /** The back-off intervals waited so far (ms). */
  backoffHistory(): readonly number[] {
    return this.backoffs;
  }

  /**
   * R6: validates the whole Properties tab (previous values plus `input`) and
   * applies it, or throws ApplyRejectedError listing every problem with
   * nothing changed.
   */
  apply(input: ConfigInput): PluginConfig {
    if (this.stopped) throw new TestbenchError('ROLE_STOPPED', `role "${this.name}" is stopped`);
    if (!this.isActive) throw new TestbenchError('ROLE_DEACTIVATED', `role "${this.name}" is deactivated: activate it first`);
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
    if (!this.isActive) throw new TestbenchError('ROLE_NOT_READY', `manual sync needs the role "${this.name}" to be ready (it is deactivated)`);
    if (this.state !== 'ready') {
      throw new TestbenchError('ROLE_NOT_READY', `manual sync needs the role "${this.name}" to be ready (it is ${this.state})`);
    }
    this.actor.send({ type: 'MANUAL_SYNC', at: this.clock.now() });
  }

  /**
   * R10: an operator acknowledges an alarm in SC; sent to SiPass now, or on reconnect. Returns
   * false (nothing sent) when the occurrence was already acknowledged.
   */
  acknowledgeAlarm(occurrenceId: string, user: string): boolean {
    if (!this.sc.monitor.has(occurrenceId)) {
      throw new TestbenchError('SC_NO_SUCH_OCCURRENCE', `no alarm occurrence "${occurrenceId}" in the alarm monitor`);
    }
    return this.alarmDelivery.acknowledgeInSc(occurrenceId, user);
  }

  /** R13: an operator runs a manual override (refused with a TestbenchError unless ready and privileged). */
  runCommand(order: CommandOrder): CommandEntry {
    return this.commands.run(order);
  }

  /** R13: an event-to-action configured in Security Center. */
  addEventToAction(rule: EventToAction): void {
    this.commands.addEventToAction(rule);
  }

  /** Sends when the handshake is done (syncing or ready); false otherwise (the caller keeps it). */
  private sendWhenConnected(m: Message): boolean {
    if (!this.conn || (this.state !== 'ready' && this.state !== 'syncing')) return false;
    this.conn.send(m);
    return true;
  }

  get state(): RoleState {
    // A deactivated role runs nothing: it shows as not configured (detail "deactivated").
    if (!this.isActive) return 'unconfigured';
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
      lastSeq: this.live.lastSeq,
      pendingScAcks: this.alarmDelivery.pendingCount,
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
      { t: 'hello', v: PROTOCOL_VERSION, roleId: this.roleId, roleName: this.name, epoch: this.live.epoch, lastSeq: this.live.lastSeq, batchEncodings: [PACKED] },
      this.clock,
      this.connector,
      this.timings,
      {
        admit: (w) => {
          if (id === this.connId) this.announced = { server: w.server, sdk: w.sdk ?? null, diagnosticPort: w.diagnosticPort ?? null, diagnosticWebPort: w.diagnosticWebPort ?? null };
          return versionProblem(w.sdk, this.sc.version);
        },
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
    this.commands.connectionLost();
    this.retire();
    this.conn = undefined;
    this.sync = null;
    this.notice({ kind: 'error', error });
    const at = this.clock.now();
    if (phase === 'open') this.actor.send({ type: 'CONNECTION_LOST', at, error });
    else this.actor.send({ type: 'CONNECT_FAILED', at, error });
    const next = this.actor.getSnapshot().context.nextRetryAt;
    if (next !== null && next > at) {
      this.backoffs.push(next - at);
      if (this.backoffs.length > 1000) this.backoffs.shift();
    }
  }

  private onWelcome(w: Welcome): void {
    this.resyncAfterSync = false;
    this.handshakes++;
    this.live.welcome(w.epoch, w.seq);
    this.actor.send({ type: 'CONNECTED', at: this.clock.now() });
    // R10: SC acknowledgements made while disconnected go out now, once each.
    this.alarmDelivery.resendPending((m) => this.conn?.send(m));
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
        return this.alarmDelivery.stillActive(m.occurrences);
      case 'scAckResult':
        return this.alarmDelivery.confirmed(m.requestId);
      case 'commandResult':
        return this.commands.answered(m);
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

  private onLive(m: LiveMessage): void {
    // Exactly once: a replayed or duplicated message is dropped, an overtaken one still taken.
    if (!this.live.mark(m.seq)) return;
    const config = this.config;
    switch (m.t) {
      case 'change': {
        if (!config) return;
        // A change overtaken on the wire by a later change of the same entity is stale: skip it.
        if (!this.live.takeChange(`${m.type}:${m.id}`, m.seq)) return;
        if (m.op === 'delete') this.entities.delete(m.type, m.id);
        else if (m.entity) this.upsert(m.type, m.entity, config);
        return;
      }
      case 'alarm':
        return this.alarmDelivery.raised(m.occurrenceId, m.alarmClassId);
      case 'alarmAck':
        return this.alarmDelivery.acknowledgedInSiPass(m.occurrenceId, m.by);
      case 'alarmClear':
        return;
      case 'event':
        return this.eventDelivery.fire(m);
    }
  }

  private upsert(type: SiPassType, record: SiPassRecord, config: PluginConfig): void {
    const created = this.entities.ops.creates;
    this.entities.upsert(type, record, config);
    // R14: custom fields are created in SC automatically, named after the SiPass field.
    if (type === 'cardholders') addCustomFields(record, this.sc.customFields);
    // TEST-ONLY injected bug (R4): a new alarm entity aliases the role's list instead of a copy.
    if (this.options.faultInjection?.shareRecipientList && type === 'alarmClasses' && this.entities.ops.creates > created) {
      const alarm = this.entities.alarmFor(record.id);
      if (alarm) alarm.recipients = this.sharedRecipients;
    }
  }

  private flushAck(): void {
    if (this.live.lastSeq > this.ackedSeq && this.conn) {
      this.ackedSeq = this.live.lastSeq;
      this.conn.send({ t: 'ack', seq: this.live.lastSeq });
    }
  }
}

/**
 * R15: the proxy's SDK must be the same version as Security Center (major.minor compared): a
 * mismatch is a named failure, never a half sync. A proxy that announces no version is taken as is.
 */
export function versionProblem(sdk: string | undefined, scVersion: string): { code: string; message: string } | null {
  if (sdk === undefined) return null;
  const mm = (v: string): string => v.trim().split('.').slice(0, 2).join('.');
  if (mm(sdk) === mm(scVersion)) return null;
  return { code: 'ROLE_VERSION_INCOMPATIBLE', message: `version incompatibility: SiPass proxy SDK ${sdk}, Security Center ${scVersion} (they must be the same version)` };
}

function detailOf(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') return value;
  return Object.entries(value).map(([k, v]) => `${k}.${String(v)}`)[0] ?? '';
}
