import { BoundedLog } from '../../core/boundedLog.js';
import type { LiveMessage, Message } from '../../protocol/messages.js';
import { SIPASS_TYPES, type SiPassType } from '../../protocol/sipassTypes.js';
import { FAULT_NAMES, FAULTS } from '../faults/index.js';
import type { SessionInfo } from '../serverSession.js';
import type { ServerEvent, SiPassServer, WireEvent } from '../sipassServer.js';
import type { DiagnosticsChoices, DiagnosticsSnapshot, LiveLine, RoleView, RoleViewState, SyncView, TypeProgressView, WireLine } from './diagnosticsSnapshot.js';

export interface DiagnosticsModelOptions {
  /** Lines kept in the wire tail and in the alarms/events tail. */
  tail?: number;
  /** Closed connections kept. */
  closed?: number;
}

/** A wire message as captured: small, so that a tail of batches does not retain their entities. */
interface Captured {
  at: number;
  session: number;
  direction: 'in' | 'out';
  message: Message | { t: 'batch'; id: number; type: SiPassType; n: number };
}

/**
 * Observes a SiPassServer (its `event` and `wire` events and `stats()`) and
 * builds the diagnostic page's snapshot. It reaches into nothing: what a
 * role is doing is what the server saw on the wire. Capturing an event is an
 * allocation and a push; the text of a line is made only when a snapshot is
 * built (at most a few times a second), so a large sync pays next to nothing.
 */
export class DiagnosticsModel {
  private readonly wire: BoundedLog<Captured>;
  private readonly live: BoundedLog<{ at: number; message: LiveMessage }>;
  private readonly closed: BoundedLog<RoleView>;
  private readonly onEvent = (e: ServerEvent): void => this.event(e);
  private readonly onWire = (e: WireEvent): void => this.capture(e);
  /** Bumped by every observed change: a pusher compares it to decide whether to push. */
  version = 0;

  constructor(
    private readonly server: SiPassServer,
    options: DiagnosticsModelOptions = {},
  ) {
    const tail = options.tail ?? 100;
    this.wire = new BoundedLog(tail);
    this.live = new BoundedLog(tail);
    this.closed = new BoundedLog(options.closed ?? 20);
    server.on('event', this.onEvent);
    server.on('wire', this.onWire);
  }

  /** Stops observing (the server emits wire events only while observed). */
  dispose(): void {
    this.server.off('event', this.onEvent);
    this.server.off('wire', this.onWire);
  }

  /** Something the page shows changed outside the server's events (a fault added or cleared). */
  touch(): void {
    this.version++;
  }

  private capture(e: WireEvent): void {
    const m = e.message;
    const message = m.t === 'batch' ? { t: 'batch' as const, id: m.id, type: m.type, n: m.items.length } : m;
    this.wire.push({ at: this.server.clock.now(), session: e.session, direction: e.direction, message });
    this.version++;
  }

  private event(e: ServerEvent): void {
    if (e.kind === 'live') this.live.push({ at: this.server.clock.now(), message: e.message });
    else if (e.kind === 'closed' && e.info) {
      this.closed.push({ ...roleView(e.info, this.server.clock.now()), state: 'closed', closeReason: e.reason, closedAt: this.server.clock.now() });
    }
    this.version++;
  }

  snapshot(): DiagnosticsSnapshot {
    const s = this.server;
    const now = s.clock.now();
    const stats = s.stats();
    const totals = s.site.totals();
    return {
      at: now,
      server: {
        name: s.name,
        host: stats.host,
        port: stats.port,
        listening: stats.listening,
        blocked: stats.blocked,
        epoch: s.epoch,
        seq: stats.seq,
        connections: stats.connections,
        framesOut: stats.framesOut,
        bytesOut: stats.bytesOut,
        bytesIn: stats.bytesIn,
        syncRate: s.syncRate,
      },
      site: { name: s.site.name, seed: s.site.seed, total: s.site.total(), totals: { ...totals }, activeAlarms: stats.activeAlarms },
      roles: stats.sessions.map((info) => roleView(info, now)),
      closed: [...this.closed.list()].reverse(),
      faults: s.faultsInForce(),
      wire: this.wire.list().map(wireLine),
      live: this.live.list().map(({ at, message }) => liveLine(at, message)),
    };
  }

