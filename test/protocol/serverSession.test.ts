import t from 'tap';
import { SimulatedClock } from '../../core/clock.js';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { ErrorMessage, Hello, Message } from '../../protocol/messages.js';
import { ProtocolError } from '../../protocol/protocolError.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import { HEADER_SIZE, PROTOCOL_VERSION } from '../../protocol/version.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { SiPassServer, type ServerEvent } from '../../simulator/sipassServer.js';
import { duplexPair, type DuplexEnd } from '../helpers/duplexPair.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

/** The role's end of an in-memory connection: decodes what the server sends. */
class Peer {
  readonly messages: Message[] = [];
  readonly decoder = new FrameDecoder();
  decodeError: ProtocolError | undefined;
  ended = false;
  readonly done: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(readonly stream: DuplexEnd) {
    stream.on('data', (chunk: Buffer) => {
      try {
        this.messages.push(...this.decoder.push(chunk));
      } catch (e) {
        this.decodeError = e as ProtocolError;
      }
      this.wake();
    });
    this.done = new Promise((resolve) => {
      stream.on('end', () => {
        this.ended = true;
        this.decodeError ??= this.decoder.end();
        this.wake();
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(m: Message): void {
    this.stream.write(encodeMessage(m));
  }

  sendRaw(bytes: Buffer | string): void {
    this.stream.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Resolves with the first message (at or after `from`) matching `pred`; rejects if the stream ends first. */
  async waitFor<M extends Message>(pred: (m: Message) => m is M, from = 0): Promise<M> {
    for (;;) {
      const found = this.messages.slice(from).find(pred);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended before the expected message; got ${JSON.stringify(this.messages.map((m) => m.t))}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const isType =
  <T extends Message['t']>(type: T) =>
  (m: Message): m is Extract<Message, { t: T }> =>
    m.t === type;

function hello(over: Partial<Hello> = {}): Hello {
  return { t: 'hello', v: PROTOCOL_VERSION, roleId: 'role-test', roleName: 'Test role', epoch: '', lastSeq: 0, ...over };
}

function makeServer(population: PopulationSpec = {}, batchSize = 500): { server: SiPassServer; events: ServerEvent[] } {
  const server = new SiPassServer({ population, clock: new SimulatedClock(1_000), epoch: 'e-test', batchSize, name: 'test server' });
  const events: ServerEvent[] = [];
  server.on('event', (e: ServerEvent) => events.push(e));
  return { server, events };
}

function connect(server: SiPassServer, highWaterMark?: number): { peer: Peer; session: ReturnType<SiPassServer['attach']> } {
  const [serverEnd, roleEnd] = duplexPair(highWaterMark !== undefined ? { highWaterMark } : {});
  const session = server.attach(serverEnd);
  return { peer: new Peer(roleEnd), session };
}

async function open(server: SiPassServer): Promise<Peer> {
  const { peer } = connect(server);
  peer.send(hello());
  await peer.waitFor(isType('welcome'));
  return peer;
}

async function expectFatal(t: TapTest, peer: Peer, code: string): Promise<ErrorMessage> {
  await peer.done;
  t.ok(peer.ended, 'the server ended the stream');
  t.equal(peer.decodeError, undefined, 'the server sent whole, well-formed frames');
  const last = peer.messages.at(-1);
  t.equal(last?.t, 'error', 'the last frame is an error');
  const err = last as ErrorMessage;
  t.equal(err.code, code);
  t.equal(err.fatal, true, 'the error is fatal');
  t.type(err.message, 'string');
  return err;
}

void t.test('hello and welcome', async (t) => {
  const { server } = makeServer({ name: 'Site under test' });
  const { peer, session } = connect(server);
  t.equal(session.info().state, 'hello');
  peer.send(hello({ roleName: 'Role A', roleId: 'A' }));
  const w = await peer.waitFor(isType('welcome'));
  // sdk: the documented default (docs/protocol.md, R15), written out: a changed default must fail here.
  t.strictSame(w, { t: 'welcome', v: PROTOCOL_VERSION, server: 'test server', site: 'Site under test', epoch: 'e-test', seq: 0, sdk: '5.12', diagnosticPort: 4523, diagnosticWebPort: 6024 });
  t.equal(session.info().state, 'open');
  t.equal(session.info().roleName, 'Role A');
  t.equal(session.info().roleId, 'A');
  await server.stop();
});

void t.test('a hello with a wrong version gets PROTO_VERSION_MISMATCH and the stream ends', async (t) => {
  const { server, events } = makeServer();
  const { peer, session } = connect(server);
  peer.send(hello({ v: PROTOCOL_VERSION + 1 }));
  const err = await expectFatal(t, peer, 'PROTO_VERSION_MISMATCH');
  t.match(err.message, String(PROTOCOL_VERSION + 1), 'the message names the version the role sent');
  t.equal(peer.messages.length, 1, 'nothing but the error (no welcome)');
  t.notOk(session.isOpen);
  t.equal(server.stats().connections, 0, 'the session is gone from the server');
  t.match(events, [{ kind: 'closed', session: session.id, reason: /PROTO_VERSION_MISMATCH/ }]);
});

void t.test('a first message that is not hello gets PROTO_UNEXPECTED', async (t) => {
  for (const first of [{ t: 'ping', n: 1 }, { t: 'syncRequest', id: 1, mode: 'full', types: ['units'] }, { t: 'welcome', v: 1, server: 's', site: 's', epoch: '', seq: 0 }] as Message[]) {
    const { server } = makeServer({ units: 2 });
    const { peer } = connect(server);
    peer.send(first);
    const err = await expectFatal(t, peer, 'PROTO_UNEXPECTED');
    t.match(err.message, first.t);
    t.equal(peer.messages.length, 1, `${first.t}: nothing but the error`);
  }
});

void t.test('a message only the server sends is PROTO_UNEXPECTED after the handshake too', async (t) => {
  const { server } = makeServer();
  const peer = await open(server);
  peer.send({ t: 'batch', id: 1, type: 'units', items: [] });
  await expectFatal(t, peer, 'PROTO_UNEXPECTED');
});

void t.test('garbage closes that session only; the server and other sessions keep working', async (t) => {
  const { server } = makeServer({ units: 3 });
  const other = await open(server);
  t.equal(server.stats().connections, 1);

  const garbage = await open(server);
  t.equal(server.stats().connections, 2);
  garbage.sendRaw('\u0000\u0001 definitely not a frame');
  const err = await expectFatal(t, garbage, 'PROTO_BAD_MAGIC');
  t.match(err.message, /at byte \d+/, 'the error names the stream offset');
  t.equal(server.stats().connections, 1, 'only the bad session closed');

  const http = connect(server).peer;
  http.sendRaw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await expectFatal(t, http, 'PROTO_FOREIGN_PROTOCOL');

  const oversize = connect(server).peer;
  oversize.sendRaw(Buffer.from([0x53, 0x50, 0xff, 0xff, 0xff, 0xff]));
  await expectFatal(t, oversize, 'PROTO_FRAME_TOO_LARGE');

  const badJson = await open(server);
  const payload = Buffer.from('{"t":"ping",');
  const header = Buffer.from([0x53, 0x50, 0, 0, 0, 0]);
  header.writeUInt32BE(payload.length, 2);
  badJson.sendRaw(Buffer.concat([header, payload]));
  await expectFatal(t, badJson, 'PROTO_BAD_JSON');

  // The session opened before the garbage still answers.
  const before = other.messages.length;
  other.send({ t: 'ping', n: 11 });
  t.strictSame(await other.waitFor(isType('pong'), before), { t: 'pong', n: 11 }, 'the earlier session still works');
  // And a new session works from the start.
  const fresh = await open(server);
  fresh.send({ t: 'ping', n: 12 });
  t.strictSame(await fresh.waitFor(isType('pong')), { t: 'pong', n: 12 }, 'a new session works');
  t.equal(server.stats().connections, 2);
  t.notOk(other.ended);
  await server.stop();
  await other.done;
  t.ok(other.ended, 'stopping the server ends every session');
});

void t.test('ping gets pong with the same n, whatever the chunking', async (t) => {
  const { server } = makeServer();
  const peer = await open(server);
  const frames = Buffer.concat([1, 2, 3].map((n) => encodeMessage({ t: 'ping', n })));
  for (let i = 0; i < frames.length; i++) peer.sendRaw(frames.subarray(i, i + 1));
  await peer.waitFor((m): m is Message => m.t === 'pong' && m.n === 3);
  t.strictSame(
    peer.messages.filter((m) => m.t === 'pong'),
    [1, 2, 3].map((n) => ({ t: 'pong', n })),
  );
  await server.stop();
});

void t.test('a full sync: syncBegin totals, batches, syncEnd with a digest of what was sent', async (t) => {
  const population: PopulationSpec = {
    seed: 42,
    alarmClasses: 3,
    cardholders: 25,
    workgroups: 4,
    credentials: 31,
    doorsets: 7,
    eventTypes: 13,
    units: [
      { id: 'UN-X1', name: 'Explicit unit', address: 'FLN-9.1' },
      { id: 'UN-X2', name: 'Ünïcode ✓ unit', address: null },
    ],
  };
  const batchSize = 4;
  const { server } = makeServer(population, batchSize);
  // A small high-water mark, so the server has to wait for 'drain' (backpressure).
  const { peer } = connect(server, 512);
  peer.send(hello());
  await peer.waitFor(isType('welcome'));
  const occurrenceId = server.raiseAlarm('AC-2');

  // Every type but credentials (credential sync off), in a scrambled order; banks are empty.
  const requested: SiPassType[] = ['units', 'cardholders', 'banks', 'alarmClasses', 'workgroups', 'doorsets', 'eventTypes', 'areas', 'apbAreas'];
  const start = peer.messages.length;
  peer.send({ t: 'syncRequest', id: 9, mode: 'full', types: requested });
  const end = await peer.waitFor(isType('syncEnd'), start);
  const alarms = await peer.waitFor(isType('activeAlarms'), start);
  const live = await peer.waitFor(isType('alarm'), start);
  const received = peer.messages.slice(start);

  const begin = received[0];
  t.equal(begin?.t, 'syncBegin', 'the sync starts with syncBegin');
  if (begin?.t !== 'syncBegin') return;
  t.equal(begin.id, 9);
  const expectedTotals = Object.fromEntries(SIPASS_TYPES.filter((ty) => requested.includes(ty)).map((ty) => [ty, server.site.count(ty)]));
  t.strictSame(begin.totals, expectedTotals, 'totals: every requested type, as counted by the site');
  t.notOk('credentials' in begin.totals, 'an unrequested type is not synced');
  t.equal(begin.totals.banks, 0);

  const endIndex = received.indexOf(end);
  const batches = received.slice(1, endIndex);
  t.ok(batches.length > 10, `several batches (${batches.length})`);
  t.ok(
    batches.every((b) => b.t === 'batch' && b.id === 9 && b.items.length >= 1 && b.items.length <= batchSize),
    'between syncBegin and syncEnd only batches of this sync, 1..batchSize items each',
  );

  const digest = new SiteDigest();
  const seen = new Map<SiPassType, SiPassRecord[]>();
  const typeOrder: SiPassType[] = [];
  for (const b of batches) {
    if (b.t !== 'batch') continue;
    if (typeOrder.at(-1) !== b.type) typeOrder.push(b.type);
    for (const r of b.items) {
      digest.add(b.type, r);
      seen.set(b.type, [...(seen.get(b.type) ?? []), r]);
    }
  }
  t.equal(new Set(typeOrder).size, typeOrder.length, 'the batches of one type are contiguous');
  t.notOk(seen.has('banks'), 'an empty type sends no batch');

  t.equal(end.id, 9);
  t.equal(end.digest, digest.toString(), 'syncEnd.digest equals the digest of the received items');
  t.strictSame(
    end.counts,
    Object.fromEntries(Object.keys(expectedTotals).map((ty) => [ty, seen.get(ty as SiPassType)?.length ?? 0])),
    'syncEnd.counts are the numbers of items received per type',
  );
  t.strictSame(end.counts, begin.totals, 'and equal the announced totals');

  // The received entities are the site's.
  for (const ty of Object.keys(expectedTotals) as SiPassType[]) {
    t.strictSame(seen.get(ty) ?? [], [...server.site.entities(ty)], `${ty}: the site's entities, in the site's order`);
  }
  t.equal(new Set(seen.get('cardholders')?.map((r) => r.id)).size, 25, 'ids are unique within a type');

  // After the first sync of a connection: the active alarms, then what happened meanwhile (once).
  t.ok(received.indexOf(alarms) > endIndex, 'activeAlarms comes after syncEnd');
  t.strictSame(alarms.occurrences, [{ occurrenceId, alarmClassId: 'AC-2', at: 1_000, acknowledged: false }]);
  t.ok(received.indexOf(live) > received.indexOf(alarms), 'the alarm raised during the handshake follows, live');
  t.equal(live.seq, 1);
  t.equal(received.filter((m) => m.t === 'alarm').length, 1, 'exactly once');
  await server.stop();
});

void t.test('an SC acknowledgement is taken once per requestId', async (t) => {
  const { server } = makeServer({ alarmClasses: 1 });
  const peer = await open(server);
  peer.send({ t: 'syncRequest', id: 1, mode: 'full', types: ['alarmClasses'] });
  await peer.waitFor(isType('activeAlarms'));
  const occ = server.raiseAlarm('AC-1');
  await peer.waitFor(isType('alarm'));
  peer.send({ t: 'scAck', requestId: 'r-1', occurrenceId: occ, user: 'operator' });
  peer.send({ t: 'scAck', requestId: 'r-1', occurrenceId: occ, user: 'operator' });
  peer.send({ t: 'scAck', requestId: 'r-2', occurrenceId: 'OCC-404', user: 'operator' });
  peer.send({ t: 'ping', n: 99 });
  await peer.waitFor((m): m is Message => m.t === 'pong' && m.n === 99);
  const results = peer.messages.filter((m) => m.t === 'scAckResult');
  t.match(results, [
    { requestId: 'r-1', ok: true },
    { requestId: 'r-1', ok: true },
    { requestId: 'r-2', ok: false, reason: /OCC-404/ },
  ]);
  t.equal(peer.messages.filter((m) => m.t === 'alarmAck').length, 1, 'one alarmAck goes out live');
  t.equal(server.scAcknowledgements.length, 2, 'the repeated request is not recorded twice');
  t.equal(server.alarms.get(occ)?.acknowledged, true);
  await server.stop();
});

void t.test('batches go packed only to a role whose hello asks for it; both decode to the same sync', async (t) => {
  const population: PopulationSpec = { seed: 7, cardholders: 9, credentials: 5, units: [{ id: 'UN-X1', name: 'Ünïcode ✓ unit', address: null }, { id: 'UN-X2', name: 'Odd \u007f unit', address: 'FLN-1.1' }] };
  const { server } = makeServer(population, 4);
  const runSync = async (over: Partial<Hello>): Promise<{ wire: Array<Record<string, unknown>>; batches: Message[] }> => {
    const { peer } = connect(server);
    const raw: Buffer[] = [];
    peer.stream.on('data', (chunk: Buffer) => raw.push(chunk));
    peer.send(hello(over));
    await peer.waitFor(isType('welcome'));
    const start = peer.messages.length;
    peer.send({ t: 'syncRequest', id: 2, mode: 'full', types: ['cardholders', 'credentials', 'units'] });
    await peer.waitFor(isType('syncEnd'), start);
    const bytes = Buffer.concat(raw);
    const wire: Array<Record<string, unknown>> = [];
    for (let pos = 0; pos < bytes.length; ) {
      const len = bytes.readUInt32BE(pos + 2);
      wire.push(JSON.parse(bytes.toString('utf8', pos + HEADER_SIZE, pos + HEADER_SIZE + len)) as Record<string, unknown>);
      pos += HEADER_SIZE + len;
    }
    return { wire: wire.filter((m) => m.t === 'batch'), batches: peer.messages.filter((m) => m.t === 'batch') };
  };
  const plain = await runSync({});
  const packed = await runSync({ batchEncodings: ['other', 'packed'] });
  t.ok(plain.wire.length >= 5 && plain.wire.every((m) => Array.isArray(m.items) && m.values === undefined), 'without batchEncodings: items only');
  const forms = packed.wire.map((m) => (typeof m.values === 'string' ? 'packed' : 'items'));
  // The unit batch holds a name with the separator (DEL) in it: that batch alone goes as items.
  t.strictSame(forms, plain.wire.map((m) => ((m.items as SiPassRecord[]).some((r) => r.name.includes('\u007f')) ? 'items' : 'packed')), 'with it: every batch packed but the one that cannot be');
  t.ok(forms.includes('items') && forms.filter((f) => f === 'packed').length >= 4, `both forms seen (${forms.join(',')})`);
  t.strictSame(packed.batches, plain.batches, 'the role decodes the same batches either way');
  await server.stop();
});
