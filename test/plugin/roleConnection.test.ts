// RoleConnection over an in-memory duplex (issue 13). Each test names the break it catches:
// the code was changed that way once and the test failed (docs/testing.md keeps the table).
import type { Duplex } from 'node:stream';
import t from 'tap';
import { SimulatedClock } from '../../core/clock.js';
import type { ErrorInfo } from '../../core/testbenchError.js';
import { DEFAULT_TIMINGS, RoleConnection, type ConnectionPhase } from '../../plugin/connection/roleConnection.js';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { Hello, Message } from '../../protocol/messages.js';
import { duplexPair, type DuplexEnd } from '../helpers/duplexPair.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await turn();
};

const HELLO: Hello = { t: 'hello', v: 1, roleId: 'r', roleName: 'R', epoch: '', lastSeq: 0 };
const WELCOME: Message = { t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e1', seq: 0 };

interface Harness {
  clock: SimulatedClock;
  conn: RoleConnection;
  roleEnd: DuplexEnd;
  peer: DuplexEnd;
  /** What the role wrote, decoded. */
  fromRole: Message[];
  messages: Message[];
  welcomes: number;
  chunks: number;
  closed: Array<{ error: ErrorInfo; phase: ConnectionPhase }>;
  /** Writes these frames as one chunk to the role. */
  send(...m: Message[]): Promise<void>;
}

function harness(options: { host?: string; connect?: boolean; throwOnConnect?: Error } = {}): Harness {
  const clock = new SimulatedClock(1000);
  const [roleEnd, peer] = duplexPair();
  const fromRole: Message[] = [];
  const decoder = new FrameDecoder();
  peer.on('data', (c: Buffer) => fromRole.push(...decoder.push(c)));
  peer.on('error', () => {});
  const h: Harness = {
    clock,
    roleEnd,
    peer,
    fromRole,
    messages: [],
    welcomes: 0,
    chunks: 0,
    closed: [],
    conn: undefined as unknown as RoleConnection,
    async send(...m) {
      peer.write(Buffer.concat(m.map(encodeMessage)));
      await settle();
    },
  };
  h.conn = new RoleConnection(
    options.host ?? '127.0.0.1',
    5645,
    HELLO,
    clock,
    (): Duplex => {
      if (options.throwOnConnect) throw options.throwOnConnect;
      if (options.connect !== false) setImmediate(() => roleEnd.emit('connect'));
      return roleEnd;
    },
    DEFAULT_TIMINGS,
    {
      welcome: () => void h.welcomes++,
      message: (m) => void h.messages.push(m),
      chunkDone: () => void h.chunks++,
      closed: (error, phase) => void h.closed.push({ error, phase }),
    },
  );
  return h;
}

async function opened(): Promise<Harness> {
  const h = harness();
  h.conn.start();
  await settle();
  await h.send(WELCOME);
  return h;
}

const errno = (code: string, message = `${code} happened`): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

void t.test(
  'messages later in a chunk after the connection ended are not delivered ' +
    '(break: drop the `ended` check in the per-message loop -> the change after the fatal error is delivered)',
  async (t) => {
    const h = await opened();
    const chunksBefore = h.chunks;
    await h.send(
      { t: 'alarmClear', seq: 1, occurrenceId: 'o1' },
      { t: 'error', code: 'SERVER_SHUTDOWN', message: 'going down', fatal: true },
      { t: 'alarmClear', seq: 2, occurrenceId: 'o2' },
    );
    t.strictSame(h.messages, [{ t: 'alarmClear', seq: 1, occurrenceId: 'o1' }], 'only the message before the fatal error');
    t.equal(h.closed.length, 1);
    t.equal(h.closed[0]?.error.code, 'SERVER_SHUTDOWN');
    t.equal(h.closed[0]?.error.message, 'the SiPass server at 127.0.0.1:5645 refused the connection: going down');
    t.equal(h.chunks, chunksBefore, 'no chunkDone for a chunk that ended the connection (no ack on a dead connection)');
    await h.send({ t: 'alarmClear', seq: 3, occurrenceId: 'o3' });
    t.equal(h.messages.length, 1, 'nor anything in a later chunk');
  },
);

void t.test(
  'a connect that arrives after the connect timeout changes nothing ' +
    '(break: drop the `ended` check in onConnect -> the phase becomes handshake and a handshake timer is left behind)',
  async (t) => {
    const h = harness({ connect: false });
    h.conn.start();
    await settle();
    h.clock.advanceBy(DEFAULT_TIMINGS.connectTimeoutMs);
    t.equal(h.closed[0]?.error.code, 'ROLE_CONNECT_TIMEOUT');
    t.equal(h.closed[0]?.error.message, 'connection to 127.0.0.1:5645 timed out after 5s: the port may be blocked');
    t.equal(h.closed[0]?.phase, 'connect');
    h.roleEnd.emit('connect');
    await settle();
    t.equal(h.conn.currentPhase, 'connect', 'still the phase it ended in');
    t.equal(h.clock.pendingCount(), 0, 'no timer left behind');
    t.strictSame(h.fromRole, [], 'no hello on a dead connection');
    t.equal(h.closed.length, 1, 'closed reported once');
  },
);

void t.test(
  'close() really closes the socket and reports nothing; the peer sees the end ' +
    '(break: drop socket.destroy() in close() -> the socket stays open)',
  async (t) => {
    const h = await opened();
    let peerEnded = false;
    h.peer.on('end', () => void (peerEnded = true));
    h.peer.resume();
    h.conn.close();
    await settle();
    t.ok(h.roleEnd.destroyed, 'the role side is destroyed');
    t.ok(peerEnded, 'the peer sees the connection end');
    t.strictSame(h.closed, [], 'closing on the role\'s own initiative is not reported as an error');
    t.equal(h.clock.pendingCount(), 0, 'the heartbeat timer is cleared');
    t.notOk(h.conn.send({ t: 'ping', n: 9 }), 'nothing is sent after close');
  },
);

void t.test(
  'byte and frame counters in and out match what crossed the wire ' +
    '(break: count bytesOut before encoding as 0, or bytesIn per frame instead of per chunk -> counts differ)',
  async (t) => {
    const h = await opened();
    let toRole = encodeMessage(WELCOME).length;
    const batch: Message[] = [
      { t: 'ping', n: 1 },
      { t: 'alarmClear', seq: 1, occurrenceId: 'o' },
    ];
    await h.send(...batch);
    toRole += Buffer.concat(batch.map(encodeMessage)).length;
    let fromRole = 0;
    h.peer.on('data', (c: Buffer) => void (fromRole += c.length));
    const before = h.conn.bytesOut;
    t.equal(before, encodeMessage(HELLO).length + encodeMessage({ t: 'pong', n: 1 }).length, 'hello and the pong');
    t.equal(h.conn.framesOut, 2);
    t.ok(h.conn.send({ t: 'ack', seq: 1 }));
    await settle();
    t.equal(h.conn.bytesIn, toRole, 'bytes in: every byte the peer wrote');
    t.equal(h.conn.framesIn, 3, 'frames in: welcome, ping, alarmClear');
    t.equal(h.conn.bytesOut - before, fromRole, 'bytes out: every byte the peer read');
    t.equal(h.conn.framesOut, 3);
    t.strictSame(h.fromRole.map((m) => m.t), ['hello', 'pong', 'ack']);
  },
);

void t.test(
  'the words users read for every way a connection ends ' +
    '(break: any change to a template, or a wrong mapping of errno codes -> the exact message differs)',
  async (t) => {
    const cases: Array<[string, (h: Harness) => Promise<void> | void, string, string]> = [
      ['refused', (h) => void h.roleEnd.emit('error', errno('ECONNREFUSED')), 'ROLE_CONNECT_REFUSED', 'connection refused on 127.0.0.1:5645: nothing listens there (is the SiPass server running on port 5645?)'],
      ['not found', (h) => void h.roleEnd.emit('error', errno('ENOTFOUND')), 'ROLE_HOST_NOT_FOUND', 'host "127.0.0.1" not found'],
      ['DNS again', (h) => void h.roleEnd.emit('error', errno('EAI_AGAIN')), 'ROLE_HOST_NOT_FOUND', 'host "127.0.0.1" not found'],
      ['timed out', (h) => void h.roleEnd.emit('error', errno('ETIMEDOUT')), 'ROLE_CONNECT_TIMEOUT', 'connection to 127.0.0.1:5645 timed out: the port may be blocked'],
      ['reset', (h) => void h.roleEnd.emit('error', errno('ECONNRESET')), 'ROLE_CONNECTION_RESET', 'the connection to 127.0.0.1:5645 was reset'],
      ['broken pipe', (h) => void h.roleEnd.emit('error', errno('EPIPE')), 'ROLE_CONNECTION_RESET', 'the connection to 127.0.0.1:5645 was reset'],
      ['other errno', (h) => void h.roleEnd.emit('error', errno('EHOSTUNREACH', 'no route')), 'ROLE_CONNECT_FAILED', 'connection to 127.0.0.1:5645 failed: no route'],
      ['server ends', (h) => void h.peer.end(), 'ROLE_CONNECTION_CLOSED', 'the SiPass server at 127.0.0.1:5645 closed the connection'],
      ['cut mid-frame', async (h) => {
        h.peer.write(encodeMessage({ t: 'ping', n: 1 }).subarray(0, 4));
        await settle();
        h.peer.end();
      }, 'PROTO_TRUNCATED', '127.0.0.1:5645 connection closed in the middle of a frame (4 bytes pending) (at byte 0)'],
      ['another protocol', (h) => void h.peer.write('HTTP/1.1 400 Bad Request\r\n'), 'PROTO_FOREIGN_PROTOCOL', 'the peer at 127.0.0.1:5645: the peer speaks another protocol (looks like HTTP), not the SiPass proxy protocol (at byte 0)'],
      ['garbage', (h) => void h.peer.write(Buffer.from([0x12, 0x34, 0x56])), 'PROTO_BAD_MAGIC', '127.0.0.1:5645 sent a malformed frame: bad frame start 0x1234, expected 0x5350 ("SP") (at byte 0)'],
      ['not a welcome', (h) => h.send({ t: 'ping', n: 1 }), 'PROTO_UNEXPECTED', '127.0.0.1:5645 answered hello with "ping" instead of "welcome"'],
      ['version', (h) => h.send({ ...WELCOME, v: 2 }), 'PROTO_VERSION_MISMATCH', 'protocol version mismatch: 127.0.0.1:5645 speaks version 2, this role speaks version 1'],
      ['no handshake', (h) => void h.clock.advanceBy(DEFAULT_TIMINGS.handshakeTimeoutMs), 'ROLE_CONNECT_TIMEOUT', 'no answer from 127.0.0.1:5645 within 5s of connecting: the port may be blocked (packets dropped)'],
    ];
    for (const [label, act, code, message] of cases) {
      const h = harness();
      h.conn.start();
      await settle();
      await act(h);
      await settle();
      t.equal(h.closed[0]?.error.code, code, label);
      t.equal(h.closed[0]?.error.message, message, label);
      t.equal(h.closed.length, 1, `${label}: reported once`);
      t.ok(h.roleEnd.destroyed, `${label}: the socket is closed`);
    }
    const v = harness();
    v.conn.start();
    await settle();
    await v.send({ ...WELCOME, v: 2 });
    const written = new FrameDecoder().push(Buffer.concat(v.roleEnd.written));
    t.strictSame(written.at(-1), { t: 'error', code: 'PROTO_VERSION_MISMATCH', message: 'role speaks protocol version 1', fatal: true }, 'a version mismatch is told to the server');
    const ipv6 = harness({ host: '::1' });
    ipv6.conn.start();
    await settle();
    ipv6.roleEnd.emit('error', errno('ECONNREFUSED'));
    t.equal(ipv6.closed[0]?.error.message, 'connection refused on [::1]:5645: nothing listens there (is the SiPass server running on port 5645?)', 'IPv6 in brackets');
    const thrown = harness({ throwOnConnect: new Error('bad address') });
    thrown.conn.start();
    t.strictSame(thrown.closed[0]?.error, { code: 'ROLE_CONNECT_FAILED', message: 'cannot connect to 127.0.0.1:5645: bad address', at: 1000 }, 'a connector that throws');
  },
);

void t.test(
  'heartbeats: a ping every interval while the peer talks; silence for the timeout ends the connection ' +
    '(break: compare silence with > instead of >=, or never reschedule -> the timing or the message differs)',
  async (t) => {
    const h = await opened();
    h.clock.advanceBy(DEFAULT_TIMINGS.heartbeatIntervalMs);
    await settle();
    t.strictSame(h.fromRole.filter((m) => m.t === 'ping'), [{ t: 'ping', n: 1 }]);
    await h.send({ t: 'pong', n: 1 });
    t.strictSame(h.messages, [], 'a pong is consumed by the connection');
    h.clock.advanceBy(DEFAULT_TIMINGS.heartbeatIntervalMs);
    await settle();
    t.strictSame(h.fromRole.filter((m) => m.t === 'ping').map((m) => (m as { n: number }).n), [1, 2]);
    t.strictSame(h.closed, []);
    // 30 s of silence since the pong (heard at +10 s): the check at +40 s ends it.
    h.clock.advanceBy(DEFAULT_TIMINGS.heartbeatIntervalMs);
    await settle();
    t.strictSame(h.closed, [], 'not yet at 20 s of silence');
    h.clock.advanceBy(DEFAULT_TIMINGS.heartbeatIntervalMs);
    await settle();
    t.equal(h.closed[0]?.error.code, 'ROLE_HEARTBEAT_TIMEOUT');
    t.equal(h.closed[0]?.error.message, 'no heartbeat from 127.0.0.1:5645 for 30s: connection considered lost');
    t.equal(h.closed[0]?.phase, 'open');
    t.equal(h.welcomes, 1);
  },
);
