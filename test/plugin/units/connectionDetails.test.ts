// RoleConnection details the first mutation run of plugin/connection left unchecked (issue 13):
// the frame limit it is given, a socket closed under it, chunks in the handshake, a refused
// welcome told to the peer, nothing sent or left scheduled once it has ended; and the TCP
// connector dialling the host and port it is given (loopback, port 0).
import net from 'node:net';
import type { Duplex } from 'node:stream';
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import type { ErrorInfo } from '../../../core/testbenchError.js';
import { tcpConnector } from '../../../plugin/connection/connector.js';
import { DEFAULT_TIMINGS, RoleConnection, type ConnectionHandlers } from '../../../plugin/connection/roleConnection.js';
import { encodeMessage } from '../../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../../protocol/frameDecoder.js';
import type { Hello, Message } from '../../../protocol/messages.js';
import { duplexPair } from '../../helpers/duplexPair.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await turn();
};
const HELLO: Hello = { t: 'hello', v: 1, roleId: 'r', roleName: 'R', epoch: '', lastSeq: 0 };
const WELCOME: Message = { t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e1', seq: 0 };

function rig(options: { maxFrame?: number; admit?: ConnectionHandlers['admit'] } = {}) {
  const clock = new SimulatedClock(0);
  const [roleEnd, peer] = duplexPair();
  const fromRole: Message[] = [];
  const decoder = new FrameDecoder();
  peer.on('data', (c: Buffer) => fromRole.push(...decoder.push(c)));
  peer.on('error', () => {});
  const seen = { messages: [] as Message[], chunks: 0, closed: [] as ErrorInfo[] };
  const conn = new RoleConnection(
    '127.0.0.1',
    5645,
    HELLO,
    clock,
    (): Duplex => {
      setImmediate(() => roleEnd.emit('connect'));
      return roleEnd;
    },
    DEFAULT_TIMINGS,
    {
      ...(options.admit ? { admit: options.admit } : {}),
      welcome: () => {},
      message: (m) => void seen.messages.push(m),
      chunkDone: () => void seen.chunks++,
      closed: (e) => void seen.closed.push(e),
    },
    options.maxFrame,
  );
  const write = async (b: Buffer): Promise<void> => {
    peer.write(b);
    await settle();
  };
  return { clock, roleEnd, peer, fromRole, seen, conn, write };
}

void t.test('the frame limit given to the connection is the one it enforces', async (t) => {
  const small = rig({ maxFrame: 64 });
  small.conn.start();
  await settle();
  await small.write(encodeMessage(WELCOME));
  await small.write(encodeMessage({ t: 'error', code: 'X', message: 'y'.repeat(100), fatal: false }));
  t.equal(small.seen.closed[0]?.code, 'PROTO_FRAME_TOO_LARGE');
  const dflt = rig();
  dflt.conn.start();
  await settle();
  await dflt.write(encodeMessage(WELCOME));
  await dflt.write(encodeMessage({ t: 'error', code: 'X', message: 'y'.repeat(100), fatal: false }));
  t.strictSame(dflt.seen.closed, [], 'no limit given: the default one (far above 100 bytes)');
  t.equal(dflt.seen.messages.length, 1);
  dflt.conn.close();
});

void t.test('a socket closed under the connection (no end, no error) ends it with its own words', async (t) => {
  const r = rig();
  r.conn.start();
  await settle();
  await r.write(encodeMessage(WELCOME));
  r.roleEnd.destroy();
  await settle();
  t.strictSame(r.seen.closed.map((e) => [e.code, e.message]), [['ROLE_CONNECTION_CLOSED', 'the connection to 127.0.0.1:5645 closed']]);
});

void t.test('chunks count only once the connection is open, and not after it ended', async (t) => {
  const r = rig();
  r.conn.start();
  await settle();
  const w = encodeMessage(WELCOME);
  await r.write(w.subarray(0, 5));
  t.equal(r.seen.chunks, 0, 'a partial welcome in the handshake: no chunk reported');
  await r.write(w.subarray(5));
  t.equal(r.seen.chunks, 1, 'the chunk that completed the welcome');
  await r.write(Buffer.concat([encodeMessage({ t: 'alarmClear', seq: 1, occurrenceId: 'o' }), encodeMessage({ t: 'error', code: 'GONE', message: 'bye', fatal: true })]));
  t.equal(r.seen.messages.length, 1);
  t.equal(r.seen.chunks, 1, 'a chunk that ended the connection is not reported');
  t.equal(r.seen.closed[0]?.code, 'GONE');
});

void t.test('a refused welcome is answered with a fatal error naming the cause', async (t) => {
  const r = rig({ admit: () => ({ code: 'ROLE_VERSION_INCOMPATIBLE', message: 'SDK 4.0 vs 5.12' }) });
  r.conn.start();
  await settle();
  const framesBefore = r.conn.framesOut;
  const bytesBefore = r.conn.bytesOut;
  await r.write(encodeMessage(WELCOME));
  t.equal(r.conn.framesOut, framesBefore + 1, 'one frame written: the error');
  t.equal(r.conn.bytesOut - bytesBefore, encodeMessage({ t: 'error', code: 'ROLE_VERSION_INCOMPATIBLE', message: 'SDK 4.0 vs 5.12', fatal: true }).length, 'exactly the fatal error frame');
  t.strictSame(r.seen.closed.map((e) => [e.code, e.message]), [['ROLE_VERSION_INCOMPATIBLE', 'SDK 4.0 vs 5.12']]);
});

void t.test('once ended, nothing is sent and no timer is left', async (t) => {
  const r = rig();
  r.conn.start();
  await settle();
  await r.write(encodeMessage(WELCOME));
  t.ok(r.clock.pendingCount() > 0, 'the heartbeat is scheduled while open');
  r.conn.close();
  t.equal(r.clock.pendingCount(), 0, 'close() clears the heartbeat');
  const frames = r.conn.framesOut;
  t.equal(r.conn.send({ t: 'ping', n: 1 }), false, 'send after close is refused');
  t.equal(r.conn.framesOut, frames);
  const f = rig();
  f.conn.start();
  await settle();
  await f.write(encodeMessage(WELCOME));
  await f.write(encodeMessage({ t: 'error', code: 'GONE', message: 'bye', fatal: true }));
  t.equal(f.clock.pendingCount(), 0, 'an end reported by the peer clears the heartbeat too');
  const s = rig();
  s.conn.start();
  t.equal(s.clock.pendingCount(), 1, 'the connect timeout');
  s.conn.close();
  t.equal(s.clock.pendingCount(), 0, 'close() while connecting clears it');
});

void t.test('the TCP connector dials the host and port it is given', async (t) => {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const socket = tcpConnector('127.0.0.1', port) as net.Socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  t.equal(socket.remotePort, port);
  t.equal(socket.remoteAddress, '127.0.0.1');
  (await accepted).destroy();
  socket.destroy();
});
