// Property (R7, R9, R10): what the role puts on the wire, model-based (fc.commands) against a
// hand-driven SiPass peer in memory (test/helpers/scriptedPeer.ts; no socket, simulated clock).
//
// The peer emits live messages (changes, alarms, SiPass acknowledgements, clears) in chunks, in
// any order, holding some back (overtaken on the wire) and repeating others; drops the
// connection and comes back in the same server life or a new one (epoch); answers or leaves
// the role's syncs; confirms SC acknowledgements. Operators acknowledge alarms in SC in every
// role state (connecting, syncing, ready). After every command the role's wire output on the
// current connection must be exactly what the model says: the hello (epoch, last contiguous
// sequence), the sync requests (id, mode, types), one ack per chunk that moved the contiguous
// mark (and none otherwise), each SC acknowledgement once when connected and once more on each
// new connection until confirmed; and its state, lastSeq, pending acknowledgements and the
// entities' values (a change overtaken by a later change of the same entity is skipped, within
// one server life).
import fc from 'fast-check';
import t from 'tap';
import type { Hello, LiveMessage, Message } from '../../protocol/messages.js';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import { fcAssert } from '../helpers/fcRun.js';
import { ScriptedPeer } from '../helpers/scriptedPeer.js';

const UNITS = ['UN-1', 'UN-2'] as const;
const USERS = ['alice', 'bob'] as const;
type Kind = 'change' | 'alarm' | 'sipassAck' | 'event' | 'clear';

interface Model {
  state: 'connecting' | 'syncing' | 'ready';
  /** The server's life (epoch `life-N`), its last emitted sequence number and this life's messages. */
  life: number;
  serverSeq: number;
  emitted: Map<number, LiveMessage>;
  /** The server's current value of each unit (latest emitted change). */
  truth: Map<string, string>;
  /** Emitted on the current connection, not delivered yet (overtaken on the wire). */
  held: number[];
  /** The role, as R7 says it must be. */
  roleEpoch: string;
  mark: number;
  ahead: Set<number>;
  changeSeq: Map<string, number>;
  names: Map<string, string>;
  /** On the current connection: what the role must have sent. */
  hello: Hello | null;
  acks: number[];
  ackedMark: number;
  syncRequests: Array<{ id: number; mode: 'full' | 'manual' }>;
  scAcks: Array<{ requestId: string; occurrenceId: string; user: string }>;
  syncId: number;
  /** R10: occurrences in the SC monitor, those acknowledged (either side), SC acks not confirmed. */
  occurrences: string[];
  acked: Set<string>;
  pending: Map<string, { occurrenceId: string; user: string }>;
  nextAck: number;
  /** R11: custom events fired in SC (each live event exactly once). */
  events: string[];
}

interface Real {
  p: ScriptedPeer;
}

const epochOf = (life: number): string => `life-${life}`;

/** R7 as the model sees it: exactly once by sequence number, stale changes skipped. */
function deliver(m: Model, seqs: readonly number[]): void {
  for (const seq of seqs) {
    if (seq <= m.mark || m.ahead.has(seq)) continue;
    if (seq === m.mark + 1) {
      m.mark = seq;
      while (m.ahead.delete(m.mark + 1)) m.mark++;
    } else m.ahead.add(seq);
    const msg = m.emitted.get(seq);
    if (!msg) throw new Error(`model: seq ${seq} was never emitted`);
    if (msg.t === 'change') {
      if ((m.changeSeq.get(msg.id) ?? 0) > seq) continue;
      m.changeSeq.set(msg.id, seq);
      m.names.set(msg.id, String(msg.entity?.name));
    } else if (msg.t === 'alarm') {
      if (!m.occurrences.includes(msg.occurrenceId)) m.occurrences.push(msg.occurrenceId);
    } else if (msg.t === 'alarmAck') {
      if (m.occurrences.includes(msg.occurrenceId)) m.acked.add(msg.occurrenceId);
    } else if (msg.t === 'event') m.events.push(msg.eventId);
  }
  // One ack per chunk, only when the contiguous mark moved (R7: coalesced acks).
  if (m.mark > m.ackedMark) {
    m.acks.push(m.mark);
    m.ackedMark = m.mark;
  }
}