  /** The controls' choices: fault names with their options, the site's alarm classes and event types (the first `limit`). */
  choices(limit = 200): DiagnosticsChoices {
    const first = (type: SiPassType): string[] => {
      const ids: string[] = [];
      for (const r of this.server.site.entities(type)) {
        if (ids.length >= limit) break;
        ids.push(r.id);
      }
      return ids;
    };
    return {
      faults: FAULT_NAMES.map((name) => ({ name, usage: FAULTS[name].usage, summary: FAULTS[name].summary })),
      alarmClasses: first('alarmClasses'),
      eventTypes: first('eventTypes'),
    };
  }
}

function stateOf(info: SessionInfo): RoleViewState {
  if (info.state === 'closed') return 'closed';
  if (info.state === 'hello') return 'handshake';
  if (info.syncing) return 'syncing';
  return info.synced ? 'ready' : 'connected';
}

/** Entities per second over `ms`, or null when nothing can be said yet. */
function rateOf(done: number, ms: number): number | null {
  return done > 0 && ms > 0 ? (done * 1000) / ms : null;
}

function etaOf(left: number, rate: number | null): number | null {
  return rate !== null && rate > 0 ? Math.round((left / rate) * 1000) : null;
}

function syncView(info: SessionInfo, now: number): SyncView | null {
  const p = info.sync;
  if (!p) return null;
  const end = p.endedAt ?? now;
  const types: TypeProgressView[] = [];
  let done = 0;
  let total = 0;
  for (const type of SIPASS_TYPES) {
    const t = p.totals[type];
    if (t === undefined) continue;
    const sent = p.sent[type] ?? 0;
    const started = p.typeStartedAt[type];
    const ended = p.typeEndedAt[type];
    const rate = started === undefined ? null : rateOf(sent, (ended ?? now) - started);
    const state = ended !== undefined ? 'done' : started !== undefined ? 'streaming' : 'pending';
    types.push({ type, done: sent, total: t, state, rate, etaMs: state === 'streaming' ? etaOf(t - sent, rate) : null });
    done += sent;
    total += t;
  }
  const rate = rateOf(done, end - p.startedAt);
  const ended = p.endedAt !== undefined;
  // A sync cut short (the connection closed mid-stream) has no ETA: it will not finish.
  const streaming = !ended && info.syncing;
  return { id: p.id, mode: p.mode, done, total, rate, etaMs: streaming ? etaOf(total - done, rate) : null, ended, elapsedMs: end - p.startedAt, types };
}

function roleView(info: SessionInfo, now: number): RoleView {
  return {
    session: info.id,
    roleName: info.roleName,
    roleId: info.roleId,
    remote: info.remote,
    state: stateOf(info),
    sync: syncView(info, now),
    lastError: info.lastError ?? null,
    faults: info.faults,
    ackedSeq: info.ackedSeq,
    framesOut: info.framesOut,
    bytesOut: info.bytesOut,
    closeReason: null,
    closedAt: null,
  };
}

const MAX_TEXT = 240;

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

function wireLine(c: Captured): WireLine {
  const m = c.message;
  let text: string;
  if (m.t === 'batch' && 'n' in m) text = `sync ${m.id}: ${m.n} ${m.type}`;
  else {
    const { t: _t, ...fields } = m;
    text = clip(JSON.stringify(fields));
  }
  return { at: c.at, session: c.session, direction: c.direction, t: m.t, text };
}

function liveLine(at: number, m: LiveMessage): LiveLine {
  let text: string;
  switch (m.t) {
    case 'alarm':
      text = `alarm ${m.occurrenceId} raised (class ${m.alarmClassId})`;
      break;
    case 'alarmAck':
      text = `alarm ${m.occurrenceId} acknowledged by ${m.by}`;
      break;
    case 'alarmClear':
      text = `alarm ${m.occurrenceId} cleared`;
      break;
    case 'event':
      text = `event ${m.eventId} (type ${m.eventTypeId}) from ${m.source}`;
      break;
    case 'change':
      text = `${m.type} ${m.id} ${m.op === 'add' ? 'added' : m.op === 'update' ? 'updated' : 'deleted'}`;
      break;
  }
  return { at, seq: m.seq, t: m.t, text };
}
