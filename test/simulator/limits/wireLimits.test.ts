/**
 * Server limits over real loopback sockets (port 0). The server runs on a simulated clock, so a
 * timeout happens when the test advances it, never because the machine is slow: no wall-clock
 * assertion anywhere, only generous waits for events.
 */
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import { HEADER_SIZE, MAGIC_0, MAGIC_1 } from '../../../protocol/version.js';
import { helloMessage, pingFrames, WirePeer } from '../../../fuzz/wirePeer.js';
import type { ServerLimits } from '../../../simulator/limits/serverLimits.js';
import { SiPassServer, type ServerEvent } from '../../../simulator/sipassServer.js';

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

async function startServer(t: TapTest, limits: Partial<ServerLimits> = {}): Promise<{ server: SiPassServer; clock: SimulatedClock; port: number; events: ServerEvent[] }> {
  const clock = new SimulatedClock(1_000);
  const server = new SiPassServer({ population: { seed: 1, alarmClasses: 2, eventTypes: 2, cardholders: 10 }, clock, epoch: 'limits', limits });
  const events: ServerEvent[] = [];
  server.on('event', (e: ServerEvent) => events.push(e));
  const { port } = await server.listen(0, '127.0.0.1');
  t.teardown(() => server.stop());
  return { server, clock, port, events };
}