function emit(m: Model, kind: Kind): number {
  const seq = ++m.serverSeq;
  const pickOcc = m.occurrences[seq % Math.max(1, m.occurrences.length)];
  let msg: LiveMessage;
  if (kind === 'change') {
    const id = UNITS[seq % UNITS.length] as string;
    const name = `${epochOf(m.life)} seq ${seq}`;
    m.truth.set(id, name);
    msg = { t: 'change', seq, op: 'update', type: 'units', id, entity: { id, name, address: 1 } };
  } else if (kind === 'alarm') msg = { t: 'alarm', seq, occurrenceId: `O-${m.life}-${seq}`, alarmClassId: 'AC-1', at: 0 };
  else if (kind === 'event') msg = { t: 'event', seq, eventId: `E-${m.life}-${seq}`, eventTypeId: 'ET-1', at: 0, source: 'Front door' };
  else if (kind === 'sipassAck' && pickOcc) msg = { t: 'alarmAck', seq, occurrenceId: pickOcc, by: 'sipass-op' };
  else msg = { t: 'alarmClear', seq, occurrenceId: `O-${m.life}-${seq}` };
  m.emitted.set(seq, msg);
  return seq;
}

function sameJson(what: string, got: unknown, want: unknown): void {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what}: the role has ${g}, the model says ${w}`);
}

/** The role against the model, after every command. */
function check(m: Model, { p }: Real): void {
  const s = p.role.snapshot();
  sameJson('state', s.state, m.state);
  sameJson('lastSeq', s.lastSeq, m.mark);
  sameJson('pending SC acknowledgements', s.pendingScAcks, m.pending.size);
  sameJson('hello', p.sent('hello'), m.hello ? [m.hello] : []);
  sameJson('acks on this connection', p.sent('ack').map((a) => a.seq), m.acks);
  sameJson('SC acknowledgements on this connection', p.sent('scAck').map(({ requestId, occurrenceId, user }) => ({ requestId, occurrenceId, user })), m.scAcks);
  const types = (credentialSync: boolean): string[] => SIPASS_TYPES.filter((ty) => ty !== 'credentials' || credentialSync);
  sameJson('sync requests on this connection', p.sent('syncRequest'), m.syncRequests.map((r) => ({ t: 'syncRequest', id: r.id, mode: r.mode, types: types(false) })));
  sameJson('units', UNITS.map((id) => p.role.entities.record('units', id)?.name), UNITS.map((id) => m.names.get(id)));
  sameJson('events fired in SC', p.sc.events.list().map((e) => e.eventId), m.events);
  sameJson('occurrences in the SC monitor', m.occurrences.map((o) => p.sc.monitor.has(o)), m.occurrences.map(() => true));
}

type Cmd = fc.AsyncCommand<Model, Real>;

/** How often each command ran (printed, so a run that no longer exercises one shows it). */
const ran = new Map<string, number>();
const count = (c: object): void => void ran.set(c.constructor.name, (ran.get(c.constructor.name) ?? 0) + 1);

/** The server emits `kinds` as new live messages: one held back, the rest shuffled, maybe a repeat. */
class Emit implements Cmd {
  constructor(
    readonly kinds: Kind[],
    readonly hold: number | null,
    readonly shuffle: number,
    readonly repeat: boolean,
  ) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const seqs = this.kinds.map((k) => emit(m, k));
    // Not connected: the server keeps them for the replay that follows the next welcome.
    if (m.state === 'connecting') return check(m, r);
    const held = this.hold !== null ? seqs.splice(this.hold % seqs.length, 1) : [];
    m.held.push(...held);
    // A rotation of the chunk: later sequence numbers can come first.
    const k = seqs.length > 0 ? this.shuffle % seqs.length : 0;
    const chunk = [...seqs.slice(k), ...seqs.slice(0, k)];
    // A repeat of something already taken: below the contiguous mark, or held ahead of a gap.
    const delivered = [...m.emitted.keys()].filter((s) => s <= m.mark || m.ahead.has(s));
    if (this.repeat && delivered.length > 0) chunk.unshift(delivered[(this.shuffle * 7) % delivered.length] as number);
    if (chunk.length === 0) return;
    deliver(m, chunk);
    await r.p.send(...chunk.map((s) => m.emitted.get(s) as Message));
    check(m, r);
  }
  toString = (): string => `emit [${this.kinds.join(', ')}] hold ${String(this.hold)} rotate ${this.shuffle}${this.repeat ? ' + a repeat' : ''}`;
}

/** The held-back messages finally arrive (newest first). */
class DeliverHeld implements Cmd {
  check = (m: Readonly<Model>): boolean => m.state !== 'connecting' && m.held.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const chunk = [...m.held].reverse();
    m.held = [];
    deliver(m, chunk);
    await r.p.send(...chunk.map((s) => m.emitted.get(s) as Message));
    check(m, r);
  }
  toString = (): string => 'deliver the held messages';
}

/** The connection drops (a reset, or the server restarting: a new life); the role dials again. */
class Drop implements Cmd {
  constructor(
    readonly newLife: boolean,
    readonly answer: boolean,
  ) {}
  check = (m: Readonly<Model>): boolean => m.state !== 'connecting';
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const n = r.p.connections.length;
    await r.p.hangUp();
    for (let i = 0; i < 50 && r.p.connections.length === n; i++) {
      r.p.clock.advanceToNext();
      await r.p.settle();
    }
    m.state = 'connecting';
    m.held = [];
    if (this.newLife) {
      m.life++;
      m.serverSeq = 0;
      m.emitted.clear();
    }
    // R7: the new connection's hello names the life the role knows and its contiguous mark.
    m.hello = { t: 'hello', v: 1, roleId: 'role-peer', roleName: 'SiPass plugin', epoch: m.roleEpoch, lastSeq: m.mark, batchEncodings: ['packed'] };
    m.acks = [];
    m.ackedMark = 0;
    m.syncRequests = [];
    m.scAcks = [];
    check(m, r);
    if (this.answer) await new Welcome().run(m, r);
  }
  toString = (): string => `${this.newLife ? 'the server restarts (new life)' : 'the connection is reset'}${this.answer ? ', and answers the new hello' : ''}`;
}

/** The server answers the hello: a welcome of its life, then the replay of what the role lacks. */
class Welcome implements Cmd {
  check = (m: Readonly<Model>): boolean => m.state === 'connecting';
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const epoch = epochOf(m.life);
    const helloSeq = m.hello?.lastSeq ?? 0;
    const sameLife = epoch === m.roleEpoch;
    if (!sameLife) {
      m.mark = m.roleEpoch === '' ? m.serverSeq : 0;
      m.ahead.clear();
      m.changeSeq.clear();
      m.roleEpoch = epoch;
    }
    m.state = 'syncing';
    m.syncRequests.push({ id: ++m.syncId, mode: 'full' });
    // R10: every SC acknowledgement not confirmed goes out on the new connection, once.
    for (const [requestId, a] of m.pending) m.scAcks.push({ requestId, ...a });
    deliver(m, []);
    await r.p.send({ t: 'welcome', v: 1, server: 'scripted', site: 'site', epoch, seq: m.serverSeq });
    check(m, r);
    const replay = [...m.emitted.keys()].filter((s) => s > (sameLife ? helloSeq : 0)).sort((a, b) => a - b);
    if (replay.length > 0) {
      deliver(m, replay);
      await r.p.send(...replay.map((s) => m.emitted.get(s) as Message));
      check(m, r);
    }
  }
  toString = (): string => 'welcome (and replay)';
}

/** Ready: an operator asks for a manual sync; syncing: the server completes the sync. */
class SyncStep implements Cmd {
  check = (m: Readonly<Model>): boolean => m.state !== 'connecting';
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    if (m.state === 'ready') {
      r.p.role.manualSync();
      await r.p.settle();
      m.state = 'syncing';
      m.syncRequests.push({ id: ++m.syncId, mode: 'manual' });
    } else {
      await r.p.fullSync(UNITS.filter((id) => m.truth.has(id)).map((id) => ['units', { id, name: m.truth.get(id) as string, address: 1 }]));
      for (const [id, name] of m.truth) m.names.set(id, name);
      m.state = 'ready';
    }
    check(m, r);
  }
  toString = (): string => 'a manual sync, or the server completes the running one';
}

/** An operator acknowledges an alarm in SC (in whatever state the role is). */
class ScAck implements Cmd {
  constructor(
    readonly index: number,
    readonly user: (typeof USERS)[number],
  ) {}
  check = (m: Readonly<Model>): boolean => m.occurrences.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const occ = m.occurrences[this.index % m.occurrences.length] as string;
    const fresh = !m.acked.has(occ);
    const got = r.p.role.acknowledgeAlarm(occ, this.user);
    await r.p.settle();
    sameJson(`acknowledging ${occ}`, got, fresh);
    if (fresh) {
      m.acked.add(occ);
      const requestId = `role-peer-ack-${m.nextAck++}`;
      m.pending.set(requestId, { occurrenceId: occ, user: this.user });
      // Sent at once while connected (syncing or ready), kept while connecting.
      if (m.state !== 'connecting') m.scAcks.push({ requestId, occurrenceId: occ, user: this.user });
    }
    check(m, r);
  }
  toString = (): string => `${this.user} acknowledges occurrence #${this.index} in SC`;
}

