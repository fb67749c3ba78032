// The role's connect and handshake deadlines are judged on what arrived by then (issue 11,
// `npm run load`): when a deadline expires, the verdict waits for Clock.afterPendingIo, so a
// connect or welcome already arrived but not yet read still counts; one that has not arrived
// still times out, with the same code and words. In memory, on a simulated clock whose
// "pending I/O" step the test runs by hand; one loopback test shows RealClock's step really
// comes after Node reads a socket (a timer fires before the same iteration's reads).
import net from 'node:net';
import type { Duplex } from 'node:stream';
import t from 'tap';
import { RealClock, SimulatedClock } from '../../core/clock.js';
import type { ErrorInfo } from '../../core/testbenchError.js';
import { DEFAULT_TIMINGS, RoleConnection } from '../../plugin/connection/roleConnection.js';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import type { Hello, Message } from '../../protocol/messages.js';
import { duplexPair } from '../helpers/duplexPair.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

const HELLO: Hello = { t: 'hello', v: 1, roleId: 'r', roleName: 'R', epoch: '', lastSeq: 0 };
const WELCOME: Message = { t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e1', seq: 0 };

/** Simulated time whose "read what has arrived" step is run by the test. */
class StepClock extends SimulatedClock {
  readonly deferred: Array<() => void> = [];
  afterPendingIo(fn: () => void): void {
    this.deferred.push(fn);
  }
  runDeferred(): number {
    const fns = this.deferred.splice(0);
    for (const fn of fns) fn();
    return fns.length;
  }
}

function harness() {
  const clock = new StepClock(1000);
  const [roleEnd, peer] = duplexPair();
  peer.resume();
  const closed: ErrorInfo[] = [];
  let welcomes = 0;
  const conn = new RoleConnection('127.0.0.1', 5645, HELLO, clock, (): Duplex => roleEnd, DEFAULT_TIMINGS, {
    welcome: () => void welcomes++,
    message: () => undefined,
    chunkDone: () => undefined,
    closed: (error) => void closed.push(error),
  });
  conn.start();
  return { clock, roleEnd, peer, conn, closed, welcomes: () => welcomes };
}

void t.test(
  'a welcome that arrives after the handshake timer fired, before the verdict, opens the connection ' +
    '(break: take the verdict in the timer itself -> ROLE_CONNECT_TIMEOUT with the welcome unread)',
  async (t) => {
    const h = harness();
    h.roleEnd.emit('connect');
    h.clock.advanceBy(DEFAULT_TIMINGS.handshakeTimeoutMs);
    t.strictSame(h.closed, [], 'no verdict while the arrived I/O is unread');
    t.equal(h.clock.deferred.length, 1, 'the verdict waits for the pending I/O');
    h.peer.write(encodeMessage(WELCOME));
    await settle();
    t.equal(h.welcomes(), 1, 'the welcome is read');
    t.equal(h.clock.runDeferred(), 1);
    t.strictSame(h.closed, [], 'and no timeout is reported for it');
    t.equal(h.conn.currentPhase, 'open');
  },
);

void t.test(
  'with nothing arrived the handshake still times out, with the same code and words ' +
    '(break: drop the verdict when deferred -> the role waits forever)',
  async (t) => {
    const h = harness();
    h.roleEnd.emit('connect');
    h.clock.advanceBy(DEFAULT_TIMINGS.handshakeTimeoutMs - 1);
    t.equal(h.clock.deferred.length, 0, 'not before the deadline');
    h.clock.advanceBy(1);
    t.equal(h.clock.runDeferred(), 1);
    t.equal(h.closed.length, 1);
    t.equal(h.closed[0]?.code, 'ROLE_CONNECT_TIMEOUT');
    t.equal(h.closed[0]?.message, 'no answer from 127.0.0.1:5645 within 5s of connecting: the port may be blocked (packets dropped)');
    t.equal(h.clock.now(), 1000 + DEFAULT_TIMINGS.handshakeTimeoutMs, 'at the deadline itself');
    t.ok(h.roleEnd.destroyed, 'the socket is closed');
  },
);

void t.test(
  'a connect read after the connect timer fired starts the handshake and its own full deadline ' +
    '(break: keep the old verdict when the deadline is re-armed -> ROLE_CONNECT_TIMEOUT right after connecting)',
  async (t) => {
    const h = harness();
    h.clock.advanceBy(DEFAULT_TIMINGS.connectTimeoutMs);
    t.equal(h.clock.deferred.length, 1);
    h.roleEnd.emit('connect');
    t.equal(h.conn.currentPhase, 'handshake');
    h.clock.runDeferred();
    t.strictSame(h.closed, [], 'the connect timer\'s verdict is dropped: the connect came in');
    h.clock.advanceBy(DEFAULT_TIMINGS.handshakeTimeoutMs - 1);
    t.equal(h.clock.runDeferred(), 0, 'the handshake deadline runs from the connect');
    h.clock.advanceBy(1);
    h.clock.runDeferred();
    t.equal(h.closed[0]?.code, 'ROLE_CONNECT_TIMEOUT');
  },
);

void t.test(
  'with no connect at all the connect deadline times out as before ' +
    '(break: drop the connect verdict -> the role waits forever on a blocked port)',
  async (t) => {
    const h = harness();
    h.clock.advanceBy(DEFAULT_TIMINGS.connectTimeoutMs);
    h.clock.runDeferred();
    t.equal(h.closed.length, 1);
    t.equal(h.closed[0]?.code, 'ROLE_CONNECT_TIMEOUT');
    t.equal(h.closed[0]?.message, 'connection to 127.0.0.1:5645 timed out after 5s: the port may be blocked');
    t.equal(h.conn.currentPhase, 'connect');
  },
);

void t.test(
  'a verdict deferred for a connection that ended meanwhile reports nothing more ' +
    '(break: drop the `ended` check in the verdict -> a second close is reported)',
  async (t) => {
    const h = harness();
    h.roleEnd.emit('connect');
    h.clock.advanceBy(DEFAULT_TIMINGS.handshakeTimeoutMs);
    h.conn.close();
    h.clock.runDeferred();
    t.strictSame(h.closed, [], 'closed on the role\'s own initiative: nothing reported');
  },
);

void t.test(
  "RealClock: what afterPendingIo runs comes after Node reads data that has arrived, though the timer that asks fires before those reads " +
    '(break: afterPendingIo on process.nextTick or a microtask -> the verdict comes before the data)',
  async (t) => {
    const clock = new RealClock();
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.teardown(() => server.close());
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const peer = await accepted;
    const order: string[] = [];
    client.on('data', () => order.push('data'));
    await new Promise<void>((resolve) => {
      clock.setTimeout(() => {
        order.push('timer');
        // Over loopback the byte is in the client's kernel buffer when write() returns: it has
        // arrived, and Node reads it in this iteration's poll phase, after the timers.
        peer.write('x');
        clock.afterPendingIo(() => {
          order.push('verdict');
          resolve();
        });
      }, 0);
    });
    t.strictSame(order, ['timer', 'data', 'verdict']);
    client.destroy();
    peer.destroy();
  },
);