/** Resolves once `pred` holds, checking on every server event and every 20 ms; rejects after `ms`. */
async function until(what: string, pred: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const closedBy = (events: ServerEvent[], code: string): boolean => events.some((e) => e.kind === 'closed' && e.reason.startsWith(code));

t.test('a peer that sends a frame header and nothing more is closed by the handshake timeout', async (t) => {
  const { server, clock, port, events } = await startServer(t, { handshakeTimeoutMs: 10_000 });
  const peer = await WirePeer.connect(port);
  t.teardown(() => peer.destroy());
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = MAGIC_0;
  header[1] = MAGIC_1;
  header.writeUInt32BE(100, 2);
  peer.write(header);
  await until('the server to hold the header', () => server.stats().sessions[0]?.bufferedIn === HEADER_SIZE);
  clock.advanceBy(9_999);
  await new Promise((r) => setImmediate(r));
  t.equal(server.stats().connections, 1, 'still open just before the deadline');
  clock.advanceBy(1);
  await peer.done;
  t.ok(closedBy(events, 'LIMIT_HANDSHAKE_TIMEOUT'), 'closed, the reason names the limit');
  t.equal(peer.lastError?.code, 'LIMIT_HANDSHAKE_TIMEOUT', 'the peer was told why');
  t.match(peer.lastError?.message, 'no hello within 10s');
  t.equal(server.stats().limitHits?.handshakeTimeout, 1, 'counted');
  t.ok(events.some((e) => e.kind === 'limit' && e.limit === 'handshakeTimeout'), 'a limit event for the log');
});

t.test('a peer dribbling its hello one byte per tick is closed at the handshake deadline too', async (t) => {
  const { clock, port, events } = await startServer(t, { handshakeTimeoutMs: 5_000 });
  const peer = await WirePeer.connect(port);
  t.teardown(() => peer.destroy());
  const frame = pingFrames(1);
  for (let i = 0; i < 6 && !peer.closed; i++) {
    peer.write(frame.subarray(i, i + 1));
    clock.advanceBy(1_000);
    await new Promise((r) => setTimeout(r, 10));
  }
  await peer.done;
  t.ok(closedBy(events, 'LIMIT_HANDSHAKE_TIMEOUT'));
});

t.test('idle timeout: a silent role is closed; one that pings stays', async (t) => {
  const { server, clock, port, events } = await startServer(t, { idleTimeoutMs: 45_000 });
  const silent = await WirePeer.connect(port);
  const pinging = await WirePeer.connect(port);
  t.teardown(() => {
    silent.destroy();
    pinging.destroy();
  });
  silent.send(helloMessage('silent'));
  pinging.send(helloMessage('pinging'));
  await until('two welcomes', () => silent.received.length > 0 && pinging.received.length > 0);
  // Ten seconds at a time, like a role's heartbeat: only the pinging peer answers.
  for (let i = 1; i <= 5; i++) {
    pinging.write(pingFrames(1, i));
    await until(`pong ${i}`, () => pinging.received.filter((m) => m.t === 'pong').length === i);
    clock.advanceBy(10_000);
  }
  await silent.done;
  t.ok(closedBy(events, 'LIMIT_IDLE_TIMEOUT'), 'the silent peer was closed');
  t.equal(silent.lastError?.code, 'LIMIT_IDLE_TIMEOUT');
  t.match(silent.lastError?.message, 'nothing from the peer for 45s');
  t.notOk(pinging.closed, 'the pinging peer is still connected');
  t.equal(server.stats().connections, 1);
});

t.test('a peer that pings without ever reading: the server stops reading it, then closes it', async (t) => {
  const { server, clock, port, events } = await startServer(t, { idleTimeoutMs: 45_000 });
  const peer = await WirePeer.connect(port);
  t.teardown(() => peer.destroy());
  peer.send(helloMessage('deaf'));
  await until('welcome', () => peer.received.length > 0);
  peer.stopReading();
  // Pings until the server holds pongs it cannot send (the kernel buffers are full).
  let n = 1;
  await until(
    'pongs to back up',
    () => {
      if ((server.stats().sessions[0]?.queuedOut ?? 0) > 0) return true;
      if (peer.socket.writableLength < 1024 * 1024) {
        peer.write(pingFrames(5_000, n));
        n += 5_000;
      }
      return false;
    },
    120_000,
  );
  const held = server.stats().queuedOut ?? 0;
  t.ok(held < 1024 * 1024, `the server holds ${held} bytes for it: it stopped reading (backpressure), not queued every pong`);
  clock.advanceBy(44_999);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(server.stats().connections, 1, 'still open just before the idle deadline');
  clock.advanceBy(1);
  // The peer does not read, so it would not even see the close: wait for the server's.
  await until('the close', () => closedBy(events, 'LIMIT_IDLE_TIMEOUT'));
  t.equal(server.stats().connections, 0, 'closed by the idle timeout');
  const reason = events.find((e): e is Extract<ServerEvent, { kind: 'closed' }> => e.kind === 'closed')?.reason ?? '';
  t.match(reason, /the peer read none of the \d+ bytes queued for it/);
  t.comment(`pings sent: ${n - 1}; bytes held when stalled: ${held}`);
});

t.test('a peer that never reads the live stream is closed at the output cap', async (t) => {
  const { server, port, events } = await startServer(t, { maxOutputBytes: 256 * 1024, idleTimeoutMs: 0 });
  const peer = await WirePeer.connect(port);
  t.teardown(() => peer.destroy());
  peer.send(helloMessage('deaf'));
  peer.send({ t: 'syncRequest', id: 1, mode: 'full', types: ['alarmClasses'] });
  await until('synced', () => server.stats().sessions[0]?.synced === true);
  peer.stopReading();
  const alarmClass = [...server.site.entities('alarmClasses')][0]?.id ?? '';
  await until(
    'the output cap',
    () => {
      for (let i = 0; i < 2_000 && server.stats().connections > 0; i++) server.fireEvent([...server.site.entities('eventTypes')][0]?.id ?? '', 'flood');
      return server.stats().connections === 0;
    },
    120_000,
  );
  t.ok(alarmClass !== '', 'the site has an alarm class');
  t.ok(closedBy(events, 'LIMIT_OUTPUT'), 'closed by the output cap');
  t.equal(server.stats().limitHits?.outputCap, 1);
});

t.test('a frame larger than the input cap is refused at its header (before it is buffered)', async (t) => {
  const { server, port, events } = await startServer(t);
  const peer = await WirePeer.connect(port);
  t.teardown(() => peer.destroy());
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = MAGIC_0;
  header[1] = MAGIC_1;
  header.writeUInt32BE(4 * 1024 * 1024 - 1, 2);
  peer.write(header);
  peer.write(Buffer.alloc(32 * 1024, 0x20));
  await peer.done;
  t.ok(closedBy(events, 'PROTO_FRAME_TOO_LARGE'));
  t.match(peer.lastError?.message, /exceeds the 65536-byte limit .*\(the input cap, --max-input\)/);
  t.equal(server.stats().limitHits?.inputCap, 1);
});

t.test('connections beyond the cap are refused, and the refusal is logged', async (t) => {
  const { server, port, events, clock } = await startServer(t, { maxConnections: 2 });
  const peers = await Promise.all([1, 2, 3, 4].map(() => WirePeer.connect(port)));
  t.teardown(() => {
    for (const p of peers) p.destroy();
  });
  await until('two refusals', () => server.stats().limitHits?.maxConnections === 2);
  t.equal(server.stats().connections, 2);
  const refused = events.filter((e) => e.kind === 'refused');
  t.equal(refused.length, 1, 'the first refusal at once; the next one in the same second is summed');
  clock.advanceBy(1_000);
  const after = events.filter((e) => e.kind === 'refused');
  t.equal(after.length, 2);
  t.equal(after[1]?.kind === 'refused' ? after[1].count : 0, 1, 'one more refused in the last second');
});