/** SiPass confirms an SC acknowledgement it received on this connection. */
class ScAckResult implements Cmd {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>): boolean => m.state !== 'connecting' && m.scAcks.some((a) => m.pending.has(a.requestId));
  async run(m: Model, r: Real): Promise<void> {
    count(this);
    const open = m.scAcks.filter((a) => m.pending.has(a.requestId));
    const a = open[this.index % open.length] as { requestId: string };
    m.pending.delete(a.requestId);
    await r.p.send({ t: 'scAckResult', requestId: a.requestId, ok: true });
    check(m, r);
  }
  toString = (): string => `SiPass confirms SC acknowledgement #${this.index}`;
}

const kinds = fc.array(fc.constantFrom<Kind>('change', 'change', 'alarm', 'alarm', 'sipassAck', 'event', 'clear'), { minLength: 1, maxLength: 4 });
const commands = fc.commands(
  [
    fc.tuple(kinds, fc.option(fc.nat(3), { nil: null }), fc.nat(3), fc.boolean()).map(([k, h, s, rep]) => new Emit(k, h, s, rep)),
    fc.constant(new DeliverHeld()),
    fc.tuple(fc.boolean(), fc.boolean()).map(([life, answer]) => new Drop(life, answer)),
    fc.constant(new Welcome()),
    fc.constant(new SyncStep()),
    fc.constant(new SyncStep()),
    fc.tuple(fc.nat(5), fc.constantFrom(...USERS)).map(([i, u]) => new ScAck(i, u)),
    fc.tuple(fc.nat(5), fc.constantFrom(...USERS)).map(([i, u]) => new ScAck(i, u)),
    fc.nat(3).map((i) => new ScAckResult(i)),
    fc.nat(3).map((i) => new ScAckResult(i)),
  ],
  { maxCommands: 40, size: 'max' },
);

void t.test('the role on the wire follows the model: acks, SC acks, sync requests, hellos, across lives and reorderings', async (t) => {
  let runs = 0;
  await fcAssert(
    t,
    fc.asyncProperty(fc.nat(3), commands, async (startSeq, cmds) => {
      const p = new ScriptedPeer();
      try {
        // A brand-new role meets a server already at `startSeq`: it starts there (R7).
        await p.connect(epochOf(1), startSeq);
        const model: Model = {
          state: 'syncing',
          life: 1,
          serverSeq: startSeq,
          emitted: new Map(),
          truth: new Map(),
          held: [],
          roleEpoch: epochOf(1),
          mark: startSeq,
          ahead: new Set(),
          changeSeq: new Map(),
          names: new Map(),
          hello: { t: 'hello', v: 1, roleId: 'role-peer', roleName: 'SiPass plugin', epoch: '', lastSeq: 0, batchEncodings: ['packed'] },
          acks: startSeq > 0 ? [startSeq] : [],
          ackedMark: startSeq,
          syncRequests: [{ id: 1, mode: 'full' }],
          scAcks: [],
          syncId: 1,
          occurrences: [],
          acked: new Set(),
          pending: new Map(),
          nextAck: 1,
          events: [],
        };
        const real: Real = { p };
        check(model, real);
        // One alarm in the SC monitor from the start, so acknowledgements can happen in any state.
        await new Emit(['alarm'], null, 0, false).run(model, real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        runs++;
      } finally {
        p.stop();
      }
    }),
    { numRuns: 50 },
  );
  t.ok(runs > 0, `${runs} runs passed`);
  t.comment(`commands run: ${[...ran].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const name of ['Emit', 'DeliverHeld', 'Drop', 'Welcome', 'SyncStep', 'ScAck', 'ScAckResult']) t.ok((ran.get(name) ?? 0) > 0, `${name} ran`);
});
